// App configuration in Waypoint's config store: where secrets and database values live.

import type { Caller } from './call.js';
import type { ConfigVarMessage } from './messages.js';

/** A value: literal (secrets included; kept in memory only), or read by the runner from a config source. */
export type ConfigValue = { kind: 'static'; value: string } | { kind: 'dynamic'; from: string; config: Record<string, string> };

function target(project: string, app: string) {
  return { application: { project, application: app }, workspace: { workspace: 'default' } };
}

export async function setAppConfig(rpc: Caller, project: string, app: string, values: Record<string, ConfigValue>): Promise<void> {
  const variables = Object.entries(values).map(([name, value]) =>
    value.kind === 'static'
      ? { name, static: value.value, target: target(project, app) }
      : { name, dynamic: { from: value.from, config: value.config }, target: target(project, app) },
  );
  if (variables.length === 0) return;
  await rpc.unary('SetConfig', { variables });
}

/** The variable's value as Pilot set it, when it is scoped to one app of the project: the app's name and value. */
function appValue(variable: ConfigVarMessage, project: string): { app: string; value: ConfigValue } | undefined {
  // GetConfig merges global and project variables in (internal/server/boltdbstate/config.go
  // 143-330): only the app's own ones say what Pilot set, or whether its secret is set.
  const scoped = variable.target?.app_scope === 'application' ? variable.target.application : undefined;
  if (!scoped || scoped.project.toLowerCase() !== project.toLowerCase()) return undefined;
  if (variable.value === 'dynamic' && variable.dynamic) return { app: scoped.application, value: { kind: 'dynamic', from: variable.dynamic.from, config: { ...variable.dynamic.config } } };
  if (variable.value === 'static') return { app: scoped.application, value: { kind: 'static', value: variable.static ?? '' } };
  return undefined;
}

export async function getAppConfig(rpc: Caller, project: string, app: string): Promise<Record<string, ConfigValue>> {
  const response = await rpc.unary<{ variables: ConfigVarMessage[] }>('GetConfig', {
    application: { project, application: app },
    workspace: { workspace: 'default' },
  });
  const values: Record<string, ConfigValue> = {};
  for (const variable of response.variables) {
    const own = appValue(variable, project);
    if (own?.app === app) values[variable.name] = own.value;
  }
  return values;
}

/**
 * Every app's own variables in a project, in one call: with the project scope the server
 * returns the project index, which holds the app-scoped variables of all its apps, unmerged
 * (config.go 160-172 and the "project" index over Project and Name, 613-630).
 */
export async function getProjectConfig(rpc: Caller, project: string): Promise<Map<string, Record<string, ConfigValue>>> {
  const response = await rpc.unary<{ variables: ConfigVarMessage[] }>('GetConfig', {
    project: { project },
    workspace: { workspace: 'default' },
  });
  const byApp = new Map<string, Record<string, ConfigValue>>();
  for (const variable of response.variables) {
    const own = appValue(variable, project);
    if (!own) continue;
    if (!byApp.has(own.app)) byApp.set(own.app, {});
    byApp.get(own.app)![variable.name] = own.value;
  }
  return byApp;
}

export async function deleteAppConfig(rpc: Caller, project: string, app: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  // Pilot's own values carry the default workspace; the runner writes a file's
  // `config { env }` with no workspace (internal/config/app.go 119-123): unset both.
  const runnerTarget = { application: { project, application: app } };
  const variables = names.flatMap((name) => [
    { name, unset: {}, target: target(project, app) },
    { name, unset: {}, target: runnerTarget },
  ]);
  await rpc.unary('DeleteConfig', { variables });
}
