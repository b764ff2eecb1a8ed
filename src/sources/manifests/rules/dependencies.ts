// dependsOn names apps of the same project, and the dependencies form no cycle.

import { closest } from '../suggest.js';
import type { Rule } from './rule.js';

/** Every elementary cycle found by a depth-first search, each starting at its smallest name. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join('>'), rotated);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

export const dependencyRule: Rule = (docs, report) => {
  for (const doc of docs) {
    const apps = doc.manifest.apps ?? [];
    const names = apps.map((app) => app.name);
    const graph = new Map<string, string[]>();
    apps.forEach((app, i) => {
      const valid: string[] = [];
      (app.dependsOn ?? []).forEach((target, j) => {
        const at = ['apps', i, 'dependsOn', j];
        if (target === app.name) {
          report(doc, at, 'deps.self', `an app cannot depend on itself: remove ${target}`);
        } else if (!names.includes(target)) {
          const guess = closest(target, names);
          report(doc, at, 'deps.unknown', `project ${doc.manifest.name} has no app ${JSON.stringify(target)}${guess ? `: did you mean ${JSON.stringify(guess)}?` : ': dependsOn names apps of the same project'}`);
        } else {
          valid.push(target);
        }
      });
      if (!graph.has(app.name)) graph.set(app.name, valid);
    });
    for (const cycle of findCycles(graph)) {
      const first = cycle[0]!;
      const i = apps.findIndex((app) => app.name === first);
      const j = (apps[i]!.dependsOn ?? []).indexOf(cycle[1 % cycle.length]!);
      report(doc, ['apps', i, 'dependsOn', j], 'deps.cycle', `dependency cycle: ${[...cycle, first].join(' -> ')}: remove one of these dependsOn entries`);
    }
  }
};
