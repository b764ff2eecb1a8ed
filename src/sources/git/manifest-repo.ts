// The daemon's git source: a clone of the manifest repository's tracked branch,
// fetched on demand, with the paths each fetch changed and work trees at any commit.

import path from 'node:path';
import { PilotError } from '../../reconciler/errors.js';
import type { Logger } from '../../reconciler/logger.js';
import { changesBetween, isCommitId } from './changed-paths.js';
import { openGit, type Git, type GitAuth } from './git.js';
import { readCommit } from './commit-tree.js';
import { ensureCache, pinnedTo, type CacheRepo, type RepoGit } from './manifest-cache.js';

export { projectsTouched, type ProjectFile } from './changed-paths.js';

export interface ManifestRepoOptions {
  url: string;
  branch: string;
  /** Kept between restarts: holds the clone (repo/). */
  cacheDir: string;
  auth?: GitAuth;
  logger: Logger;
  /** Deadline of each git command. Default 120 s. */
  timeoutMs?: number;
  /** Receives git's progress lines while a fetch runs. */
  onProgress?: (line: string) => void;
}

export interface FetchResult {
  commit: string;
  /** The commit the previous fetch of this process returned. */
  previous?: string;
  /** Paths changed since `previous`; 'all' on the first fetch or after a force-push. */
  changedPaths: string[] | 'all';
  /** `previous` is not an ancestor of `commit`: the branch's history was rewritten. */
  forced: boolean;
}

export interface ManifestRepo {
  fetch(): Promise<FetchResult>;
  /** A work tree at exactly `commit`; it is reused, so read it before the next checkout. */
  checkout(commit: string): Promise<string>;
  /** The commit of the last successful fetch of this process. */
  head(): string | undefined;
  changedSince(from: string, to: string): Promise<string[] | 'all'>;
  /**
   * The files of any commit the repository has (a pull request's head), fetched when
   * missing, in a folder of their own: the tracked branch's work tree is not touched.
   * Reused, so read it before the next call.
   */
  readAt(commit: string, ref?: string): Promise<string>;
}

const invalidBranch = /^-|^$|\.\.|@\{|[\s~^:?*[\\\x00-\x1f\x7f]|\/$|\.$|\.lock$|\/\/|^\/|\/\./;

/** Runs one task at a time: git refuses concurrent writers to one index. */
function serializer(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

export function openManifestRepo(options: ManifestRepoOptions): ManifestRepo {
  const cacheDir = path.resolve(options.cacheDir);
  const dir = path.join(cacheDir, 'repo');
  const remote: Git = openGit({
    cwd: dir,
    url: options.url,
    env: pinnedTo(dir),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const { url, shown } = remote;
  if (url === '' || url.startsWith('-')) throw new PilotError('stalled', 'source.invalid-url', `${JSON.stringify(shown)} is not a git URL: fix the manifest repository URL`);
  if (invalidBranch.test(options.branch)) throw new PilotError('stalled', 'source.invalid-branch', `${JSON.stringify(options.branch)} is not a valid branch name: fix the tracked branch`);
  const branch = options.branch;
  const logger = options.logger;
  const exclusive = serializer();
  const git: RepoGit = (args) => remote.run(args);
  let last: string | undefined;
  let cache: CacheRepo | undefined;

  async function open(): Promise<{ git: RepoGit; dir: string }> {
    if (!cache) {
      const candidate: CacheRepo = { dir, trackingRef: `refs/remotes/origin/${branch}`, url, git };
      let outcome;
      try {
        outcome = await ensureCache(candidate);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new PilotError('stalled', 'source.cache', `cannot prepare the manifest cache in ${cacheDir} (${why}): make it writable by the user running pilot`, { cause: error });
      }
      if (outcome.state === 'replaced') logger.warn({ dir, reason: outcome.reason }, 'manifest cache replaced');
      else logger.info({ dir, url: shown, branch }, outcome.state === 'reused' ? 'manifest cache reused' : 'manifest cache created');
      cache = candidate;
    }
    return { git, dir };
  }

  async function tracked(git: RepoGit): Promise<string | undefined> {
    const result = await git(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}^{commit}`]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async function fetchBranch(): Promise<FetchResult> {
    const { git } = await open();
    // One round trip: a fetch with nothing new transfers nothing. Only a failed fetch asks
    // the remote again, to tell a missing branch from an unreachable remote.
    const progress = options.onProgress ? '--progress' : '--quiet';
    const fetched = await git(['fetch', progress, '--no-tags', '--no-recurse-submodules', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
    if (fetched.code !== 0) {
      const listing = await git(['ls-remote', '--exit-code', 'origin', `refs/heads/${branch}`]);
      if (listing.code === 2) {
        const known = (await tracked(git)) !== undefined;
        const consequence = known ? 'no longer exists on' : 'does not exist on';
        throw new PilotError('stalled', 'source.branch-missing', `branch ${JSON.stringify(branch)} ${consequence} ${shown}: the last good revision stays applied; push the branch, or track another one`);
      }
      throw remote.failure(listing.code !== 0 ? listing : fetched, listing.code !== 0 ? 'read the branches of' : `fetch branch ${JSON.stringify(branch)} from`, branch);
    }
    const commit = await tracked(git);
    if (commit === undefined) throw new PilotError('transient', 'source.unreachable', `fetching branch ${JSON.stringify(branch)} from ${shown} left no commit behind: retrying`);
    const previous = last;
    const changes = previous === undefined ? { paths: 'all' as const, forced: false } : await changesBetween(git, previous, commit);
    last = commit;
    const changed = changes.paths === 'all' ? 'all' : changes.paths.length;
    if (changes.forced) logger.warn({ branch, previous, commit }, 'manifest branch history rewritten');
    else if (commit === previous) logger.debug({ branch, commit }, 'manifest branch unchanged');
    else logger.info({ branch, previous, commit, changed }, 'manifest branch fetched');
    return { commit, ...(previous === undefined ? {} : { previous }), changedPaths: changes.paths, forced: changes.forced };
  }

  async function checkoutCommit(commit: string): Promise<string> {
    const { git, dir } = await open();
    const resolved = isCommitId(commit) ? await git(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`]) : undefined;
    if (!resolved || resolved.code !== 0) {
      throw new PilotError('stalled', 'source.commit-missing', `commit ${JSON.stringify(commit)} is not in the manifest cache: fetch ${shown} first`);
    }
    const sha = resolved.stdout.trim();
    for (const args of [['checkout', '--quiet', '--force', '--detach', sha], ['clean', '-ffdxq']]) {
      const result = await git(args);
      if (result.code !== 0) throw new PilotError('transient', 'source.cache', `could not check out ${sha} in ${dir}: ${result.stderr.trim()}`);
    }
    return dir;
  }

  return {
    readAt: (commit, ref) => exclusive(async () => readCommit({ ...(await open()), remote, cacheDir, url: options.url }, commit, ref)),
    fetch: () => exclusive(fetchBranch),
    checkout: (commit) => exclusive(() => checkoutCommit(commit)),
    head: () => last,
    changedSince: (from, to) => exclusive(async () => (await changesBetween((await open()).git, from, to)).paths),
  };
}
