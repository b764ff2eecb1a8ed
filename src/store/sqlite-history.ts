// The SQLite store's History: the newest runs, jobs and deliveries for `pilot status` and
// the status page, and each app as its latest deployment left it.

import type { DeliveryRecord, DeployedApp, History } from '../reconciler/store-port.js';
import { jobFromRow, runFromRow } from './rows.js';
import type { Statements } from './statements.js';

export function createHistory(s: Statements, recentDeliveries: (limit: number) => Promise<DeliveryRecord[]>): History {
  return {
    lastRuns: async (limit) => s.lastRuns.all(checkLimit(limit)).map(runFromRow),
    recentJobs: async (limit) => s.recentJobs.all(checkLimit(limit)).map(jobFromRow),
    recentDeliveries: async (limit) => recentDeliveries(checkLimit(limit)),
    deployedApps: async () => s.inventory.all().filter((item) => item.kind === 'app').flatMap((item) => deployed(s, item.project, item.name)),
  };
}

/** The newer of the app's last finished `up` job and what was last applied (as lastDeployment picks), with its URLs. */
function deployed(s: Statements, project: string, app: string): DeployedApp[] {
  const job = s.lastFinishedUp.get(project, app);
  const applied = s.lastApplied.get(project, app);
  const succeeded = s.lastSucceededUp.get(project, app);
  const urls = succeeded ? jobFromRow(succeeded).urls : undefined;
  const where = { project, app, ...(urls ? { urls } : {}) };
  if (job && (!applied || (job.finished_at ?? '') >= applied.at)) {
    const { state, commit, error } = jobFromRow(job);
    return [{ ...where, state: state as DeployedApp['state'], commit, at: job.finished_at ?? job.queued_at, ...(error === undefined ? {} : { error }) }];
  }
  return applied ? [{ ...where, state: applied.state as DeployedApp['state'], commit: applied.commit, at: applied.at }] : [];
}

/** SQLite reads a negative LIMIT as "no limit"; a caller asking for one has a bug. */
function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  return limit;
}
