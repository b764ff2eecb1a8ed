// Runs a plan through the ports: prerequisites first, apps in parallel up to a limit,
// each app's steps in order, retries by error kind, every job id recorded before it is
// awaited. Ends with one result per action.

import { defaultRetry, withRetry, type RetryPolicy } from './backoff.js';
import type { DesiredApp } from './desired-state.js';
import { PilotError, type ErrorKind } from './errors.js';
import { createLimiter } from './limiter.js';
import type { Logger } from './logger.js';
import type { Action, Plan } from './plan-types.js';
import type { ConfigValue, JobProgress, JobResult, StackPort, WaypointPort } from './ports.js';
import type { ReconcileStore, RunOutcome } from './store-port.js';
import type { AppTarget, Targets } from './targets.js';
import { JobFailed, runAction, type RunMemory } from './run-action.js';

export interface ApplyContext {
  plan: Plan;
  targets: Targets;
  runId: number;
  waypoint: WaypointPort;
  store: ReconcileStore;
  /** The waypoint.hcl of an app at a commit (src/waypoint/render). */
  render(app: DesiredApp, commit: string): string;
  /** Values for the config store (database outputs, external references); never logged. */
  configValues(target: AppTarget, names: readonly string[]): Promise<Record<string, ConfigValue>>;
  /** Applies cloud stacks; absent when no driver is enabled. */
  stacks?: StackPort;
  logger: Logger;
}

export interface ApplyOptions {
  concurrency?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  onProgress?: (event: ApplyProgress) => void;
}

export type ResultStatus = 'done' | 'failed' | 'blocked' | 'reported' | 'unsupported' | 'interrupted';

export interface ActionResult {
  id: string;
  kind: Action['kind'];
  target: string;
  status: ResultStatus;
  reasons: string[];
  error?: string;
  errorKind?: ErrorKind;
  jobId?: string;
  urls?: JobResult['urls'];
  lastLines?: string[];
  /** Blocked only by actions that need a cloud driver Pilot does not have yet: not a failure. */
  waitsForDriver?: boolean;
}

export type ApplyProgress =
  | { type: 'start'; action: Action; index: number; total: number }
  | { type: 'job'; action: Action; jobId: string; event: JobProgress }
  | { type: 'retry'; action: Action; error: PilotError; delayMs: number; attempt: number }
  | { type: 'end'; action: Action; result: ActionResult };

export interface ApplyResult {
  results: ActionResult[];
  jobsQueued: number;
  outcome: RunOutcome;
}

/** Reported actions that mean the clouds are not what the manifests ask for. */
const unconverged: ReadonlySet<Action['kind']> = new Set(['not-retried', 'missing-secret', 'source-error', 'stack-error', 'refused']);

/**
 * Failed; blocked by something other than a missing cloud driver; or an app left behind
 * (its last deployment failed, a secret is missing, its source cannot be read).
 */
export function isFailure(result: ActionResult): boolean {
  if (result.status === 'reported') return unconverged.has(result.kind);
  return result.status === 'failed' || (result.status === 'blocked' && result.waitsForDriver !== true);
}

export function outcomeOf(results: readonly ActionResult[]): RunOutcome {
  if (results.some((r) => r.status === 'interrupted')) return 'interrupted';
  const ran = results.filter((r) => r.status === 'done' || r.status === 'failed');
  const failed = results.filter(isFailure);
  if (results.length === 0) return 'no-changes';
  if (failed.length === 0) return 'converged';
  return ran.some((r) => r.status === 'done') ? 'partial' : 'failed';
}

export async function applyPlan(context: ApplyContext, options: ApplyOptions = {}): Promise<ApplyResult> {
  const limit = createLimiter(options.concurrency ?? 4);
  const retry = options.retry ?? defaultRetry;
  const progress = options.onProgress ?? (() => {});
  const byId = new Map(context.plan.actions.map((a) => [a.id, a]));
  const settled = new Map<string, Promise<ActionResult>>();
  const run: RunMemory = { jobsQueued: 0, jobs: new Map() };
  const total = context.plan.actions.filter((a) => a.status === 'pending').length;
  let started = 0;

  const settle = (action: Action): Promise<ActionResult> => {
    let promise = settled.get(action.id);
    if (promise) return promise;
    promise = (async () => {
      const before = await Promise.all(action.after.map((id) => settle(byId.get(id)!)));
      const base = { id: action.id, kind: action.kind, target: action.target, reasons: action.reasons };
      if (action.status === 'report') return { ...base, status: 'reported' as const };
      if (action.status === 'unsupported') return { ...base, status: 'unsupported' as const };
      const stuck = before.filter((r) => r.status !== 'done');
      if (action.status === 'blocked' || stuck.length > 0) {
        const by = stuck.map((r) => `blocked by ${r.id}`);
        const waitsForDriver = stuck.every((r) => r.status === 'unsupported' || r.waitsForDriver === true);
        return { ...base, status: 'blocked' as const, reasons: [...new Set([...action.reasons, ...by])], ...(waitsForDriver ? { waitsForDriver } : {}) };
      }
      if (options.signal?.aborted) return { ...base, status: 'interrupted' as const };
      started += 1;
      progress({ type: 'start', action, index: started, total });
      // Asked again once a slot is free: a run stopped while this action waited (a
      // leader that lost its lock) must not start it.
      const result: ActionResult = await limit(() => options.signal?.aborted ? Promise.resolve<ActionResult>({ ...base, status: 'interrupted' }) :
        withRetry(
          () => runAction(action, context, run, (jobId, event) => progress({ type: 'job', action, jobId, event }), options.signal),
          retry,
          (error, delayMs, attempt) => progress({ type: 'retry', action, error, delayMs, attempt }),
          options.signal,
        ).then(
          (done): ActionResult => ({ ...base, status: 'done', ...done }),
          (error: PilotError) => failure(base, error, options.signal),
        ),
      );
      await context.store.recordAction(context.runId, { id: action.id, status: result.status, reason: action.reasons.join('; '), ...(result.error ? { error: result.error } : {}) });
      progress({ type: 'end', action, result });
      return result;
    })();
    settled.set(action.id, promise);
    return promise;
  };

  const results = await Promise.all(context.plan.actions.map(settle));
  return { results, jobsQueued: run.jobsQueued, outcome: outcomeOf(results) };
}

function failure(base: Omit<ActionResult, 'status'>, error: PilotError, signal?: AbortSignal): ActionResult {
  if (signal?.aborted || error.code === 'watch.aborted') return { ...base, status: 'interrupted', error: error.message };
  const result: ActionResult = { ...base, status: 'failed', error: error.message, errorKind: error.kind };
  if (error instanceof JobFailed) {
    result.jobId = error.jobId;
    result.lastLines = error.lastLines;
  }
  return result;
}

