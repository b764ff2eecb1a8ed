// App configuration (SetConfig, GetConfig, DeleteConfig), in memory only. Values are
// never logged or put into error messages.

import { invalidRequest } from './errors.js';
import type { AppRef, ConfigVar } from './types.js';

export interface ConfigStore {
  vars: Map<string, ConfigVar>;
}

export function createConfigStore(): ConfigStore {
  return { vars: new Map() };
}

/** Unset, an empty static value, or no value at all: all mean "delete". */
function isDelete(variable: ConfigVar): boolean {
  if (variable.value === 'unset' || variable.value === undefined) return true;
  return variable.value === 'static' && (variable.static ?? '') === '';
}

type Scope = { kind: 'global' } | { kind: 'project'; project: string } | { kind: 'application'; project: string; application: string };

/** An unset app_scope counts as global. */
function scopeOf(variable: ConfigVar): Scope {
  const target = variable.target;
  if (target?.app_scope === 'project' && target.project) return { kind: 'project', project: target.project.project };
  if (target?.app_scope === 'application' && target.application) {
    return { kind: 'application', project: target.application.project, application: target.application.application };
  }
  return { kind: 'global' };
}

function keyOf(variable: ConfigVar): string {
  const target = variable.target;
  const scope = Object.values(scopeOf(variable)).join('/');
  const runner = target?.runner ? JSON.stringify(target.runner) : '';
  return [scope, target?.workspace?.workspace ?? '', target?.label_selector ?? '', runner, variable.name].join('|').toLowerCase();
}

export function setConfig(store: ConfigStore, request: { variables: ConfigVar[] }): object {
  if (request.variables.length === 0) throw invalidRequest({ variables: 'cannot be blank' });
  // Deletes first, like the real server, so a batch can replace a variable.
  const ordered = [...request.variables].sort((a, b) => Number(isDelete(b)) - Number(isDelete(a)));
  for (const variable of ordered) {
    if (isDelete(variable)) store.vars.delete(keyOf(variable));
    else store.vars.set(keyOf(variable), variable);
  }
  return {};
}

export function deleteConfig(store: ConfigStore, request: { variables: ConfigVar[] }): object {
  if (request.variables.length === 0) throw invalidRequest({ variables: 'cannot be blank' });
  for (const variable of request.variables) store.vars.delete(keyOf(variable));
  return {};
}

interface GetRequest {
  prefix: string;
  scope?: 'application' | 'project';
  application?: AppRef | null;
  project?: { project: string } | null;
  runner: object | null;
  workspace: { workspace: string } | null;
  labels: Record<string, string>;
}

function inScope(scope: Scope, request: GetRequest): boolean {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (scope.kind === 'global') return true;
  if (request.scope === 'project') return same(scope.project, request.project!.project);
  const app = request.application!;
  return same(scope.project, app.project) && (scope.kind === 'project' || same(scope.application, app.application));
}

const rank = { global: 0, project: 1, application: 2 } as const;

/** GetConfig: global + project (+ app) variables; application scope merges by name with
 * the most specific winning, project scope returns every match of the project unmerged. */
export function getConfig(store: ConfigStore, request: GetRequest): { variables: ConfigVar[] } {
  if (!request.scope) throw invalidRequest({ Scope: 'cannot be blank' });
  const matches = [...store.vars.values()].filter((variable) => {
    const target = variable.target;
    if (!variable.name.startsWith(request.prefix)) return false;
    if (Boolean(target?.runner) !== Boolean(request.runner)) return false;
    if (request.workspace && target?.workspace && target.workspace.workspace.toLowerCase() !== request.workspace.workspace.toLowerCase()) {
      return false;
    }
    // Label selectors are not evaluated: a selected variable is returned only when the caller sent labels.
    if (target?.label_selector && Object.keys(request.labels).length === 0) return false;
    return inScope(scopeOf(variable), request);
  });
  const byName = (a: ConfigVar, b: ConfigVar) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (request.scope === 'project') return { variables: matches.sort(byName) };
  const specificity = (v: ConfigVar) => rank[scopeOf(v).kind] * 4 + (v.target?.workspace ? 2 : 0) + (v.target?.label_selector ? 1 : 0);
  const merged = new Map<string, ConfigVar>();
  for (const variable of matches.sort((a, b) => specificity(a) - specificity(b))) merged.set(variable.name, variable);
  return { variables: [...merged.values()].sort(byName) };
}
