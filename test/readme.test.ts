// The README's manifest and settings examples are part of the documentation users
// copy: keep them valid.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../src/app/settings-file.js';
import { awsPermissionsTable, gcpPermissionsTable, withPermissionTables } from '../src/bootstrap/permissions-doc.js';
import { loadDesiredState } from '../src/sources/manifests/load.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const isConfig = (block: string) => block.startsWith('# pilot.config.yaml');

  it('shows a manifest example that validates', () => {
    const blocks = yamlBlocks.filter((block) => !isConfig(block));
    expect(blocks.length).toBeGreaterThan(0);
    for (const content of blocks) {
      const result = loadDesiredState([{ path: 'README.md', content }]);
      expect(result.problems).toEqual([]);
      expect(result.state!.projects.length).toBe(1);
    }
  });

  it('shows daemon settings that its schema accepts', () => {
    const blocks = yamlBlocks.filter(isConfig);
    expect(blocks.length).toBeGreaterThan(0);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pilot-readme-'));
    try {
      for (const [i, content] of blocks.entries()) {
        const file = path.join(dir, `config-${i}.yaml`);
        writeFileSync(file, content);
        expect(() => readConfigFile(file)).not.toThrow();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the two commands CI runs', () => {
    expect(readme).toContain('npm ci');
    expect(readme).toContain('npm test');
  });

  it("lists the Pilot VM's permissions exactly as its policies are made (npx tsx scripts/permissions-doc.ts rewrites them)", () => {
    const tables = { aws: awsPermissionsTable(), gcp: gcpPermissionsTable() };
    expect(readme).toBe(withPermissionTables(readme, tables));
    expect(readme).toContain('`iam:PassRole`');
    expect(readme).toContain('`run.services.create`');
  });
});
