// A plan for people: one line per action, like a Terraform plan, counts at the end.

import { countPlan, type Action, type Plan } from './plan-types.js';
import type { StackChange } from './ports.js';

const marks: Record<StackChange['action'], string> = { create: '+', update: '~', replace: '-/+', delete: '-' };

/** Terraform's changes under a stack's line, destructive ones marked. */
function changeLines(action: Action): string[] {
  return (action.changes ?? []).map((change) => {
    const attributes = change.attributes?.length ? ` (${change.attributes.join(', ')})` : '';
    return `      ${marks[change.action].padEnd(3)} ${change.address}${attributes}${change.destructive ? '  [destructive]' : ''}`;
  });
}

export function formatPlan(plan: Plan): string {
  if (plan.actions.length === 0) return `No changes: the clouds and Waypoint match the manifests at ${plan.revision}.\n`;
  const width = Math.min(44, Math.max(...plan.actions.map((a) => a.kind.length + a.target.length + 1)));
  const lines = plan.actions.flatMap((action) => {
    const head = `${action.kind} ${action.target}`.padEnd(width);
    const status = action.status === 'pending' || action.status === 'report' ? '' : ` [${action.status}]`;
    return [`  ${action.symbol} ${head}  ${action.reasons.join('; ')}${status}`, ...changeLines(action)];
  });
  const c = countPlan(plan);
  const summary = `Plan: ${c.create} to create, ${c.change} to change, ${c.destroy} to destroy, ${c.attention} need${c.attention === 1 ? 's' : ''} attention.`;
  return `Plan for revision ${plan.revision}:\n\n${lines.join('\n')}\n\n${summary}\n`;
}

/** The versioned JSON form, for machines and pull request tooling. */
export function planJson(plan: Plan): object {
  return { version: plan.version, revision: plan.revision, counts: countPlan(plan), actions: plan.actions };
}
