// Faults on demand: outages, slow replies, failing apps, no runner, and job streams
// that complete before their last output, switched by tests at run time.

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
  /** No runner is registered: every job stays QUEUED, until it expires or is cancelled, as
   * on a real server without an eligible runner; `false` lets them run. Running jobs go on. */
  noRunner(on?: boolean): void;
  /** GetJobStream sends `complete` before the output the job wrote last (in the same turn
   * as its end), which is then never sent: the real server does not drain its output reader
   * first (pkg/server/singleprocess/service_job.go 871). A late stream still gets it. */
  completeBeforeOutput(on?: boolean): void;
  /** Back to no faults (failApps emptied, runner back, stepMs kept). */
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
  readonly runnerAbsent: boolean;
  readonly completeRaces: boolean;
}

export interface FaultOptions {
  stepMs: number;
  failApps?: FailApps | undefined;
  noRunner?: boolean | undefined;
  completeBeforeOutput?: boolean | undefined;
  /** Called when the runner comes back, so that queued jobs are looked at again. */
  onRunnerBack: () => void;
}

export function createFaults(options: FaultOptions): FaultControl {
  let unavailableUntil = 0;
  let delayMs = 0;
  let runnerAbsent = options.noRunner ?? false;
  let completeRaces = options.completeBeforeOutput ?? false;
  const setRunnerAbsent = (absent: boolean) => {
    const back = runnerAbsent && !absent;
    runnerAbsent = absent;
    if (back) options.onRunnerBack();
  };
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
    noRunner(on = true) {
      setRunnerAbsent(on);
    },
    completeBeforeOutput(on = true) {
      completeRaces = on;
    },
    clear() {
      unavailableUntil = 0;
      delayMs = 0;
      faults.failApps = new Set<string>();
      completeRaces = false;
      setRunnerAbsent(false);
    },
    get runnerAbsent() {
      return runnerAbsent;
    },
    get completeRaces() {
      return completeRaces;
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
