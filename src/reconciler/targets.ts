// The desired state made concrete by the shell before diffing: each app's source
// commit resolved, its rendered configuration hashed, its config-store values listed.

import type { AppSpec } from './actual-state.js';
import type { DesiredApp, DesiredState, EnvValue, Provider } from './desired-state.js';
import type { StackState } from './ports.js';

/** A value that lives in Waypoint's config store rather than in waypoint.hcl. */
export type StoredConfig = Exclude<EnvValue, { kind: 'plain' }>;

export interface AppTarget {
  app: DesiredApp;
  /** The exact commit to deploy; absent when the ref could not be resolved (see `sourceError`). */
  commit?: string;
  sourceError?: string;
  /** The release tag deployed in place of the tracked branch (see ReleasePin). */
  release?: string;
  /** A release pin that no longer holds (the branch moved or the ref changed): dropped on apply. */
  stalePin?: boolean;
  /** Hash of the rendered waypoint.hcl (without the commit) and of the config-store names and sources. */
  configHash: string;
  /** Fingerprints of the config-store values Pilot can compute (database outputs, external refs). */
  configFingerprints: Record<string, string>;
  spec: AppSpec;
}

export interface Targets {
  state: DesiredState;
  /** Keyed by "project/app". */
  apps: Record<string, AppTarget>;
  /** Which providers have a cloud driver enabled (Terraform, or its stand-in). */
  drivers: Provider[];
  /** The stacks of the enabled drivers, as planned now. */
  stacks: StackState[];
}

/** How a spec shows a value kept in the config store: by kind, never by value. */
function storedMarker(kind: StoredConfig['kind']): string {
  return `(${kind})`;
}

/** True for a spec value that stands for a config-store value rather than a plain one. */
export function isStoredMarker(value: string | number | boolean): boolean {
  return typeof value === 'string' && ['(secret)', '(database)', '(external)'].includes(value);
}

/** The facts of an app that a plan names when they change ("memory 512 -> 1024"). */
export function specOf(app: DesiredApp): AppSpec {
  const spec: AppSpec = {
    provider: app.provider,
    region: app.region,
    repo: app.source.repo,
    ref: app.source.ref,
    path: app.source.path,
    builder: app.build.builder,
    platform: app.deploy.platform,
  };
  for (const key of ['port', 'cpu', 'memory'] as const) if (app.deploy[key] !== undefined) spec[key] = app.deploy[key]!;
  if (app.deploy.instances) {
    spec['instances.min'] = app.deploy.instances.min;
    spec['instances.max'] = app.deploy.instances.max;
  }
  if (app.deploy.healthCheck) spec.healthCheck = app.deploy.healthCheck.path;
  if (app.release.domain) spec.domain = app.release.domain;
  for (const [name, value] of Object.entries(app.env)) spec[`env.${name}`] = value.kind === 'plain' ? value.value : storedMarker(value.kind);
  return spec;
}
