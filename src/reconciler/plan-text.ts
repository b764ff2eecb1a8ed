// A plan for people: one line per action, like a Terraform plan, counts at the end.

import { countPlan, type Plan } from './plan-types.js';

export function formatPlan(plan: Plan): string {
  if (plan.actions.length === 0) return `No changes: Waypoint matches the manifests at ${plan.revision}.\n`;
  const width = Math.min(44, Math.max(...plan.actions.map((a) => a.kind.length + a.target.length + 1)));
  const lines = plan.actions.map((action) => {
    const head = `${action.kind} ${action.target}`.padEnd(width);
    const status = action.status === 'pending' || action.status === 'report' ? '' : ` [${action.status}]`;
    return `  ${action.symbol} ${head}  ${action.reasons.join('; ')}${status}`;
  });
  const c = countPlan(plan);
  const summary = `Plan: ${c.create} to create, ${c.change} to change, ${c.destroy} to destroy, ${c.attention} need${c.attention === 1 ? 's' : ''} attention.`;
  return `Plan for revision ${plan.revision}:\n\n${lines.join('\n')}\n\n${summary}\n`;
}

/** The versioned JSON form, for machines and pull request tooling. */
export function planJson(plan: Plan): object {
  return { version: plan.version, revision: plan.revision, counts: countPlan(plan), actions: plan.actions };
}
