// What a plan comes to, counted from its actions and problems: the header's summary line
// and the check run's title.

import { attentionKinds, type Action, type Plan } from '../../../reconciler/plan-types.js';
import { isDatabaseInstance } from './cloud-changes.js';
import type { PlanSection } from './model.js';
import { count } from './words.js';

export interface CommentCounts {
  /** New apps: an ensure-app and a deploy of the same target. */
  deploy: number;
  /** Deploys (or running jobs followed) of apps that exist. */
  update: number;
  destroy: number;
  orphaned: number;
  /** Manifest errors, actions that need attention, errors of the run. */
  errors: number;
  warnings: number;
  databasesToCreate: number;
  databasesToDestroy: number;
  destructiveCloudChanges: number;
}


/** Per stack the larger of its deleted database instances and the destroy-database actions it applies; they are the same databases. */
function databasesToDestroy(actions: readonly Action[]): number {
  const stacks = new Map(actions.filter((a) => a.kind === 'provision-stack').map((a) => [a.id, (a.changes ?? []).filter((c) => c.action === 'delete' && isDatabaseInstance(c)).length]));
  const viaStack = new Map<string, number>();
  let alone = 0;
  for (const action of actions.filter((a) => a.kind === 'destroy-database')) {
    if (action.stack && stacks.has(action.stack)) viaStack.set(action.stack, (viaStack.get(action.stack) ?? 0) + 1);
    else alone += 1;
  }
  return alone + [...stacks].reduce((sum, [id, deleted]) => sum + Math.max(deleted, viaStack.get(id) ?? 0), 0);
}

export function countComment(section: PlanSection): CommentCounts {
  const actions = section.plan?.actions ?? [];
  const created = new Set(actions.filter((a) => a.kind === 'ensure-app').map((a) => a.target));
  const deploys = actions.filter((a) => a.kind === 'deploy' || a.kind === 'attach');
  // Only stacks that will be applied: a refused stack's changes are an error, not a change.
  const cloud = actions.filter((a) => a.kind === 'provision-stack').flatMap((a) => a.changes ?? []);
  return {
    deploy: deploys.filter((a) => created.has(a.target)).length,
    update: deploys.filter((a) => !created.has(a.target)).length,
    destroy: actions.filter((a) => a.kind === 'destroy-app').length,
    orphaned: actions.filter((a) => a.kind === 'orphaned').length,
    errors: section.problems.filter((p) => p.severity === 'error').length + actions.filter((a) => attentionKinds.has(a.kind)).length + section.errors.length,
    warnings: section.problems.filter((p) => p.severity === 'warning').length,
    databasesToCreate: cloud.filter((c) => c.action === 'create' && isDatabaseInstance(c)).length,
    databasesToDestroy: databasesToDestroy(actions),
    destructiveCloudChanges: cloud.filter((c) => c.destructive).length,
  };
}

/** "1 app to deploy, 2 to update" from the non-zero app counts; the noun goes on the first. */
function appPhrase(c: CommentCounts): string | undefined {
  const parts = ([['to deploy', c.deploy], ['to update', c.update], ['to destroy', c.destroy], ['orphaned', c.orphaned]] as const).filter(([, n]) => n > 0);
  if (parts.length === 0) return undefined;
  return parts.map(([what, n], i) => (i === 0 ? `${count(n, 'app')} ${what}` : `${n} ${what}`)).join(', ');
}

function databasePhrase(c: CommentCounts): string | undefined {
  const parts = ([['to create', c.databasesToCreate], ['to destroy', c.databasesToDestroy]] as const).filter(([, n]) => n > 0);
  if (parts.length === 0) return undefined;
  return parts.map(([what, n], i) => (i === 0 ? `${count(n, 'database')} ${what}` : `${n} ${what}`)).join(', ');
}

const issues = (c: CommentCounts, always: boolean) =>
  [...(always || c.errors > 0 ? [count(c.errors, 'error')] : []), ...(c.warnings > 0 ? [count(c.warnings, 'warning')] : [])];

/** "3 apps to deploy, 1 to update, 1 orphaned, 0 errors; 1 database to create; 2 destructive cloud changes". */
export function summaryLine(c: CommentCounts, plan: Plan | undefined): string {
  const apps = appPhrase(c) ?? (plan ? 'no app changes' : undefined);
  const first = [...(apps ? [apps] : []), ...issues(c, true)].join(', ');
  const cloud = c.destructiveCloudChanges > 0 ? count(c.destructiveCloudChanges, 'destructive cloud change') : undefined;
  return [first, databasePhrase(c), cloud].filter((p) => p !== undefined).join('; ');
}

/** The short form for a check run's title: only what is there, e.g. "3 apps to deploy, 1 error". */
export function titleLine(c: CommentCounts): string | undefined {
  const parts = [appPhrase(c), databasePhrase(c), c.destructiveCloudChanges > 0 ? count(c.destructiveCloudChanges, 'destructive cloud change') : undefined, ...issues(c, false)];
  const shown = parts.filter((p) => p !== undefined);
  return shown.length ? shown.join(', ') : undefined;
}
