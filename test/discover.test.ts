import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverManifests } from '../src/sources/manifests/discover.js';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-discover-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

describe('discoverManifests', () => {
  it('finds pilot.yaml and *.pilot.yaml, sorted, and skips dot-directories and node_modules', async () => {
    const root = await tree({
      'pilot.yaml': 'a',
      'b/web.pilot.yaml': 'b',
      'a/deep/er/pilot.yaml': 'c',
      '.github/pilot.yaml': 'x',
      'node_modules/pkg/pilot.yaml': 'x',
      'a/.hidden/pilot.yaml': 'x',
      'notpilot.yaml': 'x',
      'pilot.yaml.bak': 'x',
    });
    const { files, problems } = await discoverManifests(root);
    expect(files.map((f) => f.path)).toEqual(['a/deep/er/pilot.yaml', 'b/web.pilot.yaml', 'pilot.yaml']);
    expect(problems).toEqual([]);
  });

  it('warns about pilot.yml instead of ignoring it silently', async () => {
    const root = await tree({ 'svc/pilot.yml': 'a' });
    const { files, problems } = await discoverManifests(root);
    expect(files).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', file: 'svc/pilot.yml', message: expect.stringContaining('rename it to pilot.yaml') })]);
  });

  it('reads a symlink inside the repository and refuses one that leaves it', async () => {
    const outside = await tree({ 'pilot.yaml': 'secret: outside' });
    const root = await tree({ 'real/pilot.yaml': 'inside' });
    await symlink(path.join(root, 'real/pilot.yaml'), path.join(root, 'link.pilot.yaml'));
    await symlink(path.join(outside, 'pilot.yaml'), path.join(root, 'escape.pilot.yaml'));
    await symlink(path.join(root, 'missing'), path.join(root, 'dangling.pilot.yaml'));
    const { files, problems } = await discoverManifests(root);
    expect(files.map((f) => [f.path, f.content])).toEqual([
      ['link.pilot.yaml', 'inside'],
      ['real/pilot.yaml', 'inside'],
    ]);
    expect(problems.map((p) => [p.file, p.rule])).toEqual([
      ['dangling.pilot.yaml', 'files.symlink'],
      ['escape.pilot.yaml', 'files.symlink'],
    ]);
    expect(problems[1]!.message).toContain('outside the repository');
  });

  it('does not follow symlinked directories, so a loop cannot hang it', async () => {
    const root = await tree({ 'a/pilot.yaml': 'x' });
    await symlink(root, path.join(root, 'a/loop'));
    const { files } = await discoverManifests(root);
    expect(files.map((f) => f.path)).toEqual(['a/pilot.yaml']);
  });
});
