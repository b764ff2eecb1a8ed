// One reconcile: manifests -> targets -> cloud stacks planned -> observe -> diff ->
// plan -> (apply: stacks first, then a fresh plan of the apps with the stacks'
// outputs) -> record. The imperative shell around the pure core in src/reconciler/.

import { buildTargets, renderApp } from './build-targets.js';
import type { CloudRun, Clouds } from '../drivers/clouds.js';
import { appKey, type ActualState } from '../reconciler/actual-state.js';
import { applyPlan, outcomeOf, type ApplyOptions, type ApplyResult } from '../reconciler/apply.js';
import type { RetryPolicy } from '../reconciler/backoff.js';
import { diff } from '../reconciler/diff.js';
import type { Logger } from '../reconciler/logger.js';
import { plan as makePlan, policyFor } from '../reconciler/plan.js';
import type { Plan } from '../reconciler/plan-types.js';
import type { SourcePort, StackState, WaypointPort } from '../reconciler/ports.js';
import type { ReconcileStore } from '../reconciler/store-port.js';
import type { Targets } from '../reconciler/targets.js';
import type { LoadResult } from '../sources/manifests/load.js';
import type { AppWiring } from '../reconciler/wiring.js';
import { observe } from './observe.js';
import { configValues, wireTargets } from './wire-targets.js';

export interface ReconcileInput {
  /** The manifests as loaded; an invalid set applies nothing. */
  loaded: LoadResult;
  revision: string;
  trigger: string;
  source: SourcePort;
  store: ReconcileStore;
  /** Absent: plan against the store's record (no live Waypoint). */
  waypoint?: WaypointPort;
  logger: Logger;
  retryFailed?: boolean;
  retry?: RetryPolicy;
  /** Plan only these projects (the ones whose manifests changed); all when absent. */
  onlyProjects?: ReadonlySet<string>;
  /** The cloud drivers; absent or mode off: no cloud resources (databases and static apps wait). */
  clouds?: Clouds;
  /**
   * A plan made beside the process that applies (a pull request's plan, `pilot plan`):
   * it writes nothing to the store and applies nothing.
   */
  readOnly?: boolean;
}

export interface ReconcileOutcome {
  revision: string;
  plan?: Plan;
  applied?: ApplyResult;
  /** True when the plan was made from the store's record rather than a live Waypoint. */
  offline: boolean;
  /** The cloud stacks of the planned projects, as last planned in this run. */
  stacks?: StackState[];
  invalid: boolean;
}

interface Planned {
  plan?: Plan;
  targets?: Targets;
  wirings: Map<string, AppWiring>;
}

/** What a plan is made from: the apps' commits resolved, and what runs (read once a run). */
interface Observed {
  targets: Targets;
  actual: ActualState;
}

async function observeRevision(input: ReconcileInput): Promise<Observed | undefined> {
  if (!input.loaded.state) return undefined;
  const only = input.onlyProjects ? { onlyProjects: input.onlyProjects } : {};
  const targets = await buildTargets(input.loaded.state, input.source, { pins: await input.store.releasePins(), ...only });
  return { targets, actual: await observe(targets, input) };
}

/**
 * The plan, with the stacks as the cloud run knows them now. Called again after the
 * stacks are applied: the stacks are not planned twice (the run keeps them), and
 * Waypoint, which applying stacks does not touch, is not read again.
 */
async function planWith(input: ReconcileInput, observed: Observed | undefined, clouds: CloudRun | undefined): Promise<Planned> {
  if (!observed) return { wirings: new Map() };
  const { actual } = observed;
  // Each plan rewires its own copy: the second starts from the targets as built, not from
  // the first plan's wiring (a database value whose output is gone must not look set).
  const apps = Object.fromEntries(Object.entries(observed.targets.apps).map(([key, t]) => [key, { ...t, configFingerprints: { ...t.configFingerprints } }]));
  const targets: Targets = { ...observed.targets, apps };
  let wirings = new Map<string, AppWiring>();
  if (clouds) {
    targets.drivers = clouds.providers;
    targets.stacks = await clouds.plan(targets.state, await input.store.inventory(), input.onlyProjects);
    wirings = wireTargets(targets, (app) => clouds.outputs(app.project, app.provider, app.region));
  }
  const plan = makePlan(diff(targets, actual), policyFor(targets, input.revision, input.retryFailed));
  const only = input.onlyProjects;
  // Projects are independent of each other (dependencies stay within one), so a filtered plan is whole.
  if (only) plan.actions = plan.actions.filter((action) => only.has(action.project));
  return { targets, plan, wirings };
}

/** Stacks first: their outputs (subnets, buckets, database hosts) are what the apps are rendered with. */
const isStackStep = (action: Plan['actions'][number]) => action.kind === 'provision-stack' && action.status === 'pending';

export async function reconcile(input: ReconcileInput, options: ApplyOptions & { planOnly?: boolean } = {}): Promise<ReconcileOutcome> {
  const { loaded, revision, store } = input;
  if (input.readOnly) options = { ...options, planOnly: true };
  else await store.recordRevision(revision, loaded.state ? 'valid' : 'invalid');
  if (!loaded.state && input.readOnly) return { revision, offline: !input.waypoint, invalid: true };
  if (!loaded.state) {
    const runId = await store.startRun(revision, input.trigger);
    await store.finishRun(runId, 'invalid', { errors: loaded.problems.filter((p) => p.severity === 'error').length });
    return { revision, offline: !input.waypoint, invalid: true };
  }
  const clouds = input.clouds?.run(store, input.logger);
  const observed = await observeRevision(input);
  let planned = await planWith(input, observed, clouds);
  const first = planned.plan;
  const stacksOf = (step: Planned) => (step.targets ? { stacks: step.targets.stacks } : {});
  if (options.planOnly || !input.waypoint || !first || !planned.targets) return { revision, ...(first ? { plan: first } : {}), ...stacksOf(planned), offline: !input.waypoint, invalid: false };
  const waypoint = input.waypoint;
  const runId = await store.startRun(revision, input.trigger);
  const applyStep = (step: Planned, plan: Plan) =>
    applyPlan(
      {
        plan, targets: step.targets!, runId, waypoint, store, logger: input.logger, ...(clouds ? { stacks: clouds.port } : {}),
        render: (app, commit) => renderApp(app, commit, step.wirings.get(appKey(app.project, app.name))),
        configValues: async (target, names) => configValues(target, names, (app) => clouds?.outputs(app.project, app.provider, app.region) ?? {}),
      },
      options,
    );
  try {
    // A plan that would destroy a protected database applies nothing at all.
    const refused = first.actions.filter((a) => a.kind === 'refused');
    if (refused.length) {
      const results = refused.map((a) => ({ id: a.id, kind: a.kind, target: a.target, status: 'reported' as const, reasons: a.reasons }));
      await store.finishRun(runId, 'failed', { refused: refused.map((a) => a.id) });
      return { revision, plan: first, applied: { results, jobsQueued: 0, outcome: 'failed' }, ...stacksOf(planned), offline: false, invalid: false };
    }
    let earlier: ApplyResult | undefined;
    if (first.actions.some(isStackStep)) {
      earlier = await applyStep(planned, { ...first, actions: first.actions.filter(isStackStep) });
      planned = await planWith(input, observed, clouds);
    }
    const plan = planned.plan!;
    const later = await applyStep(planned, plan);
    const done = new Set(earlier?.results.map((r) => r.id));
    const results = [...(earlier?.results ?? []), ...later.results.filter((r) => !done.has(r.id))];
    const applied: ApplyResult = { results, jobsQueued: later.jobsQueued, outcome: outcomeOf(results) };
    const shown: Plan = { ...plan, actions: [...first.actions.filter(isStackStep), ...plan.actions.filter((a) => !done.has(a.id))] };
    await store.finishRun(runId, applied.outcome, { jobsQueued: applied.jobsQueued, actions: applied.results.length });
    for (const target of Object.values(planned.targets!.apps)) if (target.stalePin) await store.unpinRelease(target.app.project, target.app.name);
    return { revision, plan: shown, applied, ...stacksOf(planned), offline: false, invalid: false };
  } catch (error) {
    await store.finishRun(runId, 'failed', { error: (error as Error).message });
    throw error;
  }
}
