// What was applied to each app, and what Pilot deployed last.

import type { DeployRecord } from '../../reconciler/actual-state.js';
import type { AppliedRecord, AppRecords, DeployLog } from '../../reconciler/store-port.js';
import { appliedFromRow, appliedToRow, lastDeploymentOf, type AppliedRow, type JobRow } from '../rows.js';
import { readSnapshot, type Db } from './db.js';
import type { FencedWrite } from './fence.js';
import { appliedColumns, lastUpJobs } from './sql.js';

export function createDeployLog(db: Db, write: FencedWrite): DeployLog {
  const lastApplied = async (project: string, app: string): Promise<AppliedRow | undefined> =>
    (await db.query<AppliedRow>(`SELECT ${appliedColumns} FROM applied WHERE project = $1 AND app = $2`, [project, app])).rows[0];

  return {
    async recordApplied(record: AppliedRecord): Promise<void> {
      const row = appliedToRow(record);
      await write((client) => client.query(`
        INSERT INTO applied (${appliedColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8, $9, $10)
        ON CONFLICT (project, app) DO UPDATE SET
          job_id = excluded.job_id, config_hash = excluded.config_hash, "commit" = excluded."commit", state = excluded.state,
          spec = excluded.spec, waypoint_hcl = excluded.waypoint_hcl, revision = excluded.revision, at = excluded.at`,
      [row.project, row.app, row.job_id, row.config_hash, row.commit, row.state, row.spec, row.waypoint_hcl, row.revision, row.at]));
    },

    async lastApplied(project: string, app: string): Promise<AppliedRecord | undefined> {
      const row = await lastApplied(project, app);
      return row === undefined ? undefined : appliedFromRow(row);
    },

    async lastDeployment(project: string, app: string): Promise<DeployRecord | undefined> {
      return db.transaction(async (client) => {
        const job = (await client.query<JobRow>(lastUpJobs(false), [[project], app])).rows[0];
        const applied = (await client.query<AppliedRow>(`SELECT ${appliedColumns} FROM applied WHERE project = $1 AND app = $2`, [project, app])).rows[0];
        return lastDeploymentOf(job, applied);
      }, readSnapshot);
    },

    // A plan needs no app's waypoint.hcl: it is left out.
    async appRecords(projects?: readonly string[]): Promise<Map<string, AppRecords>> {
      const filter = projects ? [...projects] : null;
      const [jobRows, appliedRows] = await db.transaction(async (client) => [
        (await client.query<JobRow>(lastUpJobs(false), [filter, null])).rows,
        (await client.query<AppliedRow>(
          `SELECT ${appliedColumns.replace('waypoint_hcl', 'NULL AS waypoint_hcl')} FROM applied WHERE $1::text[] IS NULL OR project = ANY($1)`,
          [filter])).rows,
      ] as const, readSnapshot);
      const jobs = new Map(jobRows.map((job) => [`${job.project}/${job.app}`, job]));
      const records = new Map<string, AppRecords>();
      for (const row of appliedRows) {
        const key = `${row.project}/${row.app}`;
        records.set(key, { applied: appliedFromRow(row), deployed: lastDeploymentOf(jobs.get(key), row)! });
        jobs.delete(key);
      }
      for (const [key, job] of jobs) records.set(key, { deployed: lastDeploymentOf(job, undefined)! });
      return records;
    },
  };
}
