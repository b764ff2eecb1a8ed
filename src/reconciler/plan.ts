// Changes -> an ordered plan of actions, with the spec's safety rules. Pure.

import { appKey } from './actual-state.js';
import type { Change } from './diff.js';
import type { Provider } from './desired-state.js';
import type { Action, Plan } from './plan-types.js';
import type { StackChange, StackState } from './ports.js';
import type { Targets } from './targets.js';

export interface PlanPolicy {
  revision: string;
  /** Projects whose manifests say `policy.prune: true`. */
  pruneProjects: ReadonlySet<string>;
  /** False when the manifests declare nothing at all: an empty repository never prunes. */
  allowPrune: boolean;
  /** Redeploy an app whose last deployment of the same configuration and commit failed. */
  retryFailed: boolean;
  drivers: readonly Provider[];
  /** App key -> keys of the apps it depends on (dependsOn). */
  dependsOn: Readonly<Record<string, readonly string[]>>;
  /** App key -> the stack it needs (databases, static hosting), if any. */
  needsStack: Readonly<Record<string, string>>;
}

export function policyFor(targets: Targets, revision: string, retryFailed = false): PlanPolicy {
  const dependsOn: Record<string, string[]> = {};
  const needsStack: Record<string, string> = {};
  for (const project of targets.state.projects) {
    for (const app of project.apps) {
      const key = appKey(project.name, app.name);
      dependsOn[key] = app.dependsOn.map((name) => appKey(project.name, name));
      // With a driver every app's registry and network live in its stack; without one, only what needs it.
      const needs = targets.drivers.includes(app.provider) || app.databases.length > 0 || app.deploy.platform === 'static';
      if (needs) needsStack[key] = stackId(project.name, app.provider, app.region);
    }
  }
  return {
    revision,
    pruneProjects: new Set(targets.state.projects.filter((p) => p.prune).map((p) => p.name)),
    allowPrune: targets.state.projects.length > 0,
    retryFailed,
    drivers: targets.drivers,
    dependsOn,
    needsStack,
  };
}

export function stackId(project: string, provider: string, region: string): string {
  return `stack:${project}/${provider}/${region}`;
}

const phase: Record<Action['kind'], number> = {
  'provision-stack': 0, 'stack-error': 0, refused: 0, 'ensure-project': 1, 'ensure-app': 2, 'set-config': 3, 'missing-secret': 3,
  deploy: 4, attach: 4, 'not-retried': 4, 'source-error': 4, 'destroy-app': 5, 'destroy-database': 5, orphaned: 6, protected: 6,
};

function base(kind: Action['kind'], id: string, project: string, name: string | undefined, target: string, symbol: Action['symbol'], reasons: string[], status: Action['status'] = 'pending'): Action {
  return { id, kind, symbol, project, ...(name ? { name } : {}), target, reasons, after: [], status };
}

function actionFor(change: Change, policy: PlanPolicy): Action {
  switch (change.kind) {
    case 'stack-needed': {
      const supported = policy.drivers.includes(change.provider);
      const what = change.resources.join(', ');
      return base('provision-stack', stackId(change.project, change.provider, change.region), change.project, undefined, `${change.project} ${change.provider} ${change.region}`, supported ? '+' : '!',
        [supported ? what : `needs the ${change.provider} driver (${what})`], supported ? 'pending' : 'unsupported');
    }
    case 'stack-changes':
      return stackAction(change.stack);
    case 'project-missing':
      return base('ensure-project', `project:${change.project}`, change.project, undefined, change.project, '+', ['new project']);
    case 'app-missing':
      return base('ensure-app', `app:${appKey(change.project, change.app)}`, change.project, change.app, appKey(change.project, change.app), '+', ['new app']);
    case 'config-differs': {
      const reasons = [
        ...(change.names.length ? [`set ${change.names.join(', ')}`] : []),
        ...(change.unset.length ? [`unset ${change.unset.join(', ')} (removed from the manifest)`] : []),
      ];
      const action = base('set-config', `config:${appKey(change.project, change.app)}`, change.project, change.app, appKey(change.project, change.app), '~', reasons);
      action.names = change.names;
      if (change.unset.length) action.unset = change.unset;
      return action;
    }
    case 'secret-missing':
      return base('missing-secret', `secret:${appKey(change.project, change.app)}`, change.project, change.app, appKey(change.project, change.app), '!',
        change.names.map((n) => `secret ${n} is not set: run pilot secret set ${change.project}/${change.app} ${n}`), 'report');
    case 'deploy': {
      const action = base('deploy', `deploy:${appKey(change.project, change.app)}`, change.project, change.app, appKey(change.project, change.app), change.reasons.includes('new app') ? '+' : '~', change.reasons);
      return Object.assign(action, { configHash: change.configHash, commit: change.commit });
    }
    case 'in-flight': {
      const action = base('attach', `deploy:${appKey(change.project, change.app)}`, change.project, change.app, appKey(change.project, change.app), '~', [`job ${change.jobId} is still running: follow it`]);
      return Object.assign(action, { configHash: change.configHash, commit: change.commit, jobId: change.jobId });
    }
    case 'failed-before': {
      if (policy.retryFailed) {
        const action = base('deploy', `deploy:${appKey(change.project, change.app)}`, change.project, change.app, appKey(change.project, change.app), '~', ['last deployment failed: retrying']);
        return Object.assign(action, { configHash: change.configHash, commit: change.commit });
      }
      return base('not-retried', `deploy:${appKey(change.project, change.app)}`, change.project, change.app, appKey(change.project, change.app), '!',
        [`last deployment failed (job ${change.jobId}): not retried until the manifests or the source change (or use --retry-failed)`], 'report');
    }
    case 'source-unresolved':
      return base('source-error', `deploy:${appKey(change.project, change.app)}`, change.project, change.app, appKey(change.project, change.app), '!', [change.error], 'report');
    case 'orphan':
      return orphanAction(change.item, policy);
  }
}

const verbs: Record<StackChange['action'], string> = { create: 'create', update: 'change', replace: 'replace', delete: 'destroy' };

/** "2 to create, 1 to replace" for a stack's changes. */
export function describeStackChanges(changes: readonly StackChange[]): string {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(verbs[change.action], (counts.get(verbs[change.action]) ?? 0) + 1);
  return ['create', 'change', 'replace', 'destroy'].filter((v) => counts.has(v)).map((v) => `${counts.get(v)} to ${v}`).join(', ');
}

function stackAction(stack: StackState): Action {
  const id = stackId(stack.project, stack.provider, stack.region);
  const target = `${stack.project} ${stack.provider} ${stack.region}`;
  if (stack.error) return base('stack-error', id, stack.project, undefined, target, '!', [stack.error.message], 'report');
  const refused = stack.changes
    .filter((c) => c.destructive && stack.protectedAddresses[c.address] !== undefined)
    .map((c) => `would ${verbs[c.action]} database ${stack.protectedAddresses[c.address]} (${c.address}), which has deletionProtection: true; nothing is applied (set deletionProtection: false first if you mean it)`);
  if (refused.length) return Object.assign(base('refused', id, stack.project, undefined, target, '!', refused, 'report'), { changes: stack.changes });
  const symbol = stack.changes.some((c) => c.destructive) ? '-' : stack.changes.every((c) => c.action === 'create') ? '+' : '~';
  return Object.assign(base('provision-stack', id, stack.project, undefined, target, symbol, [describeStackChanges(stack.changes)]), { changes: stack.changes });
}

function orphanAction(item: Extract<Change, { kind: 'orphan' }>['item'], policy: PlanPolicy): Action {
  const key = appKey(item.project, item.name);
  const id = `${item.kind === 'app' ? 'destroy' : 'destroy-database'}:${key}`;
  if (!policy.allowPrune) return base('orphaned', id, item.project, item.name, key, '!', ['orphaned: the manifests declare nothing, which Pilot treats as a mistake; nothing is deleted'], 'report');
  if (item.kind === 'database' && item.deletionProtection !== false) {
    return base('protected', id, item.project, item.name, key, '!', ['left the manifests, but deletion protection is on: never destroyed'], 'report');
  }
  if (!policy.pruneProjects.has(item.project)) return base('orphaned', id, item.project, item.name, key, '!', ['orphaned: prune is off, so it is left running'], 'report');
  if (item.kind === 'database') {
    const supported = policy.drivers.includes(item.provider);
    const action = base('destroy-database', id, item.project, item.name, key, '-', [supported ? 'removed from the manifests (prune is on)' : `removed from the manifests; needs the ${item.provider} driver`], supported ? 'pending' : 'unsupported');
    // Terraform deletes it when its stack is applied without it.
    return supported ? Object.assign(action, { stack: stackId(item.project, item.provider, item.region) }) : action;
  }
  return base('destroy-app', id, item.project, item.name, key, '-', ['removed from the manifests (prune is on)']);
}

function link(actions: Map<string, Action>, policy: PlanPolicy): void {
  for (const action of actions.values()) {
    const after = new Set<string>();
    const key = action.name ? appKey(action.project, action.name) : undefined;
    if (action.kind === 'ensure-app') after.add(`project:${action.project}`);
    if (key && (action.kind === 'set-config' || action.kind === 'deploy' || action.kind === 'attach')) {
      after.add(`app:${key}`);
      if (policy.needsStack[key]) after.add(policy.needsStack[key]!);
    }
    if (action.stack) after.add(action.stack);
    if (key && action.kind === 'deploy') {
      after.add(`config:${key}`);
      after.add(`secret:${key}`);
      for (const dependency of policy.dependsOn[key] ?? []) after.add(`deploy:${dependency}`);
    }
    action.after = [...after].filter((id) => actions.has(id)).sort();
  }
}

/** Orders actions by phase, then so that every action follows its prerequisites. */
function order(actions: Map<string, Action>): Action[] {
  const sorted: Action[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (action: Action) => {
    if (placed.has(action.id) || visiting.has(action.id)) return;
    visiting.add(action.id);
    for (const id of action.after) place(actions.get(id)!);
    visiting.delete(action.id);
    placed.add(action.id);
    sorted.push(action);
  };
  const byPhase = [...actions.values()].sort((a, b) => phase[a.kind] - phase[b.kind] || a.target.localeCompare(b.target));
  for (const action of byPhase) place(action);
  return sorted;
}

export function plan(changes: readonly Change[], policy: PlanPolicy): Plan {
  const actions = new Map<string, Action>();
  for (const change of changes) {
    const action = actionFor(change, policy);
    actions.set(action.id, action);
  }
  link(actions, policy);
  const ordered = order(actions);
  for (const action of ordered) {
    if (action.status !== 'pending') continue;
    const stuck = action.after.filter((id) => actions.get(id)!.status !== 'pending');
    if (stuck.length > 0) {
      action.status = 'blocked';
      action.reasons = [...action.reasons, ...stuck.map((id) => `blocked by ${id}`)];
    }
  }
  return { version: 1, revision: policy.revision, actions: ordered };
}
