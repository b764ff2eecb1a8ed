// Valid manifests -> the reconciler's desired state: defaults applied, implicit
// dependencies added, everything sorted so that equal input gives equal output.

import path from 'node:path';
import type {
  DesiredApp, DesiredDatabase, DesiredProject, DesiredState, EnvValue, Placement,
} from '../../reconciler/desired-state.js';
import type { ProviderRegistry } from '../../drivers/registry.js';
import type { App, Database, EnvValue as ManifestEnvValue } from './manifest.gen.js';
import { locate } from './locate.js';
import { resolvePlacement } from './placement.js';
import { deployDefaults, fargateCpuFor, fargateMemory } from './platforms.js';
import type { ValidDocument } from './rules/rule.js';

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function sortedRecord<V>(entries: [string, V][]): Record<string, V> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function cleanPath(value: string | undefined): string {
  if (value === undefined) return '.';
  const normalized = path.posix.normalize(value).replace(/\/+$/, '');
  return normalized === '' ? '.' : normalized;
}

function envValue(value: ManifestEnvValue): EnvValue {
  if (typeof value === 'string') return { kind: 'plain', value };
  if (value && 'fromDatabase' in value) return { kind: 'database', database: value.fromDatabase, property: value.property };
  if (value && 'fromSecret' in value) return { kind: 'external', ref: value.fromSecret };
  return { kind: 'secret' };
}

function deployOf(app: App): DesiredApp['deploy'] {
  const { platform } = app.deploy;
  const defaults = deployDefaults[platform];
  const deploy: DesiredApp['deploy'] = { platform };
  const port = app.deploy.port ?? defaults.port;
  if (port !== undefined) deploy.port = port;
  let memory = app.deploy.memory ?? defaults.memory;
  let cpu = app.deploy.cpu ?? defaults.cpu;
  // On Fargate one size picks the other: memory alone the smallest CPU that allows it,
  // CPU alone the smallest memory it allows.
  if (platform === 'ecs' && app.deploy.cpu === undefined && app.deploy.memory !== undefined) cpu = fargateCpuFor(app.deploy.memory);
  if (platform === 'ecs' && app.deploy.cpu !== undefined && app.deploy.memory === undefined) memory = fargateMemory.get(app.deploy.cpu)?.[0];
  if (cpu !== undefined) deploy.cpu = cpu;
  if (memory !== undefined) deploy.memory = memory;
  if (defaults.instances) {
    const min = app.deploy.instances?.min ?? Math.min(defaults.instances.min, app.deploy.instances?.max ?? Infinity);
    const max = app.deploy.instances?.max ?? Math.max(defaults.instances.max, min);
    deploy.instances = { min, max };
  }
  if (app.deploy.healthCheck) deploy.healthCheck = { path: app.deploy.healthCheck.path };
  return deploy;
}

function normalizeApp(doc: ValidDocument, app: App, i: number, providers: ProviderRegistry): DesiredApp {
  const placement = resolvePlacement(doc.manifest, app, ['apps', i], providers).placement as Placement;
  const build: DesiredApp['build'] = { builder: app.build.builder };
  if (app.build.builder === 'yarn') build.outputDir = cleanPath(app.build.outputDir ?? 'build');
  if (app.build.builder === 'docker') build.dockerfile = cleanPath(app.build.dockerfile ?? 'Dockerfile');
  const env = Object.entries(app.env ?? {}).map(([k, v]) => [k, envValue(v)] as [string, EnvValue]);
  const databases = new Set<string>();
  for (const [, value] of env) if (value.kind === 'database') databases.add(value.database);
  const release: DesiredApp['release'] = {};
  if (app.release?.domain) release.domain = app.release.domain.toLowerCase();
  return {
    project: doc.manifest.name,
    name: app.name,
    ...placement,
    source: { repo: app.source.repo, ref: app.source.ref ?? 'main', path: cleanPath(app.source.path) },
    build,
    deploy: deployOf(app),
    release,
    env: sortedRecord(env),
    dependsOn: [...(app.dependsOn ?? [])].sort(),
    databases: [...databases].sort(),
    origin: { file: doc.parsed.file, line: locate(doc.parsed, ['apps', i]).line },
  };
}

function normalizeDatabase(doc: ValidDocument, db: Database, i: number, providers: ProviderRegistry): DesiredDatabase {
  const placement = resolvePlacement(doc.manifest, db, ['databases', i], providers).placement as Placement;
  return {
    project: doc.manifest.name,
    name: db.name,
    ...placement,
    engine: db.engine ?? 'postgres',
    version: db.version ?? '16',
    size: db.size ?? 'small',
    storageGB: db.storageGB ?? 20,
    deletionProtection: db.deletionProtection ?? true,
    origin: { file: doc.parsed.file, line: locate(doc.parsed, ['databases', i]).line },
  };
}

/** Only for a document that passed every check: its placements are known to be complete. */
export function normalizeProject(doc: ValidDocument, providers: ProviderRegistry): DesiredProject {
  return {
    name: doc.manifest.name,
    prune: doc.manifest.policy?.prune ?? false,
    apps: (doc.manifest.apps ?? []).map((app, i) => normalizeApp(doc, app, i, providers)).sort(byName),
    databases: (doc.manifest.databases ?? []).map((db, i) => normalizeDatabase(doc, db, i, providers)).sort(byName),
    origin: { file: doc.parsed.file, line: locate(doc.parsed, ['name']).line },
  };
}

/** Projects in name order, so that equal input gives equal output. */
export function desiredState(projects: readonly DesiredProject[]): DesiredState {
  return { projects: [...projects].sort(byName) };
}
