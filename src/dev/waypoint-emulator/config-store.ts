// App configuration (SetConfig, GetConfig, DeleteConfig) as v0.11.4 stores and resolves
// it (internal/server/boltdbstate/config.go), in memory only. Values are never logged
// or put into error messages.

import { invalidRequest, rpcError, status } from './errors.js';
import { SelectorError, selectorMatches } from './label-selector.js';
import type { AppRef, ConfigVar } from './types.js';

export interface ConfigStore {
  vars: Map<string, ConfigVar>;
}

export function createConfigStore(): ConfigStore {
  return { vars: new Map() };
}

type Scope = 'global' | 'project' | 'application';

function scopeOf(variable: ConfigVar): Scope {
  return variable.target!.app_scope!;
}

/** isConfigVarDelete (config.go 719-732): unset, an empty static value, or no value. */
function isDelete(variable: ConfigVar): boolean {
  if (variable.value === 'unset' || variable.value === undefined) return true;
  return variable.value === 'static' && (variable.static ?? '') === '';
}

/** configVarId (config.go 545-561): a hash of the whole target, case kept, then the name; all lower-cased. */
function keyOf(variable: ConfigVar): string {
  const target = variable.target!;
  const scope = scopeOf(variable);
  const owner = scope === 'project' ? [target.project?.project] : scope === 'application' ? [target.application?.project, target.application?.application] : [];
  const identity = [scope, owner, target.workspace ? target.workspace.workspace : null, target.label_selector, target.runner ? JSON.stringify(target.runner) : null];
  return `${JSON.stringify(identity)}/${variable.name.toLowerCase()}`;
}

/** configIndexSet (config.go 457-473) panics on a variable without a scope, which stops
 * the real server (no gRPC recovery): refused here, before anything is written. */
function checkScopes(variables: ConfigVar[]): void {
  if (variables.some((variable) => !variable.target?.app_scope)) {
    throw rpcError(status.INTERNAL, 'emulator: a config variable without target.app_scope (global, project or application) makes the real v0.11.4 server panic and stop');
  }
}

export function setConfig(store: ConfigStore, request: { variables: ConfigVar[] }): object {
  if (request.variables.length === 0) throw invalidRequest({ variables: 'cannot be blank' });
  checkScopes(request.variables);
  // Deletes first (config.go 72-76), so a batch can replace a variable.
  const ordered = [...request.variables].sort((a, b) => Number(isDelete(b)) - Number(isDelete(a)));
  for (const variable of ordered) {
    if (isDelete(variable)) store.vars.delete(keyOf(variable));
    else store.vars.set(keyOf(variable), variable);
  }
  return {};
}

export function deleteConfig(store: ConfigStore, request: { variables: ConfigVar[] }): object {
  if (request.variables.length === 0) throw invalidRequest({ variables: 'cannot be blank' });
  checkScopes(request.variables);
  for (const variable of request.variables) store.vars.delete(keyOf(variable));
  return {};
}

export interface GetRequest {
  prefix: string;
  scope?: 'application' | 'project';
  application?: AppRef | null;
  project?: { project: string } | null;
  runner: { id: string } | null;
  workspace: { workspace: string } | null;
  labels: Record<string, string>;
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** configGetExact (config.go 337-411) over the memdb indexes, which lower-case project,
 * app and name: the project index holds the app-scoped variables of every app of the
 * project too. In index order: by name, then id. */
function exact(store: ConfigStore, prefix: string, scope: Scope, project = '', application = ''): ConfigVar[] {
  return [...store.vars.entries()]
    .filter(([, v]) => v.name.toLowerCase().startsWith(prefix.toLowerCase()))
    .filter(([, v]) => {
      const kind = scopeOf(v);
      if (scope === 'global') return kind === 'global';
      const owner = kind === 'project' ? v.target!.project : kind === 'application' ? v.target!.application : null;
      if (!owner || !same(owner.project, project)) return false;
      return scope === 'project' || (kind === 'application' && same(v.target!.application!.application, application));
    })
    .sort(([ka, a], [kb, b]) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, v]) => v);
}

const weight = { global: 0, project: 1, application: 2 } as const;

/** serversort.ConfigResolution (pkg/server/sort/config.go): later wins; a workspace over
 * none, then app over project over global, then the longer label selector. */
function resolutionKey(v: ConfigVar): number[] {
  return [v.target!.workspace?.workspace ? 1 : 0, weight[scopeOf(v)], v.target!.label_selector.length];
}

function byResolution(a: ConfigVar, b: ConfigVar): number {
  const [ka, kb] = [resolutionKey(a), resolutionKey(b)];
  return ka[0]! - kb[0]! || ka[1]! - kb[1]! || ka[2]! - kb[2]!;
}

function byName(a: ConfigVar, b: ConfigVar): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** With a runner: only runner variables, any-runner ones before those for this runner id (config.go 413-454). */
function runnerSets(set: ConfigVar[], runnerId: string): ConfigVar[][] {
  const targets = set.filter((v) => v.target!.runner).map((v) => ({ v, target: (v.target!.runner as { target?: string; id?: { id: string } }) }));
  if (targets.some(({ target }) => target.target !== 'any' && target.target !== 'id')) throw rpcError(status.INTERNAL, 'failed to get config');
  return [targets.filter(({ target }) => target.target === 'any').map(({ v }) => v), targets.filter(({ target }) => target.target === 'id' && target.id?.id === runnerId).map(({ v }) => v)];
}

function applies(v: ConfigVar, request: GetRequest): boolean {
  const target = v.target!;
  if (request.workspace && target.workspace && !same(target.workspace.workspace, request.workspace.workspace)) return false;
  if (target.label_selector === '') return true;
  try {
    return selectorMatches(target.label_selector, request.labels);
  } catch (error) {
    if (error instanceof SelectorError) throw rpcError(status.INTERNAL, 'failed to get config');
    throw error;
  }
}

/** configGetMerged (config.go 143-331). */
export function getConfig(store: ConfigStore, request: GetRequest): { variables: ConfigVar[] } {
  if (!request.scope) throw invalidRequest({ Scope: 'cannot be blank' });
  let sets = [exact(store, request.prefix, 'global')];
  if (request.scope === 'project') sets.push(exact(store, request.prefix, 'project', request.project!.project));
  else {
    const app = request.application!;
    sets.push(exact(store, request.prefix, 'project', app.project), exact(store, request.prefix, 'application', app.project, app.application));
  }
  sets = sets.map((set) => [...set].sort(byResolution));
  sets = request.runner ? sets.flatMap((set) => runnerSets(set, request.runner!.id)) : sets.map((set) => set.filter((v) => !v.target!.runner));
  sets = sets.map((set) => set.filter((v) => applies(v, request)));
  // Project scope lists every match without resolving (config.go 167-171, 296-308).
  if (request.scope === 'project') return { variables: sets.flat().sort(byName) };
  const merged = new Map<string, ConfigVar>();
  for (const v of sets.flat()) merged.set(v.name, v);
  return { variables: [...merged.values()].sort(byName) };
}
