// History for `pilot status` and the status page: the newest runs, jobs and deliveries,
// and each app as its latest deployment left it.

import type { DeliveryRecord, DeployedApp, History } from '../../reconciler/store-port.js';
import { checkLimit, deployedAppOf, jobFromRow, runFromRow, type AppliedRow, type JobRow, type RunRow } from '../rows.js';
import { readSnapshot, type Db } from './db.js';
import { appliedColumns, jobColumns, lastUpJobs, runColumns } from './sql.js';

export function createHistory(db: Db, recentDeliveries: (limit: number) => Promise<DeliveryRecord[]>): History {
  return {
    async lastRuns(limit) {
      const { rows } = await db.query<RunRow>(`SELECT ${runColumns} FROM runs ORDER BY id DESC LIMIT $1`, [checkLimit(limit)]);
      return rows.map(runFromRow);
    },
    async recentJobs(limit) {
      const { rows } = await db.query<JobRow>(`SELECT ${jobColumns} FROM jobs ORDER BY queued_at DESC, seq DESC LIMIT $1`, [checkLimit(limit)]);
      return rows.map(jobFromRow);
    },
    recentDeliveries: async (limit) => recentDeliveries(checkLimit(limit)),
    deployedApps: () => deployedApps(db),
  };
}

/**
 * Every app of the inventory, by project and app, as the newer of its last finished
 * `up` job and what was last applied left it (as lastDeployment picks), with the URLs
 * of its last success: four reads in one snapshot, whatever the number of apps.
 */
async function deployedApps(db: Db): Promise<DeployedApp[]> {
  const [apps, finished, succeeded, applied] = await db.transaction(async (client) => [
    (await client.query<{ project: string; name: string }>("SELECT project, name FROM inventory WHERE kind = 'app' ORDER BY kind, project, name")).rows,
    (await client.query<JobRow>(lastUpJobs(false), [null, null])).rows,
    (await client.query<JobRow>(lastUpJobs(true), [null, null])).rows,
    (await client.query<AppliedRow>(`SELECT ${appliedColumns} FROM applied`)).rows,
  ] as const, readSnapshot);
  const byApp = <T extends { project: string; app: string }>(rows: readonly T[]) => new Map(rows.map((row) => [`${row.project}/${row.app}`, row]));
  const [lastFinished, lastSucceeded, lastApplied] = [byApp(finished), byApp(succeeded), byApp(applied)];

  return apps.flatMap(({ project, name }) => {
    const key = `${project}/${name}`;
    const found = deployedAppOf(project, name, lastFinished.get(key), lastApplied.get(key), lastSucceeded.get(key));
    return found ? [found] : [];
  });
}
