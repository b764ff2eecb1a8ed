// What the reconciler needs from the outside world. The consumer owns these
// interfaces; adapters in src/waypoint/, src/store/, src/sources/ and
// src/drivers/ implement them.

import type { ErrorKind } from './errors.js';
import type { AppSpec, ActualState, DeployRecord, InventoryItem } from './actual-state.js';
import type { Provider } from './desired-state.js';

// ---- Waypoint ---------------------------------------------------------------

export interface UpJob {
  project: string;
  app: string;
  /** The id of the queue intent recorded before QueueJob, carried as a job label. */
  intent: string;
  waypointHcl: string;
  source: { repo: string; commit: string; path: string };
  revision: string;
  configHash: string;
}

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
  /** Projects and apps Waypoint knows, their config names and Pilot's latest jobs. */
  observe(apps: readonly { project: string; app: string }[], projects: readonly string[]): Promise<Pick<ActualState, 'projects' | 'apps'>>;
  ensureProject(project: string): Promise<void>;
  ensureApp(project: string, app: string): Promise<void>;
  setConfig(project: string, app: string, values: Record<string, ConfigValue>): Promise<void>;
  deleteConfig(project: string, app: string, names: readonly string[]): Promise<void>;
  queueUp(job: UpJob): Promise<string>;
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
  /** Queues the teardown of an app's deployments, with the waypoint.hcl and source it was last deployed with. */
  queueDestroy(job: Omit<UpJob, 'configHash' | 'intent'>): Promise<string>;
}

// ---- state store --------------------------------------------------------------

export type RunOutcome = 'converged' | 'no-changes' | 'failed' | 'partial' | 'invalid' | 'interrupted';

export interface RunRecord {
  id: number;
  revision: string;
  trigger: string;
  startedAt: string;
  finishedAt?: string;
  outcome?: RunOutcome;
  summary?: unknown;
}

export interface JobRecord {
  jobId: string;
  runId: number;
  project: string;
  app: string;
  kind: 'up' | 'destroy';
  configHash: string;
  commit: string;
  /**
   * queueing: recorded before QueueJob under a provisional id `intent:<id>`, so a run
   * killed before it hears the job's id leaves a trace the next run can find the job
   * by. lost: Waypoint no longer has the job (trimmed, or the server's data reset).
   */
  state: 'queueing' | 'queued' | 'running' | 'success' | 'error' | 'lost';
  urls?: JobResult['urls'];
  error?: string;
  queuedAt: string;
  finishedAt?: string;
}

export interface AppliedRecord extends DeployRecord {
  project: string;
  app: string;
  spec: AppSpec;
  /** The waypoint.hcl that was deployed (no secrets), so the app can be torn down later. */
  waypointHcl?: string;
  revision: string;
  at: string;
}

/**
 * A published release of an app's source repository, deployed in place of the
 * branch it was cut from. It holds until that branch moves or the manifest's ref
 * changes; then the app follows its ref again.
 */
export interface ReleasePin {
  project: string;
  app: string;
  tag: string;
  /** The manifest's source.ref when the release arrived. */
  trackedRef: string;
  /** The commit `trackedRef` pointed at when the release arrived. */
  baseCommit: string;
  at: string;
}

export interface StateStore {
  /** A revision of the manifest repository was seen (fetched or received). */
  recordRevision(revision: string, outcome: 'valid' | 'invalid'): void;
  startRun(revision: string, trigger: string): number;
  finishRun(runId: number, outcome: RunOutcome, summary: unknown): void;
  recordAction(runId: number, action: { id: string; status: string; reason: string; error?: string }): void;
  /** Called as soon as Waypoint returns the id, before the job is awaited. */
  recordJob(job: JobRecord): void;
  updateJob(jobId: string, update: Partial<Pick<JobRecord, 'state' | 'urls' | 'error' | 'finishedAt'>>): void;
  /** Jobs recorded as queued or running: to re-attach after a restart. */
  openJobs(): JobRecord[];
  /** Queue intents whose job id was never recorded (the run died inside QueueJob). */
  queueIntents(): JobRecord[];
  /** Replaces an intent's provisional id with the job's (or drops it when there is no job). */
  resolveIntent(provisionalId: string, jobId: string | undefined): void;
  recordApplied(record: AppliedRecord): void;
  lastApplied(project: string, app: string): AppliedRecord | undefined;
  /**
   * The latest finished deployment of the app (success or error), from Pilot's own
   * record: its job history, else what was last applied. Pilot's store, not
   * Waypoint's trimmed job list, says what Pilot deployed.
   */
  lastDeployment(project: string, app: string): DeployRecord | undefined;
  /** What Pilot created, so pruning deletes only what it owns. */
  inventory(): InventoryItem[];
  addToInventory(item: InventoryItem): void;
  removeFromInventory(kind: InventoryItem['kind'], project: string, name: string): void;
  /** Pins a release (replacing any earlier pin of the app). */
  pinRelease(pin: Omit<ReleasePin, 'at'>): void;
  releasePins(): ReleasePin[];
  unpinRelease(project: string, app: string): void;
  lastRuns(limit: number): RunRecord[];
  recentJobs(limit: number): JobRecord[];
  close(): void;
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
