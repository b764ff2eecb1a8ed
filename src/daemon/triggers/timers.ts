// Poll and drift: requests on a timer, with ±10% jitter so daemons and clocks do not
// line up. An interval of 0 turns the trigger off.

import type { Trigger } from '../../reconciler/reporting.js';
import { request, type BranchRequest } from '../../reconciler/requests.js';

export function timerTrigger(name: string, ms: number, make: () => BranchRequest): Trigger {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    name,
    start(push) {
      if (ms <= 0) return;
      const schedule = () => {
        timer = setTimeout(() => {
          if (stopped) return;
          push(make());
          schedule();
        }, ms * (0.9 + Math.random() * 0.2));
        timer.unref();
      };
      schedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Fetches the tracked branch and reconciles what changed. */
export const pollTrigger = (ms: number) => timerTrigger('poll', ms, () => request('poll'));

/** A full reconcile, to notice (and heal) drift. */
export const driftTrigger = (ms: number) => timerTrigger('drift', ms, () => request('drift', { full: true }));
