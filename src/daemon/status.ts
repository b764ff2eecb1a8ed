// What the daemon knows about itself, for /api/status, the status page and /readyz.

import type { ActionResult } from '../reconciler/apply.js';
import type { Plan } from '../reconciler/plan-types.js';
import type { StackState } from '../reconciler/ports.js';
import type { LeadershipStatus } from './election.js';
import { newReadiness, type Readiness } from './readiness.js';

export interface AppStatus {
  project: string;
  app: string;
  /** converged | deploying | failed | blocked | attention */
  state: string;
  detail: string;
  url?: string;
  /** The commit of its latest finished deployment, and when that finished (ISO 8601), from the store. */
  commit?: string;
  deployedAt?: string;
}

export interface StackStatus {
  /** stack:<project>/<provider>/<region> */
  id: string;
  project: string;
  provider: string;
  region: string;
  /** converged | failed | refused | drift */
  state: string;
  detail: string;
}

export interface RunStatus {
  revision: string;
  triggers: string[];
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  outcome?: string;
  jobsQueued?: number;
}

export interface DaemonStatus {
  startedAt: string;
  revision?: string;
  /** Revision the daemon refused (invalid manifests, or a fetch error) while the previous one stays applied. */
  rejected?: { revision: string; reason: string };
  ready: Readiness;
  running?: RunStatus;
  lastRun?: RunStatus;
  /** The newest runs the store recorded (so across restarts), newest first. */
  runs: RunStatus[];
  lastErrors: string[];
  apps: AppStatus[];
  stacks: StackStatus[];
  drift?: { at: string; changes: number; healed: boolean };
  /** The newest plan of each open pull request (planned, never applied), newest first. */
  pullRequests: PullRequestStatus[];
  /** The pull request each applied revision merged, newest first (from GitHub). */
  merges: MergeStatus[];
  /** Daemons sharing a store: this one's role and the lease (who leads, since when, last renewed). */
  leadership?: LeadershipStatus;
}

export interface MergeStatus {
  revision: string;
  number: number;
  url: string;
}

/** Revisions whose pull request the page keeps. */
const mergesKept = 20;

/** Notes that `revision` merged a pull request (the status page links the two). */
export function noteMerge(status: DaemonStatus, merge: MergeStatus): void {
  status.merges = [merge, ...status.merges.filter((m) => m.revision !== merge.revision)].slice(0, mergesKept);
}

export interface PullRequestStatus {
  repository: string;
  number: number;
  headSha: string;
  /** planned | invalid | unavailable | failed */
  outcome: string;
  /** Its page on GitHub, when the webhook said where the repository is. */
  url?: string;
  /** From a fork: planned without credentials. */
  fork?: boolean;
  /** One line per action, as `pilot plan` prints them; or what went wrong. */
  lines: string[];
  at: string;
}

export function newStatus(): DaemonStatus {
  return { startedAt: new Date().toISOString(), ready: newReadiness(), runs: [], lastErrors: [], apps: [], stacks: [], pullRequests: [], merges: [] };
}

/**
 * Per-app state from the plan and what running it did. `declared` (project/app keys of
 * the revision) drops apps that left the manifests; one with nothing to do and no
 * earlier state is up to date (a restart finds it deployed already).
 */
export function appStatuses(plan: Plan, results: readonly ActionResult[] | undefined, previous: readonly AppStatus[], declared: readonly string[]): AppStatus[] {
  const wanted = new Set(declared);
  const byKey = new Map(previous.filter((a) => wanted.has(`${a.project}/${a.app}`)).map((a) => [`${a.project}/${a.app}`, a]));
  for (const key of wanted) {
    const [project, app] = key.split('/') as [string, string];
    if (!byKey.has(key)) byKey.set(key, { project, app, state: 'converged', detail: 'up to date' });
  }
  const resultById = new Map((results ?? []).map((r) => [r.id, r]));
  for (const action of plan.actions) {
    if (!action.name || !['deploy', 'attach', 'not-retried', 'source-error', 'missing-secret'].includes(action.kind)) continue;
    const key = `${action.project}/${action.name}`;
    const result = resultById.get(action.id);
    const status: AppStatus = { project: action.project, app: action.name, state: 'attention', detail: action.reasons.join('; ') };
    if (result?.status === 'done') {
      status.state = 'converged';
      const url = result.urls?.release ?? result.urls?.app;
      if (url) status.url = url;
    } else if (result?.status === 'failed') {
      status.state = 'failed';
      status.detail = result.error ?? status.detail;
    } else if (result?.status === 'blocked') {
      status.state = 'blocked';
      status.detail = result.reasons.join('; ');
    }
    byKey.set(key, status);
  }
  return [...byKey.values()].sort((a, b) => `${a.project}/${a.app}`.localeCompare(`${b.project}/${b.app}`));
}

/**
 * Per-stack state from the stacks planned in a run, its plan and what running it did.
 * Stacks of projects the run did not plan keep their earlier state.
 */
export function stackStatuses(stacks: readonly StackState[], plan: Plan, results: readonly ActionResult[] | undefined, previous: readonly StackStatus[]): StackStatus[] {
  const byId = new Map(previous.map((s) => [s.id, s]));
  const actionById = new Map(plan.actions.map((a) => [a.id, a]));
  const resultById = new Map((results ?? []).map((r) => [r.id, r]));
  for (const stack of stacks) {
    const action = actionById.get(stack.id);
    const result = resultById.get(stack.id);
    const status: StackStatus = { id: stack.id, project: stack.project, provider: stack.provider, region: stack.region, state: 'converged', detail: 'no changes' };
    if (result?.status === 'failed') Object.assign(status, { state: 'failed', detail: result.error ?? '' });
    else if (action?.kind === 'stack-error') Object.assign(status, { state: 'failed', detail: action.reasons.join('; ') });
    else if (action?.kind === 'refused') Object.assign(status, { state: 'refused', detail: action.reasons.join('; ') });
    else if (result?.status === 'done') status.detail = `applied: ${action?.reasons.join('; ') ?? ''}`;
    else if (action) Object.assign(status, { state: 'drift', detail: action.reasons.join('; ') });
    byId.set(stack.id, status);
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
