// The README's manifest example is part of the documentation users copy: keep it valid.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../src/sources/manifests/load.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('shows a manifest example that validates', () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const content of blocks) {
      const result = loadDesiredState([{ path: 'README.md', content }]);
      expect(result.problems).toEqual([]);
      expect(result.state!.projects.length).toBe(1);
    }
  });

  it('gives the two commands CI runs', () => {
    expect(readme).toContain('npm ci');
    expect(readme).toContain('npm test');
  });
});
