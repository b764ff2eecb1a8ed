// Pilot's Waypoint jobs and queue intents. A recorded job is the only trace of a
// deployment until it ends, so its commit waits for the write-ahead log to be flushed
// (and for a synchronous standby, if any) whatever the server's synchronous_commit.

import type { JobLog, JobRecord, JobUpdate } from '../../reconciler/store-port.js';
import { jobFromRow, jobToRow, toJson, type JobRow } from '../rows.js';
import type { Db, Queryable } from './db.js';
import type { FencedWrite } from './fence.js';
import { jobColumns } from './sql.js';

const durable = (client: Queryable) => client.query('SET LOCAL synchronous_commit TO on');

export function createJobLog(db: Db, write: FencedWrite): JobLog {
  return {
    // A replayed recordJob (same Waypoint id) rewrites the row and keeps its place (seq).
    async recordJob(job: JobRecord): Promise<void> {
      const row = jobToRow(job);
      await write(async (client) => {
        await durable(client);
        await client.query(`
          INSERT INTO jobs (${jobColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::json, $10, $11, $12)
          ON CONFLICT (job_id) DO UPDATE SET
            run_id = excluded.run_id, project = excluded.project, app = excluded.app, kind = excluded.kind,
            config_hash = excluded.config_hash, "commit" = excluded."commit", state = excluded.state, urls = excluded.urls,
            error = excluded.error, queued_at = excluded.queued_at, finished_at = excluded.finished_at`,
        [row.job_id, row.run_id, row.project, row.app, row.kind, row.config_hash, row.commit, row.state, row.urls, row.error, row.queued_at, row.finished_at]);
      });
    },

    // NULL parameters leave the column as it is: the update is partial.
    async updateJob(jobId: string, update: JobUpdate): Promise<void> {
      await write(async (client) => {
        const { rowCount } = await client.query(`
          UPDATE jobs SET state = coalesce($2, state), urls = coalesce($3::json, urls),
            error = coalesce($4, error), finished_at = coalesce($5, finished_at)
          WHERE job_id = $1`,
        [jobId, update.state ?? null, update.urls === undefined ? null : toJson(update.urls), update.error ?? null, update.finishedAt ?? null]);
        if (rowCount === 0) throw new Error(`the state store has no job ${jobId} to update; recordJob must come first`);
      });
    },

    async openJobs(): Promise<JobRecord[]> {
      const { rows } = await db.query<JobRow>(`SELECT ${jobColumns} FROM jobs WHERE state IN ('queued', 'running') ORDER BY queued_at, seq`);
      return rows.map(jobFromRow);
    },

    async queueIntents(): Promise<JobRecord[]> {
      const { rows } = await db.query<JobRow>(`SELECT ${jobColumns} FROM jobs WHERE state = 'queueing' ORDER BY queued_at, seq`);
      return rows.map(jobFromRow);
    },

    // A retry in the same run may have recorded the job already: then the intent just goes.
    async resolveIntent(provisionalId: string, jobId: string | undefined): Promise<void> {
      await write(async (client) => {
        await durable(client);
        if (jobId) {
          await client.query(`
            UPDATE jobs SET job_id = $1, state = 'queued' WHERE job_id = $2 AND state = 'queueing'
            AND NOT EXISTS (SELECT 1 FROM jobs WHERE job_id = $1)`, [jobId, provisionalId]);
        }
        await client.query("DELETE FROM jobs WHERE job_id = $1 AND state = 'queueing'", [provisionalId]);
      });
    },
  };
}
