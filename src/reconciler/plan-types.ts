// A plan: ordered actions, each with its reasons, printable and serializable.

import type { StackChange } from './ports.js';

export type ActionKind =
  | 'provision-stack'
  | 'stack-error'
  | 'refused'
  | 'ensure-project'
  | 'ensure-app'
  | 'set-config'
  | 'deploy'
  | 'attach'
  | 'destroy-app'
  | 'orphaned'
  | 'not-retried'
  | 'missing-secret'
  | 'source-error'
  | 'destroy-database'
  | 'protected';

/** `+` create, `~` change, `-` destroy, `!` needs attention (nothing is done). */
export type Symbol = '+' | '~' | '-' | '!';

/**
 * pending: will run. unsupported: needs a cloud driver that is not there. blocked: waits on
 * an action that cannot run. report: said, never run (orphans, failures not retried).
 */
export type PlannedStatus = 'pending' | 'unsupported' | 'blocked' | 'report';

export interface Action {
  /** Stable id, e.g. deploy:acme/web. */
  id: string;
  kind: ActionKind;
  symbol: Symbol;
  project: string;
  /** App or database name, when the action is about one. */
  name?: string;
  /** "acme/web", "acme aws us-east-1". */
  target: string;
  reasons: string[];
  /** Ids of actions that must succeed first. */
  after: string[];
  status: PlannedStatus;
  /** deploy/attach: what the job carries. */
  configHash?: string;
  commit?: string;
  jobId?: string;
  /** set-config: the names unset (plain values removed from the manifest). */
  unset?: string[];
  /** set-config: the names set (never values). */
  names?: string[];
  /** destroy-database: the stack whose apply deletes it. */
  stack?: string;
  /** provision-stack: what Terraform would change. */
  changes?: StackChange[];
}

export interface Plan {
  version: 1;
  revision: string;
  actions: Action[];
}

export interface PlanCounts {
  create: number;
  change: number;
  destroy: number;
  attention: number;
}

export function countPlan(plan: Plan): PlanCounts {
  const counts: PlanCounts = { create: 0, change: 0, destroy: 0, attention: 0 };
  for (const action of plan.actions) {
    if (action.symbol === '!' || action.status !== 'pending') counts.attention += 1;
    else if (action.symbol === '+') counts.create += 1;
    else if (action.symbol === '~') counts.change += 1;
    else counts.destroy += 1;
  }
  return counts;
}

/**
 * Actions that do nothing and need a person: a missing secret, a source that cannot be
 * read, a cloud that could not be planned, a refused plan, a failed deployment not
 * retried. A plan holding one cannot do all the manifests ask: `pilot plan` exits 1 and a
 * pull request's check fails. An orphan, or a protected database left out of the
 * manifests, is kept by design: said, not an error.
 */
export const attentionKinds: ReadonlySet<ActionKind> = new Set(['missing-secret', 'source-error', 'stack-error', 'refused', 'not-retried']);

/** Actions that do something when run. */
export function runnable(plan: Plan): Action[] {
  return plan.actions.filter((a) => a.status === 'pending');
}
