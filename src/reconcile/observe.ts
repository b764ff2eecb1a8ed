// What runs now, for one reconcile: from a live Waypoint (and the store's record of
// what Pilot deployed and queued, which Waypoint's trimmed job history is not), or
// from the store alone when there is no Waypoint to ask. Only the projects the run
// plans are read: a few calls per project, none per app. Jobs a stopped run left
// open are settled here, while Waypoint still has them.

import { appKey, type ActualApp, type ActualState, type DeployRecord, type InventoryItem } from '../reconciler/actual-state.js';
import { defaultRetry, withRetry, type RetryPolicy } from '../reconciler/backoff.js';
import type { WaypointPort } from '../reconciler/ports.js';
import type { JobRecord, ReconcileStore } from '../reconciler/store-port.js';
import type { Targets } from '../reconciler/targets.js';

export interface ObserveInput {
  store: ReconcileStore;
  /** Absent: the store's record stands in for Waypoint. */
  waypoint?: WaypointPort;
  retry?: RetryPolicy;
  /** A reader beside the writer: open jobs are left for the writer to settle. */
  readOnly?: boolean;
  /** Observe only these projects (the run plans no others); all when absent. */
  onlyProjects?: ReadonlySet<string>;
}

/** The apps to observe: the targets' and, of the planned projects, those Pilot created (orphans included), once each. */
function appsToObserve(targets: Targets, inventory: readonly InventoryItem[]): { project: string; app: string }[] {
  const keys = new Map<string, { project: string; app: string }>();
  for (const t of Object.values(targets.apps)) keys.set(appKey(t.app.project, t.app.name), { project: t.app.project, app: t.app.name });
  for (const item of inventory) if (item.kind === 'app') keys.set(appKey(item.project, item.name), { project: item.project, app: item.name });
  return [...keys.values()];
}

/** Adds each app's last applied spec and last deployment from the store, read at once for the apps' projects. */
async function withRecords(apps: readonly ActualApp[], store: ReconcileStore, finished: ReadonlyMap<string, DeployRecord>): Promise<void> {
  const records = await store.appRecords([...new Set(apps.map((app) => app.project))]);
  for (const app of apps) {
    const key = appKey(app.project, app.name);
    const record = records.get(key);
    if (record?.applied) app.previous = record.applied.spec;
    const deployed = finished.get(key) ?? record?.deployed;
    if (deployed) app.deployed = deployed;
  }
}

/** What the store remembers, standing in for Waypoint when there is no connection. */
async function recordedState(targets: Targets, inventory: InventoryItem[], store: ReconcileStore): Promise<ActualState> {
  const actual: ActualState = { projects: {}, apps: {}, inventory };
  const registered = new Set<string>();
  for (const item of inventory) {
    actual.projects[item.project] = { name: item.project, registered: true };
    if (item.kind === 'app') registered.add(appKey(item.project, item.name));
  }
  for (const [key, target] of Object.entries(targets.apps)) {
    actual.apps[key] = { project: target.app.project, name: target.app.name, registered: registered.has(key), config: {} };
  }
  await withRecords(Object.values(actual.apps), store, new Map());
  return actual;
}

export async function observe(targets: Targets, input: ObserveInput): Promise<ActualState> {
  const only = input.onlyProjects;
  const inventory = (await input.store.inventory()).filter((item) => !only || only.has(item.project));
  if (!input.waypoint) return recordedState(targets, inventory, input.store);
  const waypoint = input.waypoint;
  const retry = input.retry ?? defaultRetry;
  const projects = targets.state.projects.map((p) => p.name).filter((name) => !only || only.has(name));
  const live = await withRetry(() => waypoint.observe(appsToObserve(targets, inventory), projects), retry);
  if (!input.readOnly) await withRetry(() => resolveIntents(waypoint, input.store), retry);
  const jobs = await withRetry(() => openJobs(waypoint, input.store, !input.readOnly), retry);
  for (const job of jobs.inFlight) {
    const app = live.apps[appKey(job.project, job.app)];
    // The newest job of the app is the one that says what will run.
    if (app && (!app.inFlight || newer(job, jobs.queuedAt.get(app.inFlight.jobId)))) app.inFlight = { jobId: job.jobId, configHash: job.configHash, commit: job.commit };
  }
  await withRecords(Object.values(live.apps), input.store, jobs.finished);
  return { ...live, inventory };
}

const newer = (job: JobRecord, than: string | undefined) => than === undefined || job.queuedAt > than;

/** A run that died inside QueueJob left an intent: the job it queued, if any, is found by the intent's label. */
async function resolveIntents(waypoint: WaypointPort, store: ReconcileStore): Promise<void> {
  for (const intent of await store.queueIntents()) {
    const jobId = await waypoint.jobByIntent(intent.project, intent.app, intent.jobId.slice('intent:'.length));
    await store.resolveIntent(intent.jobId, jobId);
  }
}

interface OpenJobs {
  /** Pilot's `up` jobs still queued or running in Waypoint: what each app is about to run. */
  inFlight: JobRecord[];
  queuedAt: Map<string, string>;
  /** For a reader: `up` jobs that ended since they were recorded, by app (the writer records them instead). */
  finished: Map<string, DeployRecord>;
}

/**
 * The jobs the store has open, as Waypoint has them now: one call per open job, none
 * when nothing is open. The writer records those that ended (or that Waypoint no
 * longer has), so the store stays the record of what was deployed.
 */
async function openJobs(waypoint: WaypointPort, store: ReconcileStore, settle: boolean): Promise<OpenJobs> {
  const result: OpenJobs = { inFlight: [], queuedAt: new Map(), finished: new Map() };
  for (const open of await store.openJobs()) {
    const job = await waypoint.job(open.jobId);
    const finishedAt = new Date().toISOString();
    if (job?.state === 'queued' || job?.state === 'running') {
      if (open.kind !== 'up') continue;
      result.inFlight.push(open);
      result.queuedAt.set(open.jobId, open.queuedAt);
    } else if (job && open.kind === 'up' && !settle) {
      result.finished.set(appKey(open.project, open.app), { jobId: open.jobId, configHash: open.configHash, commit: open.commit, state: job.state });
    }
    if (!settle) continue;
    if (!job) await store.updateJob(open.jobId, { state: 'lost', error: 'Waypoint no longer has this job', finishedAt });
    else if (job.state === 'success' || job.state === 'error') await store.updateJob(open.jobId, { state: job.state, urls: job.urls, ...(job.error ? { error: job.error } : {}), finishedAt });
  }
  return result;
}
