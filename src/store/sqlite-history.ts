// The SQLite store's History: the newest runs, jobs and deliveries for `pilot status` and
// the status page, and each app as its latest deployment left it.

import type { DeliveryRecord, DeployedApp, History } from '../reconciler/store-port.js';
import { checkLimit, deployedAppOf, jobFromRow, runFromRow } from './rows.js';
import type { Statements } from './statements.js';

export function createHistory(s: Statements, recentDeliveries: (limit: number) => Promise<DeliveryRecord[]>): History {
  return {
    lastRuns: async (limit) => s.lastRuns.all(checkLimit(limit)).map(runFromRow),
    recentJobs: async (limit) => s.recentJobs.all(checkLimit(limit)).map(jobFromRow),
    recentDeliveries: async (limit) => recentDeliveries(checkLimit(limit)),
    deployedApps: async () => s.inventory.all().filter((item) => item.kind === 'app').flatMap((item) => deployed(s, item.project, item.name)),
  };
}

/** The app as its latest deployment left it (rows.ts: deployedAppOf). */
function deployed(s: Statements, project: string, app: string): DeployedApp[] {
  const found = deployedAppOf(project, app, s.lastFinishedUp.get(project, app), s.lastApplied.get(project, app), s.lastSucceededUp.get(project, app));
  return found ? [found] : [];
}
