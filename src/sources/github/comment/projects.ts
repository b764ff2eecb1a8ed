// The plan by project (in name order): the project's own actions, its cloud stacks,
// then its databases and apps, one block each.

import type { Action, Plan } from '../../../reconciler/plan-types.js';
import { actionLines, appBlock, isDatabaseAction } from './app-block.js';
import { paragraphs, type Block } from './blocks.js';
import { stackLines } from './cloud-changes.js';
import { inline } from './escape.js';

const stackKinds: ReadonlySet<Action['kind']> = new Set(['provision-stack', 'stack-error', 'refused']);

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Actions grouped by a key, groups in key order, actions in plan order. */
function groups(actions: readonly Action[], key: (a: Action) => string): [string, Action[]][] {
  const map = new Map<string, Action[]>();
  for (const action of actions) map.set(key(action), [...(map.get(key(action)) ?? []), action]);
  return [...map].sort(([a], [b]) => byText(a, b));
}

function projectBlocks(project: string, actions: readonly Action[]): Block[] {
  const heading = `#### Project ${inline(project, 300)}`;
  const own = actions.filter((a) => a.kind === 'ensure-project');
  const stacks = actions.filter((a) => stackKinds.has(a.kind));
  const rest = actions.filter((a) => !own.includes(a) && !stacks.includes(a));
  const databases = groups(rest.filter(isDatabaseAction), (a) => a.target);
  const apps = groups(rest.filter((a) => !isDatabaseAction(a)), (a) => a.target);
  const blocks: Block[] = [
    ...stacks.map((stack) => ({ heading, lines: stackLines(stack) })),
    ...databases.map(([target, list]) => appBlock(target, list, heading)),
    ...apps.map(([target, list]) => appBlock(target, list, heading)),
  ];
  // The heading travels with the first block, so a part never ends on a bare heading.
  const intro = paragraphs([heading], own.flatMap(actionLines));
  const [first, ...others] = blocks;
  return first ? [{ heading, lines: paragraphs(intro, first.lines) }, ...others] : [{ heading, lines: intro }];
}

export function planBlocks(plan: Plan | undefined): Block[] {
  if (!plan) return [];
  return groups(plan.actions, (a) => a.project).flatMap(([project, actions]) => projectBlocks(project, actions));
}
