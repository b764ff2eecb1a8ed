// The status page's memory: what the store says each app last had deployed (URL, commit,
// when) and the newest runs, read at start-up and again after each run of the tracked
// branch, so that a restart loses neither.

import type { Reporter } from '../../reconciler/reporting.js';
import type { History, ReleasePins } from '../../reconciler/store-port.js';
import type { DaemonStatus } from '../status.js';
import { restoredApps, runStatuses, runsShown, withDeployments } from '../status-history.js';

export interface StatusStore extends Pick<ReleasePins, 'releasePins'> {
  readonly history: Pick<History, 'deployedApps' | 'lastRuns'>;
}

/** Fills a new status from the store: before the first run, the apps as last deployed. */
export async function restoreStatus(status: DaemonStatus, store: StatusStore): Promise<void> {
  const [deployed, pins, runs] = await Promise.all([store.history.deployedApps(), store.releasePins(), store.history.lastRuns(runsShown)]);
  status.apps = restoredApps(deployed, pins);
  status.runs = runStatuses(runs);
}

/** Goes after the status reporter, which sets the apps a run left. */
export function storeReporter(status: DaemonStatus, store: StatusStore): Reporter {
  return {
    async report(report) {
      if (report.request.kind !== 'branch') return;
      const [deployed, runs] = await Promise.all([store.history.deployedApps(), store.history.lastRuns(runsShown)]);
      status.apps = withDeployments(status.apps, deployed);
      status.runs = runStatuses(runs);
    },
  };
}
