// Faults on demand: outages, slow replies and failing apps, switched by tests at run time.

/** Which app's deploys fail: "project/app" names (case-insensitive), or a function
 * returning true or a reason text for the job it is given. */
export type FailApps = ReadonlySet<string> | ((target: FailTarget) => boolean | string | undefined);

export interface FailTarget {
  project: string;
  application: string;
  workspace: string;
  jobId: string;
}

export interface Faults {
  /** Every RPC answers UNAVAILABLE for `ms` (open job streams are cut with UNAVAILABLE too). */
  unavailable(ms: number): void;
  /** End an outage early. */
  available(): void;
  /** Delay every reply (and the start of every stream) by `ms`; 0 turns it off. */
  slow(ms: number): void;
  failApps: FailApps;
  /** Length of each simulated runner phase, in milliseconds. */
  stepMs: number;
  /** Back to no faults (failApps emptied, stepMs kept). */
  clear(): void;
}

export interface FaultControl extends Faults {
  isUnavailable(): boolean;
  readonly delayMs: number;
  /** Called when an outage starts; returns the unsubscribe function. */
  onOutage(listener: () => void): () => void;
  /** Ends every open job stream with UNAVAILABLE, without an outage. */
  cutStreams(): void;
  failureReason(target: FailTarget): string | undefined;
}

export function createFaults(options: { stepMs: number; failApps?: FailApps | undefined }): FaultControl {
  let unavailableUntil = 0;
  let delayMs = 0;
  const outageListeners = new Set<() => void>();
  const faults: FaultControl = {
    failApps: options.failApps ?? new Set<string>(),
    stepMs: options.stepMs,
    unavailable(ms) {
      unavailableUntil = Date.now() + ms;
      faults.cutStreams();
    },
    cutStreams() {
      for (const listener of [...outageListeners]) listener();
    },
    available() {
      unavailableUntil = 0;
    },
    slow(ms) {
      delayMs = Math.max(0, ms);
    },
    clear() {
      unavailableUntil = 0;
      delayMs = 0;
      faults.failApps = new Set<string>();
    },
    isUnavailable: () => Date.now() < unavailableUntil,
    get delayMs() {
      return delayMs;
    },
    onOutage(listener) {
      outageListeners.add(listener);
      return () => outageListeners.delete(listener);
    },
    failureReason(target) {
      const rule = faults.failApps;
      if (typeof rule === 'function') {
        const verdict = rule(target);
        if (verdict === undefined || verdict === false) return undefined;
        return verdict === true ? 'simulated failure' : verdict;
      }
      const key = `${target.project}/${target.application}`.toLowerCase();
      const listed = [...rule].some((name) => name.toLowerCase() === key);
      return listed ? `simulated failure of ${target.project}/${target.application}` : undefined;
    },
  };
  return faults;
}
