// The clone of the manifest repository kept in the cache folder between restarts:
// reused when it is sound and points at the configured remote, else made anew.

import { access, mkdir, rm } from 'node:fs/promises';
import type { GitResult } from './git-command.js';

export type RepoGit = (args: readonly string[]) => Promise<GitResult>;

export interface CacheRepo {
  /** The work tree; its .git is the clone. */
  dir: string;
  /** The remote-tracking ref the tracked branch is fetched into. */
  trackingRef: string;
  /** The origin URL, free of credentials. */
  url: string;
  /** Runs git in `dir`, pinned to it (see `pinnedTo`). */
  git: RepoGit;
}

/** Pins git to a clone: with GIT_DIR set, git never walks up into an enclosing repository. */
export function pinnedTo(dir: string): NodeJS.ProcessEnv {
  return { GIT_DIR: `${dir}/.git`, GIT_WORK_TREE: dir };
}

/** Why the clone cannot be reused, or undefined when it can. */
async function unsound(cache: CacheRepo, git: RepoGit): Promise<string | undefined> {
  if ((await git(['rev-parse', '--git-dir'])).code !== 0) return 'not a git repository';
  const origin = await git(['config', '--get', 'remote.origin.url']);
  if (origin.code !== 0 || origin.stdout.trim() !== cache.url) return 'origin differs from the configured URL';
  const tracked = await git(['for-each-ref', '--format=%(objectname)', cache.trackingRef]);
  if (tracked.code !== 0) return 'refs unreadable';
  const commit = tracked.stdout.trim();
  if (commit && (await git(['cat-file', '-e', `${commit}^{commit}`])).code !== 0) return 'tracked commit missing';
  return undefined;
}

async function create(cache: CacheRepo): Promise<void> {
  await rm(cache.dir, { recursive: true, force: true });
  await mkdir(cache.dir, { recursive: true });
  for (const args of [['init', '--quiet'], ['config', 'remote.origin.url', cache.url], ['config', 'core.autocrlf', 'false']]) {
    const result = await cache.git(args);
    if (result.code !== 0) throw new Error(`git ${args[0]} in ${cache.dir} failed: ${result.stderr.trim()}`);
  }
}

export type CacheOutcome = { state: 'reused' } | { state: 'created' } | { state: 'replaced'; reason: string };

/** Makes sure a sound clone of `cache.url` is at `cache.dir`; nothing here touches the network. */
export async function ensureCache(cache: CacheRepo): Promise<CacheOutcome> {
  const existed = await access(`${cache.dir}/.git`).then(() => true, () => false);
  await mkdir(cache.dir, { recursive: true });
  const problem = existed ? await unsound(cache, cache.git) : 'none yet';
  if (problem === undefined) return { state: 'reused' };
  await create(cache);
  return existed ? { state: 'replaced', reason: problem } : { state: 'created' };
}
