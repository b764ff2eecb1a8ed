// The records the state store keeps: runs, Pilot's jobs, what was applied, release
// pins and webhook deliveries. Plain data, the same for every store behind the port.

import type { AppSpec, DeployRecord } from './actual-state.js';
import type { JobResult } from './ports.js';

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

export type JobUpdate = Partial<Pick<JobRecord, 'state' | 'urls' | 'error' | 'finishedAt'>>;

/**
 * An app Pilot deployed and has not torn down (it is in the inventory), as its latest
 * finished deployment left it: what the status page shows after a restart.
 */
export interface DeployedApp {
  project: string;
  app: string;
  /** How that deployment ended. */
  state: 'success' | 'error';
  /** The commit it deployed (or failed to). */
  commit: string;
  /** When it finished (ISO 8601). */
  at: string;
  /** Why it failed. */
  error?: string;
  /** Where the app answers, as its latest successful deployment said. */
  urls?: JobResult['urls'];
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

export interface DeliveryRecord {
  /** The X-GitHub-Delivery GUID. */
  id: string;
  /** The X-GitHub-Event name, e.g. push. */
  event: string;
  /** What became of it: received, accepted, ignored, dispatched or failed. */
  result: string;
  /** ISO 8601. */
  receivedAt: string;
}
