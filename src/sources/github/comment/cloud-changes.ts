// Terraform's changes to a stack, in words: destructive ones first and said plainly
// ("replaces the database instance aws_db_instance db-main"), named only from the address.

import type { Action } from '../../../reconciler/plan-types.js';
import type { StackChange } from '../../../reconciler/ports.js';
import { collapsed, collapseOver, paragraphs } from './blocks.js';
import { inline } from './escape.js';

export interface Address {
  /** module.a.module.b, when the resource is in a module. */
  module?: string;
  type: string;
  /** The resource's name with its index, e.g. db-main or web["a"]. */
  name: string;
}

/** The resource types Pilot's drivers make for a database (see src/drivers/protected.ts). */
const databaseInstanceTypes = new Set(['aws_db_instance', 'google_sql_database_instance']);

/** module.x.aws_db_instance.db-main[0] -> { module: 'module.x', type: 'aws_db_instance', name: 'db-main[0]' }. */
export function parseAddress(address: string): Address | undefined {
  const match = /^((?:module\.[^.[\]]+(?:\[[^\]]*\])?\.)*)([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+(?:\[.*\])?)$/.exec(address);
  if (!match || match[2] === 'data') return undefined;
  return { ...(match[1] ? { module: match[1].slice(0, -1) } : {}), type: match[2]!, name: match[3]! };
}

export function isDatabaseInstance(change: StackChange): boolean {
  const address = parseAddress(change.address);
  return address !== undefined && databaseInstanceTypes.has(address.type);
}

const verbs: Record<StackChange['action'], string> = { create: 'creates', update: 'changes', replace: 'replaces', delete: 'destroys' };
const order: Record<StackChange['action'], number> = { delete: 0, replace: 1, update: 2, create: 3 };

/** "replaces the database instance aws_db_instance db-main (forced by engine_version)", inert. */
export function changeWords(change: StackChange): string {
  const address = parseAddress(change.address);
  const what = address
    ? `${isDatabaseInstance(change) ? 'the database instance ' : ''}${inline(address.type, 200)} ${inline(address.name, 300)}${address.module ? ` in ${inline(address.module, 300)}` : ''}`
    : inline(change.address, 500);
  const attributes = change.attributes?.length ? inline(change.attributes.join(', '), 500) : '';
  const why = attributes === '' ? '' : change.action === 'replace' ? ` (forced by ${attributes})` : ` (${attributes})`;
  return `${verbs[change.action]} ${what}${why}`;
}

/** Destructive changes first, then by what they do; the plan's order otherwise. */
export function sortChanges(changes: readonly StackChange[]): StackChange[] {
  return [...changes].sort((a, b) => Number(b.destructive) - Number(a.destructive) || order[a.action] - order[b.action]);
}

const headline: Partial<Record<Action['kind'], string>> = {
  'stack-error': 'could not be planned',
  refused: 'refused: nothing in it is applied',
};

/** The stack's title line and its body lines: reasons, then each change. */
export function stackLines(action: Action): string[] {
  const status = action.status === 'unsupported' ? ' (needs a cloud driver this Pilot does not have)' : action.status === 'blocked' ? ' (blocked)' : '';
  // A planned stack's one reason counts its changes ("1 to create, 1 to replace"): it goes in the title.
  const counted = action.kind === 'provision-stack' && action.changes?.length && action.reasons.length === 1;
  const title = `**Cloud stack ${inline(action.target, 300)}**${headline[action.kind] ? `: ${headline[action.kind]}` : ''}${status}${counted ? ` — ${inline(action.reasons[0]!)}` : ''}`;
  const reasons = counted ? [] : action.reasons.map((reason) => `- ${inline(reason)}`);
  const changes = sortChanges(action.changes ?? []);
  const destructive = changes.filter((c) => c.destructive).map((c) => `- **Destructive:** ${changeWords(c)}`);
  const rest = changes.filter((c) => !c.destructive).map((c) => `- ${changeWords(c)}`);
  const body = [...reasons, ...destructive];
  if (body.length + rest.length <= collapseOver) return paragraphs([title], [...body, ...rest]);
  // Destructive changes stay in sight; the rest folds away.
  return paragraphs([title], body, collapsed(`${rest.length} more ${rest.length === 1 ? 'change' : 'changes'}`, rest));
}
