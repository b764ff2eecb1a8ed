// Repositories Pilot builds itself (what `pilot serve --demo` needs): a bare
// repository, a clone of it, a commit under Pilot's identity, a push.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneRepository } from '../src/sources/git/clone.js';
import { commitAll, initBareRepository, pushBranch } from '../src/sources/git/local-repo.js';
import { remoteCommit } from '../src/sources/git/remote-refs.js';
import { git, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';

afterAll(removeTemporaryFolders);

describe('local repositories', () => {
  it('makes a bare repository, fills it from a clone, and reads it back', async () => {
    const root = await temporaryFolder('pilot-local-');
    const url = await initBareRepository(path.join(root, 'manifests.git'));
    expect(url).toBe(`file://${path.join(root, 'manifests.git')}`);
    const work = path.join(root, 'manifests');
    await cloneRepository(url, work);
    await mkdir(path.join(work, 'shop'));
    await writeFile(path.join(work, 'shop', 'pilot.yaml'), 'kind: Project\n');
    const first = await commitAll(work, 'manifests: first commit');
    await pushBranch(work, 'main');
    expect(await remoteCommit(url, 'main')).toBe(first);
    expect(await git(work, ['log', '-1', '--format=%an <%ae>|%s'])).toBe('Pilot <pilot@pilot.invalid>|manifests: first commit');
    expect(await git(work, ['ls-tree', '-r', '--name-only', 'HEAD'])).toBe('shop/pilot.yaml');

    const second = await commitAll(work, 'nothing changed', { name: 'Pilot demo', email: 'demo@pilot.invalid' });
    await pushBranch(work, 'main');
    expect(second).not.toBe(first);
    expect(await remoteCommit(url, 'main')).toBe(second);
    expect(await git(work, ['log', '-1', '--format=%an'])).toBe('Pilot demo');

    // Without a token, git runs through simple-git: its progress lines arrive too.
    const lines: string[] = [];
    await cloneRepository(url, path.join(root, 'again'), { depth: 1, onProgress: (line) => lines.push(line) });
    expect(lines.some((line) => /^Receiving objects: +100% \(\d+\/\d+\)/.test(line)), lines.join('\n')).toBe(true);
  });
});
