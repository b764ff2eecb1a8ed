// The state store as the reconciler and the daemon see it: asynchronous, so a
// networked store (PostgreSQL) can sit behind it, and split by who needs what. The
// reconciler gets ReconcileStore; the status page and `pilot status` read History;
// the webhook receiver records Deliveries. src/store/ implements it.

import type { DeployRecord, InventoryItem } from './actual-state.js';
import type { AppliedRecord, DeliveryRecord, DeployedApp, JobRecord, JobUpdate, ReleasePin, RunOutcome, RunRecord } from './store-records.js';

export type * from './store-records.js';

/** Each reconcile, and each revision of the manifests seen (fetched or received). */
export interface RunLog {
  recordRevision(revision: string, outcome: 'valid' | 'invalid'): Promise<void>;
  startRun(revision: string, trigger: string): Promise<number>;
  finishRun(runId: number, outcome: RunOutcome, summary: unknown): Promise<void>;
  recordAction(runId: number, action: { id: string; status: string; reason: string; error?: string }): Promise<void>;
}

/** Pilot's Waypoint jobs: recorded before they are awaited, so a restart re-attaches. */
export interface JobLog {
  /** Called as soon as Waypoint returns the id (or before QueueJob, for an intent); durable on return. */
  recordJob(job: JobRecord): Promise<void>;
  updateJob(jobId: string, update: JobUpdate): Promise<void>;
  /** Jobs recorded as queued or running: to re-attach after a restart. */
  openJobs(): Promise<JobRecord[]>;
  /** Queue intents whose job id was never recorded (the run died inside QueueJob). */
  queueIntents(): Promise<JobRecord[]>;
  /** Replaces an intent's provisional id with the job's (or drops it when there is no job). */
  resolveIntent(provisionalId: string, jobId: string | undefined): Promise<void>;
}

/** What was applied to each app, and what Pilot deployed last. */
export interface DeployLog {
  recordApplied(record: AppliedRecord): Promise<void>;
  lastApplied(project: string, app: string): Promise<AppliedRecord | undefined>;
  /**
   * The latest finished deployment of the app (success or error), from Pilot's own
   * record: its job history, else what was last applied. Pilot's store, not
   * Waypoint's trimmed job list, says what Pilot deployed.
   */
  lastDeployment(project: string, app: string): Promise<DeployRecord | undefined>;
  /**
   * lastApplied and lastDeployment of every app of these projects (all when absent),
   * by "project/app", in one read: a plan reads them for every app it considers. The
   * applied records come without their waypoint.hcl (lastApplied has it).
   */
  appRecords(projects?: readonly string[]): Promise<Map<string, AppRecords>>;
}

export interface AppRecords {
  applied?: AppliedRecord;
  deployed?: DeployRecord;
}

/** What Pilot created, so pruning deletes only what it owns. */
export interface Inventory {
  inventory(): Promise<InventoryItem[]>;
  addToInventory(item: InventoryItem): Promise<void>;
  removeFromInventory(kind: InventoryItem['kind'], project: string, name: string): Promise<void>;
}

/** Published releases deployed in place of the branch they were cut from. */
export interface ReleasePins {
  /** Pins a release (replacing any earlier pin of the app). */
  pinRelease(pin: Omit<ReleasePin, 'at'>): Promise<void>;
  releasePins(): Promise<ReleasePin[]>;
  unpinRelease(project: string, app: string): Promise<void>;
}

/** What one reconcile reads and writes. */
export interface ReconcileStore extends RunLog, JobLog, DeployLog, Inventory, ReleasePins {
  /**
   * A store several daemons share: throws store.fenced unless this one still leads (a
   * fenced round trip). Called before each action touches Waypoint or a cloud, so one
   * that lost its lock does not act even where no write comes first. Absent: one daemon.
   */
  assertLeading?(): Promise<void>;
}

/** GitHub deliveries seen, so a replayed or redelivered one is not acted on twice. */
export interface Deliveries {
  /** Records a delivery; false when this id was already recorded (a duplicate). */
  claim(id: string, event: string): Promise<boolean>;
  /** Drops a claim whose event could not be handed on (a shared store), so GitHub's redelivery is acted on. */
  forget?(id: string): Promise<void>;
  /** Sets the result of a claimed delivery. */
  finish(id: string, result: string): Promise<void>;
}

/** Read-only history for the status page and `pilot status`, newest first. */
export interface History {
  lastRuns(limit: number): Promise<RunRecord[]>;
  recentJobs(limit: number): Promise<JobRecord[]>;
  recentDeliveries(limit: number): Promise<DeliveryRecord[]>;
  /** Every app in the inventory with a finished deployment, by project and app. */
  deployedApps(): Promise<DeployedApp[]>;
}

/** Who leads several daemons on one store, as the store records it. */
export interface Lease {
  /** The leader's name: host and pid (e.g. pilot-a:4242). */
  holder: string;
  /** Raised by one at each change of leader; the leader's writes are fenced by it. */
  generation: number;
  acquiredAt: string;
  /** Last proof the leader still held its lock (it renews every few seconds). */
  renewedAt: string;
}

/**
 * One leader among several daemons sharing a store (PostgreSQL): a lock held by a
 * session of the database. Once acquired, every ReconcileStore write of this store is
 * fenced: it commits only while the store's lease still carries this generation, and
 * never after the lock was lost, so a leader that lost the lock cannot act on a stale
 * view after another took over.
 */
export interface Leadership {
  /** Tries once: the new generation when this store now leads, else undefined (another leads). */
  tryAcquire(holder: string): Promise<number | undefined>;
  /** A round trip on the lock's own connection that renews the lease; false when the lock is gone. */
  renew(): Promise<boolean>;
  /** The lease as recorded, whoever holds it (undefined before anyone led). */
  lease(): Promise<Lease | undefined>;
  /** Called once if the lock is lost (its connection closed or failed); writes are fenced from then on. */
  onLost(listener: (reason: string) => void): void;
  /** Gives the lock up, if held. */
  release(): Promise<void>;
}

/** Work handed from any daemon to the leader (webhook events, sync requests): JSON values. */
export interface Inbox {
  post(item: unknown): Promise<void>;
  /**
   * Items not finished, oldest first, that no leader of this generation took yet (an
   * item taken by a leader that died is taken again), marked taken. Fenced.
   */
  take(limit: number): Promise<{ id: number; item: unknown }[]>;
  /** The item was acted on: it goes. */
  done(id: number): Promise<void>;
}

/** A store as opened by openStore(url): one connection serves every part. */
export interface Store extends ReconcileStore {
  readonly deliveries: Deliveries;
  readonly history: History;
  /** Present when several daemons may share the store (PostgreSQL). */
  readonly shared?: { readonly leadership: Leadership; readonly inbox: Inbox };
  /** Where it is, with no credentials (e.g. sqlite:/home/pilot/.pilot/state.db). */
  readonly describe: string;
  close(): Promise<void>;
}
