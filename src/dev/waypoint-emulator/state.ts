// Everything one emulator holds in memory, created from its options.

import { createConfigStore, type ConfigStore } from './config-store.js';
import { createFaults, type FailApps, type FaultControl } from './faults.js';
import { createRecordStore, type RecordStore } from './records.js';
import type { OutputRing } from './output-ring.js';
import { runnerSettings, type RunnerOptions, type RunnerSettings } from './runner-settings.js';
import { createTokenStore, type TokenStore } from './tokens.js';
import type { Job, Project, TerminalEvent, WorkspaceProject } from './types.js';

/** Which operations hold the per-(workspace, project, app) lock from assignment to their end:
 * 'waypoint' (default) is v0.11.4's rule (internal/server/boltdbstate/job_assigned.go 17-21,
 * blockOps): only deploy, destroy and release operations take it; `up`, `noop` and the
 * server's `init` never do, so two `up` jobs of one app run side by side, and an `up` runs
 * beside a `destroy`. 'all-ops' serializes every job of an app. */
export type AppLockMode = 'all-ops' | 'waypoint';

/** v0.11.4 keeps at most this many jobs indexed (internal/server/boltdbstate/job.go 38). */
export const defaultJobHistoryLimit = 10_000;

export interface BehaviourOptions {
  token?: string | undefined;
  stepMs?: number | undefined;
  /** Extra progress lines each runner phase prints (default 1). */
  logLines?: number | undefined;
  /** Jobs the simulated runner runs at once (default 4). */
  concurrency?: number | undefined;
  failApps?: FailApps | undefined;
  appLock?: AppLockMode | undefined;
  /** Queue an `init` job when a project with a git data source and no polling is upserted, as the real server does (default true). */
  initJobs?: boolean | undefined;
  /** What the runner has on its machine (checkouts, environment, image files, Docker). */
  runner?: RunnerOptions | undefined;
  /** Start with no runner registered: jobs stay QUEUED until `faults.noRunner(false)` (default false). */
  noRunner?: boolean | undefined;
  /** Jobs kept before the oldest finished ones are trimmed (default 10,000, as v0.11.4). */
  jobHistoryLimit?: number | undefined;
  /** Start with `faults.completeBeforeOutput` on (default false). */
  completeBeforeOutput?: boolean | undefined;
}

export interface JobListener {
  change(record: JobRecord): void;
  terminal(events: TerminalEvent[]): void;
}

export interface JobRecord {
  job: Job;
  /** workspace/project/app, lower-cased: the unit of the one-operation-at-a-time rule. */
  appKey: string;
  /** Terminal output, created when the runner acks the job (state RUNNING); lines
   * written before that are dropped, as the real server drops them. */
  output: OutputRing | undefined;
  listeners: Set<JobListener>;
  /** Aborted to wake the simulated runner: cancel requested, forced, or emulator stopping. */
  wake: AbortController;
  holdsLock: boolean;
  /** Place in the queue; a singleton replacement inherits the replaced job's place. */
  queueOrder: number;
}

export interface ProjectRecord {
  project: Project;
  workspaces: Map<string, WorkspaceProject>;
}

export interface EmulatorState {
  settings: { stepMs: () => number; logLines: number; concurrency: number; appLock: AppLockMode; initJobs: boolean; jobHistoryLimit: number };
  tokens: TokenStore;
  faults: FaultControl;
  projects: Map<string, ProjectRecord>;
  jobs: Map<string, JobRecord>;
  /** Ids of jobs trimmed from the history: gone for GetJob and ListJobs, but still
   * known as dependencies, as the real server still has them on disk. */
  trimmedJobIds: Set<string>;
  appLocks: Set<string>;
  active: Set<string>;
  config: ConfigStore;
  records: RecordStore;
  /** Every QueueJob request received, valid or not, in arrival order. */
  queuedJobs: unknown[];
  /** Calls received, by method, whether answered or refused: what a client cost the server. */
  calls: Map<string, number>;
  timers: Set<NodeJS.Timeout>;
  queueCounter: number;
  stopped: boolean;
  /** Asks the scheduler to look at the queue again (set by scheduler.ts). */
  wake: () => void;
  runner: RunnerSettings;
  /** The runner's Docker: image reference -> folder (the docker-engine stand-in serves it). */
  docker?: { images: Map<string, string>; dir: string };
}

export function createState(options: BehaviourOptions): EmulatorState {
  const faults = createFaults({
    stepMs: options.stepMs ?? 50,
    failApps: options.failApps,
    noRunner: options.noRunner,
    completeBeforeOutput: options.completeBeforeOutput,
    onRunnerBack: () => state.wake(),
  });
  const state: EmulatorState = {
    settings: {
      stepMs: () => faults.stepMs,
      logLines: options.logLines ?? 1,
      concurrency: Math.max(1, options.concurrency ?? 4),
      appLock: options.appLock ?? 'waypoint',
      initJobs: options.initJobs ?? true,
      jobHistoryLimit: Math.max(0, options.jobHistoryLimit ?? defaultJobHistoryLimit),
    },
    tokens: createTokenStore(options.token),
    faults,
    projects: new Map(),
    jobs: new Map(),
    trimmedJobIds: new Set(),
    appLocks: new Set(),
    active: new Set(),
    config: createConfigStore(),
    records: createRecordStore(),
    queuedJobs: [],
    calls: new Map(),
    timers: new Set(),
    queueCounter: 0,
    stopped: false,
    wake: () => {},
    runner: runnerSettings(options.runner),
  };
  return state;
}

export function projectKey(name: string): string {
  return name.toLowerCase();
}
