// The daemon's git source: a clone of the manifest repository's tracked branch,
// fetched on demand, with the paths each fetch changed and work trees at any commit.

import path from 'node:path';
import { PilotError } from '../../reconciler/errors.js';
import type { Logger } from '../../reconciler/logger.js';
import { changesBetween, isCommitId } from './changed-paths.js';
import { gitEnvironment, splitCredentials, type GitAuth } from './git-auth.js';
import { runGit } from './git-command.js';
import { gitFailure } from './git-failure.js';
import { ensureCache, repoEnvironment, type CacheRepo, type RepoGit } from './manifest-cache.js';
import { redactUrl } from './resolve-commit.js';

export { projectsTouched, type ProjectFile } from './changed-paths.js';

export interface ManifestRepoOptions {
  url: string;
  branch: string;
  /** Kept between restarts: holds the clone (repo/) and the askpass script. */
  cacheDir: string;
  auth?: GitAuth;
  logger: Logger;
  /** Deadline of each git command. Default 120 s. */
  timeoutMs?: number;
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
  const { url, username, password } = splitCredentials(options.url);
  const shown = redactUrl(url);
  if (url === '' || url.startsWith('-')) throw new PilotError('stalled', 'source.invalid-url', `${JSON.stringify(shown)} is not a git URL: fix the manifest repository URL`);
  if (invalidBranch.test(options.branch)) throw new PilotError('stalled', 'source.invalid-branch', `${JSON.stringify(options.branch)} is not a valid branch name: fix the tracked branch`);
  const branch = options.branch;
  const auth: GitAuth = { ...options.auth };
  if (auth.token === undefined && password !== undefined) auth.token = password;
  if (auth.username === undefined && username !== undefined) auth.username = username;
  const secrets = [auth.token, password].filter((s): s is string => Boolean(s));
  const cacheDir = path.resolve(options.cacheDir);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const logger = options.logger;
  const exclusive = serializer();
  let last: string | undefined;
  let cache: CacheRepo | undefined;

  async function open(): Promise<{ git: RepoGit; dir: string }> {
    if (!cache) {
      const candidate: CacheRepo = { dir: path.join(cacheDir, 'repo'), trackingRef: `refs/remotes/origin/${branch}`, url, env: {}, timeoutMs };
      let outcome;
      try {
        candidate.env = await gitEnvironment(auth, cacheDir);
        outcome = await ensureCache(candidate);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new PilotError('stalled', 'source.cache', `cannot prepare the manifest cache in ${cacheDir} (${why}): make it writable by the user running pilot`, { cause: error });
      }
      if (outcome.state === 'replaced') logger.warn({ dir: candidate.dir, reason: outcome.reason }, 'manifest cache replaced');
      else logger.info({ dir: candidate.dir, url: shown, branch }, outcome.state === 'reused' ? 'manifest cache reused' : 'manifest cache created');
      cache = candidate;
    }
    const repo = cache;
    return { git: (args) => runGit(args, { cwd: repo.dir, env: repoEnvironment(repo), timeoutMs }), dir: repo.dir };
  }

  async function tracked(git: RepoGit): Promise<string | undefined> {
    const result = await git(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}^{commit}`]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async function fetchBranch(): Promise<FetchResult> {
    const { git } = await open();
    const context = { url: shown, secrets, timeoutMs };
    const listing = await git(['ls-remote', '--exit-code', 'origin', `refs/heads/${branch}`]);
    if (listing.code === 2) {
      const known = (await tracked(git)) !== undefined;
      const consequence = known ? 'no longer exists on' : 'does not exist on';
      throw new PilotError('stalled', 'source.branch-missing', `branch ${JSON.stringify(branch)} ${consequence} ${shown}: the last good revision stays applied; push the branch, or track another one`);
    }
    if (listing.code !== 0) throw gitFailure(listing, { ...context, action: 'read the branches of' });
    const advertised = listing.stdout.split('\t')[0]?.trim();
    if (advertised !== (await tracked(git))) {
      const fetched = await git(['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
      if (fetched.code !== 0) throw gitFailure(fetched, { ...context, action: `fetch branch ${JSON.stringify(branch)} from` });
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
    fetch: () => exclusive(fetchBranch),
    checkout: (commit) => exclusive(() => checkoutCommit(commit)),
    head: () => last,
    changedSince: (from, to) => exclusive(async () => (await changesBetween((await open()).git, from, to)).paths),
  };
}
