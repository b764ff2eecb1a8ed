// The files of one commit of the manifest cache, in a folder of their own: fetched
// from origin when the cache lacks the commit (a pull request's head), written through
// an index of its own, so the tracked branch's HEAD and work tree are not touched.

import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PilotError } from '../../reconciler/errors.js';
import { isCommitId } from './changed-paths.js';
import { openGit, type Git } from './git.js';
import { pinnedTo, type RepoGit } from './manifest-cache.js';

export interface CommitCache {
  git: RepoGit;
  /** The clone. */
  dir: string;
  remote: Git;
  cacheDir: string;
  url: string;
}

const safeRef = /^refs\/[A-Za-z0-9._/-]+$/;

/**
 * The folder holding `commit`'s files; reused, so read it before the next call. A commit
 * the cache lacks is fetched through `ref` when given (a pull request's refs/pull/N/head,
 * which also holds a fork's commits), and else (or when that fails) by its id.
 */
export async function readCommit(cache: CommitCache, commit: string, ref?: string): Promise<string> {
  const { git, dir, remote } = cache;
  if (!isCommitId(commit)) throw new PilotError('stalled', 'source.commit-missing', `${JSON.stringify(commit)} is not a commit id`);
  const present = async () => (await git(['cat-file', '-e', `${commit}^{commit}`])).code === 0;
  if (!(await present()) && ref !== undefined && safeRef.test(ref) && !ref.includes('..')) {
    // A server without the ref (a plain git server has no refs/pull/*) may still give the commit by its id, below.
    await git(['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', 'origin', `+${ref}:refs/pilot/${ref.slice('refs/'.length)}`]);
  }
  if (!(await present())) {
    const fetched = await git(['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', 'origin', commit]);
    if (fetched.code !== 0) throw remote.failure(fetched, `fetch commit ${commit} from`, commit);
  }
  const tree = path.join(cache.cacheDir, 'at-commit');
  await rm(tree, { recursive: true, force: true });
  await mkdir(tree, { recursive: true });
  const apart = openGit({ cwd: dir, url: cache.url, env: { ...pinnedTo(dir), GIT_INDEX_FILE: path.join(cache.cacheDir, 'at-commit.index') } });
  await apart.must(['read-tree', commit], `read commit ${commit} of`);
  await apart.must(['checkout-index', '--all', '--force', `--prefix=${tree}${path.sep}`], `write commit ${commit} of`);
  return tree;
}
