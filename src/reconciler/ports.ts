// What the reconciler needs from the outside world. The consumer owns these
// interfaces; adapters in src/waypoint/, src/sources/ and src/drivers/ implement
// them (the state store's port is in store-port.ts).

import type { ErrorKind } from './errors.js';
import type { ActualState } from './actual-state.js';
import type { Provider } from './desired-state.js';

// ---- Waypoint ---------------------------------------------------------------

/** What every job of an app names: its waypoint.hcl, its source and the revision that asked for it. */
interface AppJob {
  project: string;
  app: string;
  /** The rendered waypoint.hcl (no secrets), sent inline. */
  waypointHcl: string;
  /** Pinned to a commit; the app's sub-folder travels only in the waypoint.hcl's `app { path }`. */
  source: { repo: string; commit: string };
  /** The manifest revision that asked for this job. */
  revision: string;
}

/**
 * The one shape of a Waypoint job, from the plan down to the QueueJob message: `up`
 * deploys the source commit, `destroy` tears down what a waypoint.hcl deployed.
 */
export type WaypointJob =
  | (AppJob & {
      operation: 'up';
      /** The id of the queue intent recorded before QueueJob, carried as a job label. */
      intent: string;
      /** The rendered config's hash, carried as a job label: what a job in flight deploys. */
      configHash: string;
    })
  | (AppJob & { operation: 'destroy' });

export interface JobResult {
  jobId: string;
  state: 'success' | 'error';
  urls: { release?: string; app?: string; deploy?: string };
  lastLines: string[];
  /** Why it failed, in words a person can act on. */
  error?: string;
}

export type JobProgress =
  | { type: 'state'; state: string }
  | { type: 'line'; text: string };

export interface ConfigValue {
  kind: 'static' | 'dynamic';
  /** static: the value (secrets included, in memory only); dynamic: the source plugin. */
  value: string;
  config?: Record<string, string>;
}

export interface WaypointPort {
  /**
   * Projects and apps Waypoint knows and their config names: a bounded number of calls per
   * project, never per app. Jobs in flight are Pilot's own record (the store's open jobs).
   */
  observe(apps: readonly { project: string; app: string }[], projects: readonly string[]): Promise<Pick<ActualState, 'projects' | 'apps'>>;
  ensureProject(project: string): Promise<void>;
  ensureApp(project: string, app: string): Promise<void>;
  setConfig(project: string, app: string, values: Record<string, ConfigValue>): Promise<void>;
  deleteConfig(project: string, app: string, names: readonly string[]): Promise<void>;
  /** Queues an `up` or a `destroy` (with the waypoint.hcl and source the app was last deployed with). */
  queueJob(job: WaypointJob): Promise<string>;
  /**
   * One job as Waypoint has it now; undefined when Waypoint no longer has it (it keeps
   * 10,000 finished jobs and trims the rest, so its history is no record of deploys).
   */
  job(jobId: string): Promise<{ state: 'queued' | 'running' | 'success' | 'error'; urls: JobResult['urls']; error?: string } | undefined>;
  /** The job queued with this intent, if Waypoint has one (a run that died before recording its id). */
  jobByIntent(project: string, app: string, intent: string): Promise<string | undefined>;
  /** A Pilot job of this app still queued or running, if any (checked before queueing again). */
  inFlight(project: string, app: string): Promise<{ jobId: string; configHash: string; commit: string } | undefined>;
  /** Follows a job to its end; a restart calls this again with the recorded id. */
  watch(jobId: string, onProgress: (event: JobProgress) => void, signal?: AbortSignal): Promise<JobResult>;
}

// ---- sources ----------------------------------------------------------------

export interface SourcePort {
  /** The commit a branch, tag or commit of a repository points at now. */
  resolveCommit(repo: string, ref: string): Promise<string>;
}

// ---- cloud stacks -----------------------------------------------------------

/** One resource Terraform would change, as a plan shows it (no values). */
export interface StackChange {
  address: string;
  action: 'create' | 'update' | 'delete' | 'replace';
  destructive: boolean;
  /** The attributes that change (for replace: the ones forcing it). */
  attributes?: string[];
}

/** One stack (a project's resources in one provider and region) as planned. */
export interface StackState {
  /** The plan's id of the stack: stack:<project>/<provider>/<region>. */
  id: string;
  project: string;
  provider: Provider;
  region: string;
  /** Empty when the stack matches the manifests. */
  changes: StackChange[];
  /** Database instances with deletion protection on: Terraform address -> database name. */
  protectedAddresses: Record<string, string>;
  /** Why the stack could not be planned (terraform or a provider missing, bad credentials). */
  error?: { kind: ErrorKind; code: string; message: string };
}

/** Applies the plan made for a stack in this run; the shell keeps the saved plans. */
export interface StackPort {
  apply(stackId: string): Promise<void>;
}
