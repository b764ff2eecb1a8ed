// The runner's download of a job's data source: the overrides applied the way
// GitSource.Override does, then a real checkout (runner-workspace.ts).

import { status } from './errors.js';
import { checkoutSource, type CheckoutResult } from './runner-workspace.js';
import { timestamp } from './time.js';
import type { DataSourceRef, GitSource, Job } from './types.js';

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

export type Download = { git: GitSource; result: CheckoutResult } | { code: status; error: string };

/** The job's git source checked out under `workDir`. */
export async function download(job: Job, workDir: string, runnerEnv: NodeJS.ProcessEnv): Promise<Download> {
  const source = job.data_source;
  if (source?.source !== 'git' || !source.git) return { code: status.FAILED_PRECONDITION, error: 'the runner can only download git data sources' };
  const applied = applyOverrides(source.git, job.data_source_overrides);
  if ('error' in applied) return { code: status.UNKNOWN, error: applied.error };
  return { git: applied.git, result: await checkoutSource(applied.git, workDir, runnerEnv) };
}

/** The data_source_ref a checkout yields. */
export function refOf(commit: string, at: Date, message: string): DataSourceRef {
  return { git: { commit, timestamp: timestamp(at.getTime()), commit_message: message } };
}
