// One reconcile: manifests -> targets -> observe -> diff -> plan -> (apply) -> record.
// The imperative shell around the pure core in src/reconciler/.

import { buildTargets, externalConfig, renderApp } from './build-targets.js';
import { appKey, type ActualState } from './reconciler/actual-state.js';
import { applyPlan, type ApplyOptions, type ApplyResult } from './reconciler/apply.js';
import { defaultRetry, withRetry, type RetryPolicy } from './reconciler/backoff.js';
import { diff } from './reconciler/diff.js';
import { PilotError } from './reconciler/errors.js';
import type { Logger } from './reconciler/logger.js';
import { plan as makePlan, policyFor } from './reconciler/plan.js';
import type { Plan } from './reconciler/plan-types.js';
import type { ConfigValue, SourcePort, StateStore, WaypointPort } from './reconciler/ports.js';
import type { Targets } from './reconciler/targets.js';
import type { LoadResult } from './sources/manifests/load.js';

export interface ReconcileInput {
  /** The manifests as loaded; an invalid set applies nothing. */
  loaded: LoadResult;
  revision: string;
  trigger: string;
  source: SourcePort;
  store: StateStore;
  /** Absent: plan against the store's record (no live Waypoint). */
  waypoint?: WaypointPort;
  logger: Logger;
  retryFailed?: boolean;
  retry?: RetryPolicy;
  /** Plan only these projects (the ones whose manifests changed); all when absent. */
  onlyProjects?: ReadonlySet<string>;
}

export interface ReconcileOutcome {
  revision: string;
  plan?: Plan;
  applied?: ApplyResult;
  /** True when the plan was made from the store's record rather than a live Waypoint. */
  offline: boolean;
  invalid: boolean;
}

/** What the store remembers, standing in for Waypoint when there is no connection. */
function recordedState(targets: Targets, store: StateStore): ActualState {
  const actual: ActualState = { projects: {}, apps: {}, inventory: store.inventory() };
  for (const item of actual.inventory) actual.projects[item.project] = { name: item.project, registered: true };
  for (const key of Object.keys(targets.apps)) {
    const [project, app] = key.split('/') as [string, string];
    const last = store.lastApplied(project, app);
    const registered = actual.inventory.some((i) => i.kind === 'app' && i.project === project && i.name === app);
    actual.apps[key] = { project, name: app, registered, config: {}, ...(last ? { deployed: last, previous: last.spec } : {}) };
  }
  return actual;
}

async function observe(targets: Targets, input: ReconcileInput): Promise<ActualState> {
  if (!input.waypoint) return recordedState(targets, input.store);
  const apps = Object.values(targets.apps).map((t) => ({ project: t.app.project, app: t.app.name }));
  const inventory = input.store.inventory();
  for (const item of inventory) if (item.kind === 'app') apps.push({ project: item.project, app: item.name });
  const waypoint = input.waypoint;
  const live = await withRetry(() => waypoint.observe(apps, targets.state.projects.map((p) => p.name)), input.retry ?? defaultRetry);
  for (const app of Object.values(live.apps)) {
    const last = input.store.lastApplied(app.project, app.name);
    if (last) app.previous = last.spec;
  }
  return { ...live, inventory };
}

export async function planRevision(input: ReconcileInput): Promise<{ plan?: Plan; targets?: Targets }> {
  if (!input.loaded.state) return {};
  const targets = await buildTargets(input.loaded.state, input.source, { pins: input.store.releasePins() });
  const actual = await observe(targets, input);
  const plan = makePlan(diff(targets, actual), policyFor(targets, input.revision, input.retryFailed));
  const only = input.onlyProjects;
  // Projects are independent of each other (dependencies stay within one), so a filtered plan is whole.
  if (only) plan.actions = plan.actions.filter((action) => only.has(action.project));
  return { targets, plan };
}

async function configValues(targets: Targets, key: string, names: readonly string[]): Promise<Record<string, ConfigValue>> {
  const app = targets.apps[key]!.app;
  const values: Record<string, ConfigValue> = {};
  for (const name of names) {
    const value = app.env[name];
    if (value?.kind === 'external') values[name] = externalConfig(value.ref);
    else throw new PilotError('stalled', 'config.needs-driver', `${key}: ${name} comes from a database, which needs the ${app.provider} driver`);
  }
  return values;
}

export async function reconcile(input: ReconcileInput, options: ApplyOptions & { planOnly?: boolean } = {}): Promise<ReconcileOutcome> {
  const { loaded, revision, store } = input;
  store.recordRevision(revision, loaded.state ? 'valid' : 'invalid');
  if (!loaded.state) {
    const runId = store.startRun(revision, input.trigger);
    store.finishRun(runId, 'invalid', { errors: loaded.problems.filter((p) => p.severity === 'error').length });
    return { revision, offline: !input.waypoint, invalid: true };
  }
  const { plan, targets } = await planRevision(input);
  if (options.planOnly || !input.waypoint || !plan || !targets) return { revision, ...(plan ? { plan } : {}), offline: !input.waypoint, invalid: false };
  const runId = store.startRun(revision, input.trigger);
  try {
    const applied = await applyPlan(
      {
        plan, targets, runId, waypoint: input.waypoint, store, logger: input.logger,
        render: renderApp,
        configValues: (target, names) => configValues(targets, appKey(target.app.project, target.app.name), names),
      },
      options,
    );
    store.finishRun(runId, applied.outcome, { jobsQueued: applied.jobsQueued, actions: applied.results.length });
    for (const target of Object.values(targets.apps)) if (target.stalePin) store.unpinRelease(target.app.project, target.app.name);
    return { revision, plan, applied, offline: false, invalid: false };
  } catch (error) {
    store.finishRun(runId, 'failed', { error: (error as Error).message });
    throw error;
  }
}
