// One revision id for the same manifests wherever they are read: `pilot plan DIR` and
// the daemon's folder source agree; a clean git work tree is its commit, anything
// else a hash of the manifest files.

import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifestInput } from '../src/cli/manifest-input.js';
import { folderSource } from '../src/daemon/manifest-source.js';
import { contentRevision } from '../src/sources/git/folder-revision.js';
import { discoverManifests } from '../src/sources/manifests/discover.js';
import { createManifestRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';

afterAll(removeTemporaryFolders);

const manifest = (name: string) =>
  `apiVersion: pilot.dev/v1\nkind: Project\nname: ${name}\ndefaults: { provider: aws, region: us-east-1 }\napps:\n  - name: web\n    source: { repo: "https://github.com/acme/web.git" }\n    build: { builder: pack }\n    deploy: { platform: ecs }\n`;

/** The revision the CLI and the daemon's folder source give `dir`; they must agree. */
async function revisions(dir: string): Promise<string> {
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env: {}, cwd: dir };
  const cli = (await readManifestInput({ values: {}, positionals: [dir] }, io)).revision;
  const daemon = (await folderSource(dir).next()).revision;
  expect(daemon).toBe(cli);
  return cli;
}

const hashOf = async (dir: string) => contentRevision((await discoverManifests(dir)).files);

describe('the revision of a folder of manifests', () => {
  it('is the commit of a clean work tree, in the CLI and in the daemon', async () => {
    const repo = await createManifestRepo({ 'shop/pilot.yaml': manifest('shop'), 'README.md': '# shop\n' });
    expect(await revisions(repo.dir)).toBe(repo.first);
    // A subfolder of the work tree is clean too: the commit holds exactly its files.
    expect(await revisions(path.join(repo.dir, 'shop'))).toBe(repo.first);
    const second = await repo.commit({ 'blog/pilot.yaml': manifest('blog') });
    expect(await revisions(repo.dir)).toBe(second);
  });

  it('is local-<hash of the manifests> once anything is not committed, and the commit again after', async () => {
    const repo = await createManifestRepo({ 'shop/pilot.yaml': manifest('shop') });
    await writeFile(path.join(repo.dir, 'shop/pilot.yaml'), manifest('shop').replace('web', 'api'));
    const dirty = await revisions(repo.dir);
    expect(dirty).toMatch(/^local-[0-9a-f]{12}$/);
    expect(dirty).toBe(await hashOf(repo.dir));
    expect(dirty).not.toBe(contentRevision([{ path: 'shop/pilot.yaml', content: manifest('shop') }]));

    const committed = await repo.commit({});
    expect(await revisions(repo.dir)).toBe(committed);
    // A new manifest git does not track yet, or any other untracked file, makes it local again.
    await writeFile(path.join(repo.dir, 'notes.txt'), 'later\n');
    expect(await revisions(repo.dir)).toMatch(/^local-[0-9a-f]{12}$/);
  });

  it('gives the same id to the same manifests in any folder, git or not', async () => {
    const repo = await createManifestRepo({ 'a/pilot.yaml': manifest('a'), 'b/site.pilot.yaml': manifest('b') });
    await writeFile(path.join(repo.dir, 'a/pilot.yaml'), manifest('a2'));
    const plain = await temporaryFolder('pilot-plain-');
    await cp(repo.dir, plain, { recursive: true, filter: (source) => !source.includes(`${path.sep}.git`) });
    const copy = await temporaryFolder('pilot-plain-');
    await cp(plain, copy, { recursive: true });
    const id = await revisions(repo.dir);
    expect(await revisions(plain)).toBe(id);
    expect(await revisions(copy)).toBe(id);
    await writeFile(path.join(copy, 'README.md'), 'not a manifest\n');
    expect(await revisions(copy)).toBe(id);
    await writeFile(path.join(copy, 'a/pilot.yaml'), manifest('a3'));
    expect(await revisions(copy)).not.toBe(id);
  });

  it('keeps the id the daemon gave a folder before git was asked', async () => {
    // The scheme folderSource used: sha256 over the sorted [path, sha256(content)] pairs.
    const files = [{ path: 'z/pilot.yaml', content: 'z' }, { path: 'a/pilot.yaml', content: 'a' }];
    expect(contentRevision(files)).toBe('local-' + (await sha256Hex(JSON.stringify([['a/pilot.yaml', await sha256Hex('a')], ['z/pilot.yaml', await sha256Hex('z')]]))).slice(0, 12));
    const dir = await temporaryFolder('pilot-plain-');
    // An empty folder outside git: the hash of no manifests, the same from both.
    expect(await revisions(dir)).toBe(contentRevision([]));
  });
});

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('hex');
}
