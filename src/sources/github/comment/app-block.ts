// One app (or database) of a plan comment: each of its actions with its reasons, folded
// into <details> when long.

import type { Action } from '../../../reconciler/plan-types.js';
import { collapsed, collapseOver, type Block } from './blocks.js';
import { inline } from './escape.js';
import { shortRevision } from './words.js';

const phrases: Record<Action['kind'], string> = {
  'provision-stack': 'apply the cloud stack',
  'stack-error': 'cloud stack not planned',
  refused: 'cloud stack refused',
  'ensure-project': 'create the project in Waypoint',
  'ensure-app': 'create the app in Waypoint',
  'set-config': 'update its config',
  deploy: 'deploy',
  attach: 'follow the deployment already running',
  'destroy-app': 'destroy the app',
  orphaned: 'no longer in the manifests',
  'not-retried': 'not redeployed',
  'missing-secret': 'missing secret',
  'source-error': 'source not resolved',
  'destroy-database': 'destroy the database',
  protected: 'protected database left in place',
};

const statusWords: Record<Action['status'], string> = {
  pending: '',
  report: '',
  blocked: ' (blocked: not run)',
  unsupported: ' (needs a cloud driver this Pilot does not have)',
};

/** One list item for an action, with its reasons inline or as a nested list. */
export function actionLines(action: Action): string[] {
  const phrase = action.symbol === '-' ? `**${phrases[action.kind]}**` : phrases[action.kind];
  const attention = action.symbol === '!' ? '**needs attention:** ' : '';
  const commit = action.kind === 'deploy' && action.commit ? ` commit ${inline(shortRevision(action.commit), 80)}` : '';
  const head = `- ${attention}${phrase}${commit}${statusWords[action.status]}`;
  if (action.reasons.length === 0) return [head];
  if (action.reasons.length === 1) return [`${head} — ${inline(action.reasons[0]!)}`];
  return [head, ...action.reasons.map((reason) => `  - ${inline(reason)}`)];
}

/** Whether an action is about a database (destroyed, protected or orphaned) rather than an app. */
export function isDatabaseAction(action: Action): boolean {
  return action.kind === 'destroy-database' || action.kind === 'protected' || action.id.startsWith('destroy-database:');
}

/** The block of one app or database: a bold title and its list, or a folded one when long. */
export function appBlock(target: string, actions: readonly Action[], heading: string): Block {
  const database = actions.some(isDatabaseAction);
  const name = `${database ? 'Database ' : ''}${inline(target, 300)}`;
  const body = actions.flatMap(actionLines);
  if (body.length <= collapseOver) return { heading, lines: [`**${name}**`, '', ...body] };
  const kinds = [...new Set(actions.map((a) => phrases[a.kind]))].join(', ');
  return { heading, lines: collapsed(`${name}: ${kinds} (${body.length} lines)`, body) };
}
