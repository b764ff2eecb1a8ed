// Pairs desired and actual resources by key and says what differs. Pure.

import { appKey, type ActualApp, type ActualState, type AppSpec, type InventoryItem } from './actual-state.js';
import type { DesiredApp, Provider } from './desired-state.js';
import type { StackState } from './ports.js';
import { isStoredMarker, type AppTarget, type Targets } from './targets.js';

export type Change =
  | { kind: 'project-missing'; project: string }
  | { kind: 'app-missing'; project: string; app: string }
  | { kind: 'config-differs'; project: string; app: string; names: string[]; unset: string[]; needsDatabase: string[] }
  | { kind: 'secret-missing'; project: string; app: string; names: string[] }
  | { kind: 'deploy'; project: string; app: string; reasons: string[]; configHash: string; commit: string }
  | { kind: 'in-flight'; project: string; app: string; jobId: string; configHash: string; commit: string }
  | { kind: 'failed-before'; project: string; app: string; configHash: string; commit: string; jobId: string }
  | { kind: 'source-unresolved'; project: string; app: string; error: string }
  | { kind: 'stack-needed'; project: string; provider: Provider; region: string; resources: string[] }
  | { kind: 'stack-changes'; stack: StackState }
  | { kind: 'orphan'; item: InventoryItem };

const short = (commit: string) => commit.slice(0, 7);

/** "memory 512 -> 1024" for every fact that changed since the last apply. */
export function describeSpecChanges(previous: AppSpec | undefined, current: AppSpec): string[] {
  if (!previous) return ['configuration changed'];
  const keys = [...new Set([...Object.keys(previous), ...Object.keys(current)])].sort();
  const reasons: string[] = [];
  for (const key of keys) {
    const before = previous[key];
    const after = current[key];
    if (before === after) continue;
    if (before === undefined) reasons.push(`${key} set to ${String(after)}`);
    else if (after === undefined) reasons.push(`${key} removed`);
    else reasons.push(`${key} ${String(before)} -> ${String(after)}`);
  }
  return reasons.length ? reasons : ['configuration changed'];
}

function storedConfigNames(app: DesiredApp): { database: string[]; external: string[]; secret: string[] } {
  const names = { database: [] as string[], external: [] as string[], secret: [] as string[] };
  for (const [name, value] of Object.entries(app.env)) {
    if (value.kind === 'database') names.database.push(name);
    if (value.kind === 'external') names.external.push(name);
    if (value.kind === 'secret') names.secret.push(name);
  }
  return names;
}

/**
 * Plain env values the last applied manifest had and this one does not name at all,
 * still in Waypoint's config store: the runner writes a file's `config { env }` there
 * and never deletes a value (internal/core/app_config.go), so Pilot unsets it.
 */
function removedPlainNames(app: DesiredApp, live: ActualApp | undefined): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(live?.previous ?? {})) {
    if (!key.startsWith('env.') || isStoredMarker(value)) continue;
    const name = key.slice('env.'.length);
    if (app.env[name] === undefined && live?.config[name] !== undefined) names.push(name);
  }
  return names.sort();
}

function diffApp(target: AppTarget, actual: ActualState, drivers: readonly Provider[]): Change[] {
  const { app } = target;
  const key = appKey(app.project, app.name);
  const live = actual.apps[key];
  const changes: Change[] = [];
  if (!live?.registered) changes.push({ kind: 'app-missing', project: app.project, app: app.name });

  const names = storedConfigNames(app);
  const config = live?.config ?? {};
  const stale = [...names.external, ...names.database].filter((name) => target.configFingerprints[name] === undefined || config[name] !== target.configFingerprints[name]);
  const needsDatabase = drivers.includes(app.provider) ? [] : app.databases;
  const unset = removedPlainNames(app, live);
  if (stale.length || unset.length) changes.push({ kind: 'config-differs', project: app.project, app: app.name, names: stale.sort(), unset, needsDatabase });
  const missing = names.secret.filter((name) => config[name] === undefined);
  if (missing.length) changes.push({ kind: 'secret-missing', project: app.project, app: app.name, names: missing.sort() });

  if (!target.commit) {
    changes.push({ kind: 'source-unresolved', project: app.project, app: app.name, error: target.sourceError ?? 'the source ref could not be resolved' });
    return changes;
  }
  const wanted = { configHash: target.configHash, commit: target.commit };
  const same = (r: { configHash: string; commit: string } | undefined) => r?.configHash === wanted.configHash && r.commit === wanted.commit;
  if (live?.inFlight && same(live.inFlight)) {
    changes.push({ kind: 'in-flight', project: app.project, app: app.name, ...live.inFlight });
    return changes;
  }
  const deployed = live?.deployed;
  if (deployed && same(deployed)) {
    if (deployed.state === 'error') changes.push({ kind: 'failed-before', project: app.project, app: app.name, ...wanted, jobId: deployed.jobId });
    return changes;
  }
  const reasons: string[] = [];
  if (!deployed) reasons.push(live?.registered ? 'never deployed by Pilot' : 'new app');
  else {
    if (deployed.configHash !== wanted.configHash) reasons.push(...describeSpecChanges(live?.previous, target.spec));
    if (deployed.commit !== wanted.commit) {
      const release = target.release ? ` (release ${target.release})` : '';
      reasons.push(`source moved ${short(deployed.commit)} -> ${short(wanted.commit)}${release}`);
    }
  }
  changes.push({ kind: 'deploy', project: app.project, app: app.name, reasons, ...wanted });
  return changes;
}

function stacks(targets: Targets): Change[] {
  const planned: Change[] = targets.stacks.filter((s) => s.changes.length > 0 || s.error).map((stack) => ({ kind: 'stack-changes', stack }));
  return [...planned, ...stacksWithoutDriver(targets)];
}

/** Resources that need a cloud driver which is not enabled: said, never done. */
function stacksWithoutDriver(targets: Targets): Change[] {
  const needed = new Map<string, Extract<Change, { kind: 'stack-needed' }>>();
  const add = (project: string, provider: Provider, region: string, resource: string) => {
    const key = `${project} ${provider} ${region}`;
    if (!needed.has(key)) needed.set(key, { kind: 'stack-needed', project, provider, region, resources: [] });
    needed.get(key)!.resources.push(resource);
  };
  const off = (provider: Provider) => !targets.drivers.includes(provider);
  for (const project of targets.state.projects) {
    for (const db of project.databases) if (off(db.provider)) add(project.name, db.provider, db.region, `database ${db.name}`);
    for (const app of project.apps) if (app.deploy.platform === 'static' && off(app.provider)) add(project.name, app.provider, app.region, `static hosting for ${app.name}`);
  }
  return [...needed.values()];
}

export function diff(targets: Targets, actual: ActualState): Change[] {
  const changes: Change[] = stacks(targets);
  for (const project of targets.state.projects) {
    if (!actual.projects[project.name]?.registered) changes.push({ kind: 'project-missing', project: project.name });
  }
  for (const target of Object.values(targets.apps)) changes.push(...diffApp(target, actual, targets.drivers));
  const desired = new Set<string>();
  for (const project of targets.state.projects) {
    for (const app of project.apps) desired.add(`app:${appKey(project.name, app.name)}`);
    for (const db of project.databases) desired.add(`database:${appKey(project.name, db.name)}`);
  }
  for (const item of actual.inventory) {
    if (!desired.has(`${item.kind}:${appKey(item.project, item.name)}`)) changes.push({ kind: 'orphan', item });
  }
  return changes;
}
