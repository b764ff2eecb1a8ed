// Everything one emulator holds in memory, created from its options.

import { createConfigStore, type ConfigStore } from './config-store.js';
import { createFaults, type FailApps, type FaultControl } from './faults.js';
import { createRecordStore, type RecordStore } from './records.js';
import { createTokenStore, type TokenStore } from './tokens.js';
import type { Job, Project, TerminalEvent, WorkspaceProject } from './types.js';

/** Which operations hold the per-(workspace, project, app) lock while they run:
 * 'waypoint' (default) is v0.11.4's rule: only deploy, destroy and release operations
 * block, so two `up` jobs of one app run side by side; 'all-ops' serializes every job of an app. */
export type AppLockMode = 'all-ops' | 'waypoint';

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
}

export interface JobListener {
  change(record: JobRecord): void;
  terminal(events: TerminalEvent[]): void;
}

export interface JobRecord {
  job: Job;
  /** workspace/project/app, lower-cased: the unit of the one-operation-at-a-time rule. */
  appKey: string;
  lines: TerminalEvent[];
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
  settings: { stepMs: () => number; logLines: number; concurrency: number; appLock: AppLockMode; initJobs: boolean };
  tokens: TokenStore;
  faults: FaultControl;
  projects: Map<string, ProjectRecord>;
  jobs: Map<string, JobRecord>;
  appLocks: Set<string>;
  active: Set<string>;
  config: ConfigStore;
  records: RecordStore;
  /** Every QueueJob request received, valid or not, in arrival order. */
  queuedJobs: unknown[];
  timers: Set<NodeJS.Timeout>;
  queueCounter: number;
  stopped: boolean;
  /** Asks the scheduler to look at the queue again (set by scheduler.ts). */
  wake: () => void;
}

export function createState(options: BehaviourOptions): EmulatorState {
  const faults = createFaults({ stepMs: options.stepMs ?? 50, failApps: options.failApps });
  return {
    settings: {
      stepMs: () => faults.stepMs,
      logLines: options.logLines ?? 1,
      concurrency: Math.max(1, options.concurrency ?? 4),
      appLock: options.appLock ?? 'waypoint',
      initJobs: options.initJobs ?? true,
    },
    tokens: createTokenStore(options.token),
    faults,
    projects: new Map(),
    jobs: new Map(),
    appLocks: new Set(),
    active: new Set(),
    config: createConfigStore(),
    records: createRecordStore(),
    queuedJobs: [],
    timers: new Set(),
    queueCounter: 0,
    stopped: false,
    wake: () => {},
  };
}

export function projectKey(name: string): string {
  return name.toLowerCase();
}
