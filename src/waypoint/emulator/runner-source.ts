// What the simulated runner "downloads": the commit a job's data source resolves to.
// Nothing is cloned; a commit is taken from the job when it names one, else made up
// deterministically from the repository URL and the requested ref.

import { createHash } from 'node:crypto';
import { timestamp } from './time.js';
import type { DataSourceRef, GitSource, Job } from './types.js';

const commitPattern = /^[0-9a-f]{40}$/i;

/** Keys `data_source_overrides` may hold for git (Go field names, matched case-insensitively). */
const gitOverrideKeys = new Set(['url', 'ref', 'path', 'ignorechangesoutsidepath', 'recursesubmodules']);
const authOverrideKeys = new Set(['username', 'password', 'key', 'key_password']);

/** Applies the overrides like GitSource.Override; returns the error text for unknown keys. */
export function applyOverrides(git: GitSource, overrides: Record<string, string>): { git: GitSource } | { error: string } {
  const unknown = Object.keys(overrides).filter((key) => !gitOverrideKeys.has(key.toLowerCase()) && !authOverrideKeys.has(key));
  if (unknown.length) return { error: `invalid override keys: [${unknown.join(' ')}]` };
  const result = { ...git };
  for (const [key, value] of Object.entries(overrides)) {
    const field = key.toLowerCase();
    if (field === 'url' || field === 'ref' || field === 'path') result[field] = value;
  }
  return { git: result };
}

export function resolveCommit(git: GitSource): string {
  if (commitPattern.test(git.ref)) return git.ref.toLowerCase();
  return createHash('sha1').update(`${git.url}\0${git.ref || 'HEAD'}`).digest('hex');
}

/** The data_source_ref a download yields, or an error text when the overrides are invalid. */
export function downloadRef(job: Job): { ref: DataSourceRef; git?: GitSource } | { error: string } {
  const source = job.data_source;
  if (source?.source !== 'git' || !source.git) return { ref: { unknown: {} } };
  const applied = applyOverrides(source.git, job.data_source_overrides);
  if ('error' in applied) return applied;
  const commit = resolveCommit(applied.git);
  const requested = applied.git.ref || 'HEAD';
  return {
    git: applied.git,
    ref: { git: { commit, timestamp: timestamp(), commit_message: `Emulated commit of ${requested}` } },
  };
}
