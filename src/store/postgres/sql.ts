// Column lists and the reads of an app's last jobs, shared by the reconciler's part of
// the store and its history. PostgreSQL sorts NULL first in DESC order and SQLite
// last: `NULLS LAST` keeps a job without finished_at from passing for the newest.

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

