// What runs now, for one reconcile: from a live Waypoint (and the store's record of
// what Pilot deployed, which Waypoint's trimmed job history is not), or from the
// store alone when there is no Waypoint to ask. Jobs a stopped run left open are
// settled here, while Waypoint still has them.

import { appKey, type ActualState, type DeployRecord } from '../reconciler/actual-state.js';
import { defaultRetry, withRetry, type RetryPolicy } from '../reconciler/backoff.js';
import type { WaypointPort } from '../reconciler/ports.js';
import type { ReconcileStore } from '../reconciler/store-port.js';
import type { Targets } from '../reconciler/targets.js';

export interface ObserveInput {
  store: ReconcileStore;
  /** Absent: the store's record stands in for Waypoint. */
  waypoint?: WaypointPort;
  retry?: RetryPolicy;
  /** A reader beside the writer: open jobs are left for the writer to settle. */
  readOnly?: boolean;
}

/** What the store remembers, standing in for Waypoint when there is no connection. */
async function recordedState(targets: Targets, store: ReconcileStore): Promise<ActualState> {
  const actual: ActualState = { projects: {}, apps: {}, inventory: await store.inventory() };
  for (const item of actual.inventory) actual.projects[item.project] = { name: item.project, registered: true };
  for (const key of Object.keys(targets.apps)) {
    const [project, app] = key.split('/') as [string, string];
    const last = await store.lastApplied(project, app);
    const registered = actual.inventory.some((i) => i.kind === 'app' && i.project === project && i.name === app);
    actual.apps[key] = { project, name: app, registered, config: {}, ...(last ? { deployed: last, previous: last.spec } : {}) };
  }
  return actual;
}

export async function observe(targets: Targets, input: ObserveInput): Promise<ActualState> {
  if (!input.waypoint) return recordedState(targets, input.store);
  const apps = Object.values(targets.apps).map((t) => ({ project: t.app.project, app: t.app.name }));
  const inventory = await input.store.inventory();
  for (const item of inventory) if (item.kind === 'app') apps.push({ project: item.project, app: item.name });
  const waypoint = input.waypoint;
  const retry = input.retry ?? defaultRetry;
  const live = await withRetry(() => waypoint.observe(apps, targets.state.projects.map((p) => p.name)), retry);
  const inFlight = new Set(Object.values(live.apps).flatMap((app) => (app.inFlight ? [app.inFlight.jobId] : [])));
  const finished = input.readOnly ? await withRetry(() => finishedOpenJobs(waypoint, input.store, inFlight), retry) : new Map<string, DeployRecord>();
  if (!input.readOnly) await withRetry(() => settleOpenJobs(waypoint, input.store, inFlight), retry);
  for (const app of Object.values(live.apps)) {
    const last = await input.store.lastApplied(app.project, app.name);
    if (last) app.previous = last.spec;
    const deployed = finished.get(appKey(app.project, app.name)) ?? (await input.store.lastDeployment(app.project, app.name));
    if (deployed) app.deployed = deployed;
  }
  return { ...live, inventory };
}

/** What a reader sees of the open jobs that have ended, by app, without writing it down: the writer settles them. */
async function finishedOpenJobs(waypoint: WaypointPort, store: ReconcileStore, inFlight: ReadonlySet<string>): Promise<Map<string, DeployRecord>> {
  const finished = new Map<string, DeployRecord>();
  for (const open of await store.openJobs()) {
    if (inFlight.has(open.jobId) || open.kind !== 'up') continue;
    const job = await waypoint.job(open.jobId);
    if (job?.state === 'success' || job?.state === 'error') finished.set(appKey(open.project, open.app), { jobId: open.jobId, configHash: open.configHash, commit: open.commit, state: job.state });
  }
  return finished;
}

/**
 * Jobs the store still has open were left by a run that stopped following them: what
 * became of them is read from Waypoint once, while it still has them, so the store
 * stays the record of what was deployed. Read after the in-flight jobs were listed, so
 * a job that ends between the two reads is settled here rather than missed by both.
 */
async function settleOpenJobs(waypoint: WaypointPort, store: ReconcileStore, inFlight: ReadonlySet<string>): Promise<void> {
  for (const intent of await store.queueIntents()) {
    const jobId = await waypoint.jobByIntent(intent.project, intent.app, intent.jobId.slice('intent:'.length));
    await store.resolveIntent(intent.jobId, jobId);
  }
  for (const open of await store.openJobs()) {
    if (inFlight.has(open.jobId)) continue;
    const job = await waypoint.job(open.jobId);
    const finishedAt = new Date().toISOString();
    if (!job) await store.updateJob(open.jobId, { state: 'lost', error: 'Waypoint no longer has this job', finishedAt });
    else if (job.state === 'success' || job.state === 'error') {
      await store.updateJob(open.jobId, { state: job.state, urls: job.urls, ...(job.error ? { error: job.error } : {}), finishedAt });
    }
  }
}

