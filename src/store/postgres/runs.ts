// Revisions seen, runs and their actions; a new run prunes those older than the
// newest `keepRuns`, in the same transaction.

import type { RunLog, RunOutcome } from '../../reconciler/store-port.js';
import { toJson } from '../rows.js';
import type { Queryable } from './db.js';
import type { FencedWrite } from './fence.js';

export function createRunLog(write: FencedWrite, timestamp: () => string, keepRuns: number): RunLog {
  return {
    async recordRevision(revision: string, outcome: 'valid' | 'invalid'): Promise<void> {
      await write((client) => client.query(`
        INSERT INTO revisions (revision, first_seen_at, last_seen_at, outcome) VALUES ($1, $2, $2, $3)
        ON CONFLICT (revision) DO UPDATE SET last_seen_at = excluded.last_seen_at, outcome = excluded.outcome`,
      [revision, timestamp(), outcome]));
    },

    async startRun(revision: string, trigger: string): Promise<number> {
      return write(async (client) => {
        const { rows } = await client.query<{ id: number }>(
          'INSERT INTO runs (revision, "trigger", started_at) VALUES ($1, $2, $3) RETURNING id', [revision, trigger, timestamp()]);
        const id = rows[0]!.id;
        if (id > keepRuns) await prune(client, id - keepRuns);
        return id;
      });
    },

    async finishRun(runId: number, outcome: RunOutcome, summary: unknown): Promise<void> {
      await write(async (client) => {
        const { rowCount } = await client.query(
          'UPDATE runs SET finished_at = $2, outcome = $3, summary = $4::json WHERE id = $1', [runId, timestamp(), outcome, toJson(summary)]);
        if (rowCount === 0) throw new Error(`the state store has no run ${runId} to finish`);
      });
    },

    async recordAction(runId: number, action: { id: string; status: string; reason: string; error?: string }): Promise<void> {
      await write((client) => client.query(
        'INSERT INTO actions (run_id, action_id, status, reason, error, at) VALUES ($1, $2, $3, $4, $5, $6)',
        [runId, action.id, action.status, action.reason, action.error ?? null, timestamp()]));
    },
  };
}

/**
 * History older than the newest runs kept: finished jobs and actions go with their run;
 * a run whose job is still open stays, so a restart can follow that job, and so does
 * the run of the job each app was last applied by, whose URLs the status page shows.
 */
async function prune(client: Queryable, upTo: number): Promise<void> {
  await client.query('DELETE FROM actions WHERE run_id <= $1', [upTo]);
  await client.query(
    "DELETE FROM jobs WHERE run_id <= $1 AND state NOT IN ('queueing', 'queued', 'running') AND job_id NOT IN (SELECT job_id FROM applied)", [upTo]);
  await client.query('DELETE FROM runs WHERE id <= $1 AND id NOT IN (SELECT run_id FROM jobs)', [upTo]);
}
