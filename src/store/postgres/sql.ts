// Column lists and the reads of an app's last jobs, shared by the reconciler's part of
// the store and its history. PostgreSQL sorts NULL first in DESC order and SQLite
// last: `NULLS LAST` keeps a job without finished_at from passing for the newest.

import type { DeployRecord } from '../../reconciler/actual-state.js';
import type { AppliedRow, JobRow } from '../rows.js';

export const jobColumns = 'job_id, run_id, project, app, kind, config_hash, "commit", state, urls, error, queued_at, finished_at';
export const runColumns = 'id, revision, "trigger", started_at, finished_at, outcome, summary';
export const appliedColumns = 'project, app, job_id, config_hash, "commit", state, spec, waypoint_hcl, revision, at';

const newestFinished = 'ORDER BY project, app, finished_at DESC NULLS LAST, seq DESC';

/**
 * The newest finished `up` job of each app (of these projects, all when null), or only
 * successful ones: one row per project and app.
 */
export function lastUpJobs(succeededOnly: boolean): string {
  const states = succeededOnly ? "('success')" : "('success', 'error')";
  return `SELECT DISTINCT ON (project, app) ${jobColumns} FROM jobs
    WHERE kind = 'up' AND state IN ${states} AND ($1::text[] IS NULL OR project = ANY($1))
    AND ($2::text IS NULL OR app = $2) ${newestFinished}`;
}

/** The newer of the app's last finished up job and what was last applied (finished jobs are pruned with old runs). */
export function lastDeploymentOf(job: JobRow | undefined, applied: AppliedRow | undefined): DeployRecord | undefined {
  if (job && (!applied || (job.finished_at ?? '') >= applied.at)) {
    return { jobId: job.job_id, configHash: job.config_hash, commit: job.commit, state: job.state as DeployRecord['state'] };
  }
  return applied ? { jobId: applied.job_id, configHash: applied.config_hash, commit: applied.commit, state: applied.state as DeployRecord['state'] } : undefined;
}
