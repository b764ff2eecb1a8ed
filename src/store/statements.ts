// Every statement the store runs, prepared once when it opens.

import type Database from 'better-sqlite3';
import type { AppliedRow, InventoryRow, JobRow, RunRow } from './rows.js';

const jobColumns = 'job_id, run_id, project, app, kind, config_hash, "commit", state, urls, error, queued_at, finished_at';
const runColumns = 'id, revision, "trigger", started_at, finished_at, outcome, summary';

export function prepareStatements(db: Database.Database) {
  return {
    recordRevision: db.prepare<{ revision: string; outcome: string; at: string }>(`
      INSERT INTO revisions (revision, first_seen_at, last_seen_at, outcome) VALUES (@revision, @at, @at, @outcome)
      ON CONFLICT (revision) DO UPDATE SET last_seen_at = excluded.last_seen_at, outcome = excluded.outcome`),

    startRun: db.prepare<{ revision: string; trigger: string; at: string }>(
      'INSERT INTO runs (revision, "trigger", started_at) VALUES (@revision, @trigger, @at)'),
    finishRun: db.prepare<{ id: number; outcome: string; summary: string | null; at: string }>(
      'UPDATE runs SET finished_at = @at, outcome = @outcome, summary = @summary WHERE id = @id'),
    // History older than the newest runs kept: finished jobs and actions go with their run;
    // a run whose job is still open stays, so a restart can follow that job, and so does
    // the run of the job each app was last applied by, whose URLs the status page shows.
    pruneActions: db.prepare<[number]>('DELETE FROM actions WHERE run_id <= ?'),
    pruneJobs: db.prepare<[number]>(
      "DELETE FROM jobs WHERE run_id <= ? AND state NOT IN ('queueing', 'queued', 'running') AND job_id NOT IN (SELECT job_id FROM applied)"),
    pruneRuns: db.prepare<[number]>('DELETE FROM runs WHERE id <= ? AND id NOT IN (SELECT run_id FROM jobs)'),
    lastRuns: db.prepare<[number], RunRow>(`SELECT ${runColumns} FROM runs ORDER BY id DESC LIMIT ?`),

    recordAction: db.prepare<{ run_id: number; action_id: string; status: string; reason: string; error: string | null; at: string }>(`
      INSERT INTO actions (run_id, action_id, status, reason, error, at)
      VALUES (@run_id, @action_id, @status, @reason, @error, @at)`),

    // A replayed recordJob (same Waypoint id) rewrites the row instead of failing.
    recordJob: db.prepare<JobRow>(`
      INSERT INTO jobs (${jobColumns})
      VALUES (@job_id, @run_id, @project, @app, @kind, @config_hash, @commit, @state, @urls, @error, @queued_at, @finished_at)
      ON CONFLICT (job_id) DO UPDATE SET
        run_id = excluded.run_id, project = excluded.project, app = excluded.app, kind = excluded.kind,
        config_hash = excluded.config_hash, "commit" = excluded."commit", state = excluded.state, urls = excluded.urls,
        error = excluded.error, queued_at = excluded.queued_at, finished_at = excluded.finished_at`),
    // NULL parameters leave the column as it is: the update is partial.
    updateJob: db.prepare<{ job_id: string; state: string | null; urls: string | null; error: string | null; finished_at: string | null }>(`
      UPDATE jobs SET
        state = coalesce(@state, state), urls = coalesce(@urls, urls),
        error = coalesce(@error, error), finished_at = coalesce(@finished_at, finished_at)
      WHERE job_id = @job_id`),
    openJobs: db.prepare<[], JobRow>(
      `SELECT ${jobColumns} FROM jobs WHERE state IN ('queued', 'running') ORDER BY queued_at, rowid`),
    lastFinishedUp: db.prepare<[string, string], JobRow>(
      `SELECT ${jobColumns} FROM jobs WHERE project = ? AND app = ? AND kind = 'up' AND state IN ('success', 'error')
       ORDER BY finished_at DESC, rowid DESC LIMIT 1`),
    lastSucceededUp: db.prepare<[string, string], JobRow>(
      `SELECT ${jobColumns} FROM jobs WHERE project = ? AND app = ? AND kind = 'up' AND state = 'success'
       ORDER BY finished_at DESC, rowid DESC LIMIT 1`),
    queueIntents: db.prepare<[], JobRow>(`SELECT ${jobColumns} FROM jobs WHERE state = 'queueing' ORDER BY queued_at, rowid`),
    // OR IGNORE: a retry in the same run may have recorded the job already; the intent then just goes.
    resolveIntent: db.prepare<[string, string]>("UPDATE OR IGNORE jobs SET job_id = ?, state = 'queued' WHERE job_id = ? AND state = 'queueing'"),
    dropIntent: db.prepare<[string]>("DELETE FROM jobs WHERE job_id = ? AND state = 'queueing'"),
    recentJobs: db.prepare<[number], JobRow>(`SELECT ${jobColumns} FROM jobs ORDER BY queued_at DESC, rowid DESC LIMIT ?`),

    recordApplied: db.prepare<AppliedRow>(`
      INSERT INTO applied (project, app, job_id, config_hash, "commit", state, spec, waypoint_hcl, revision, at)
      VALUES (@project, @app, @job_id, @config_hash, @commit, @state, @spec, @waypoint_hcl, @revision, @at)
      ON CONFLICT (project, app) DO UPDATE SET
        job_id = excluded.job_id, config_hash = excluded.config_hash, "commit" = excluded."commit", state = excluded.state,
        spec = excluded.spec, waypoint_hcl = excluded.waypoint_hcl, revision = excluded.revision, at = excluded.at`),
    // `projects` is a JSON array of names, or null for every project. A plan needs no app's waypoint.hcl.
    appliedIn: db.prepare<[string | null, string | null], AppliedRow>(
      `SELECT project, app, job_id, config_hash, "commit", state, spec, NULL AS waypoint_hcl, revision, at FROM applied
       WHERE ? IS NULL OR project IN (SELECT value FROM json_each(?))`),
    lastFinishedUpIn: db.prepare<[string | null, string | null], JobRow>(
      `SELECT ${jobColumns} FROM (
         SELECT ${jobColumns}, row_number() OVER (PARTITION BY project, app ORDER BY finished_at DESC, rowid DESC) AS n
         FROM jobs WHERE kind = 'up' AND state IN ('success', 'error') AND (? IS NULL OR project IN (SELECT value FROM json_each(?))))
       WHERE n = 1`),
    lastApplied: db.prepare<[string, string], AppliedRow>(
      'SELECT project, app, job_id, config_hash, "commit", state, spec, waypoint_hcl, revision, at FROM applied WHERE project = ? AND app = ?'),

    // Adding again refreshes what may change (region, protection) and keeps added_at.
    addToInventory: db.prepare<InventoryRow & { at: string }>(`
      INSERT INTO inventory (kind, project, name, provider, region, deletion_protection, declared, added_at)
      VALUES (@kind, @project, @name, @provider, @region, @deletion_protection, @declared, @at)
      ON CONFLICT (kind, project, name) DO UPDATE SET
        provider = excluded.provider, region = excluded.region, deletion_protection = excluded.deletion_protection,
        declared = coalesce(excluded.declared, declared)`),
    pinRelease: db.prepare<{ project: string; app: string; tag: string; tracked_ref: string; base_commit: string; at: string }>(`
      INSERT INTO release_pins (project, app, tag, tracked_ref, base_commit, at)
      VALUES (@project, @app, @tag, @tracked_ref, @base_commit, @at)
      ON CONFLICT (project, app) DO UPDATE SET
        tag = excluded.tag, tracked_ref = excluded.tracked_ref, base_commit = excluded.base_commit, at = excluded.at`),
    releasePins: db.prepare<[], { project: string; app: string; tag: string; tracked_ref: string; base_commit: string; at: string }>(
      'SELECT project, app, tag, tracked_ref, base_commit, at FROM release_pins ORDER BY project, app'),
    unpinRelease: db.prepare<[string, string]>('DELETE FROM release_pins WHERE project = ? AND app = ?'),

    removeFromInventory: db.prepare<[string, string, string]>('DELETE FROM inventory WHERE kind = ? AND project = ? AND name = ?'),
    inventory: db.prepare<[], InventoryRow>(
      'SELECT kind, project, name, provider, region, deletion_protection, declared FROM inventory ORDER BY kind, project, name'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
