// What the daemon knows about itself, for /api/status, the status page and /readyz.

import type { ActionResult } from '../reconciler/apply.js';
import type { Plan } from '../reconciler/plan-types.js';

export interface AppStatus {
  project: string;
  app: string;
  /** converged | deploying | failed | blocked | attention */
  state: string;
  detail: string;
  url?: string;
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
  ready: { source: boolean; waypoint: boolean; store: boolean; reason?: string };
  running?: RunStatus;
  lastRun?: RunStatus;
  lastErrors: string[];
  apps: AppStatus[];
  drift?: { at: string; changes: number; healed: boolean };
}

export function newStatus(): DaemonStatus {
  return { startedAt: new Date().toISOString(), ready: { source: false, waypoint: false, store: false }, lastErrors: [], apps: [] };
}

/** Per-app state from the plan and what running it did. */
export function appStatuses(plan: Plan, results: readonly ActionResult[] | undefined, previous: readonly AppStatus[]): AppStatus[] {
  const byKey = new Map(previous.map((a) => [`${a.project}/${a.app}`, a]));
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
