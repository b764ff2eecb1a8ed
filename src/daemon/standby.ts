// A standby's status: it runs nothing, so what it shows comes from the shared store,
// read again every few seconds (the apps as last deployed, the runs, who leads). Its
// readiness does not wait for a read of the manifests, which only the leader does: a
// standby is ready to take webhooks and to show the status as soon as it is up.

import type { Store } from '../reconciler/store-port.js';
import type { Election } from './election.js';
import type { PinoLogger } from './logger.js';
import { pass } from './readiness.js';
import { restoreStatus } from './reporters/store-reporter.js';
import type { DaemonStatus } from './status.js';

export function watchAsStandby(status: DaemonStatus, election: Election, store: Store, logger: PinoLogger, everyMs = 5_000): { stop(): void } {
  status.leadership = election.status;
  pass(status.ready, 'source');
  const refresh = async () => {
    if (election.status.role !== 'standby') return;
    try {
      await election.refreshLease();
      await restoreStatus(status, store);
    } catch (error) {
      logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'the standby could not read the shared store');
    }
  };
  const timer = setInterval(() => void refresh(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
