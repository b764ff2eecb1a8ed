// pilot.yaml text for reconciler tests, built from short descriptions.

import { stringify } from 'yaml';

export type Platform = 'ecs' | 'lambda' | 'cloud-run' | 'static';

export interface AppOptions {
  name: string;
  repo: string;
  platform: Platform;
  /** Default: gcp for cloud-run, else the project's default provider. */
  provider?: 'aws' | 'gcp';
  ref?: string;
  /** source.path: the app's folder in its repository. */
  path?: string;
  /** build.outputDir of a static app. */
  outputDir?: string;
  memory?: number;
  cpu?: number;
  env?: Record<string, unknown>;
  dependsOn?: string[];
}

export interface DatabaseOptions {
  name: string;
  deletionProtection?: boolean;
}

export interface ProjectOptions {
  name: string;
  /** Default provider of the project (aws unless said). */
  provider?: 'aws' | 'gcp';
  prune?: boolean;
  apps: AppOptions[];
  databases?: DatabaseOptions[];
}

const placements = {
  aws: { provider: 'aws', region: 'us-east-1' },
  gcp: { provider: 'gcp', region: 'us-central1', gcpProject: 'acme-prod-123' },
} as const;

const builders: Record<Platform, string> = { ecs: 'pack', lambda: 'docker', 'cloud-run': 'pack', static: 'yarn' };

function app(options: AppOptions, projectProvider: 'aws' | 'gcp'): Record<string, unknown> {
  const provider = options.provider ?? (options.platform === 'cloud-run' ? 'gcp' : projectProvider);
  const deploy: Record<string, unknown> = { platform: options.platform };
  if (options.cpu !== undefined) deploy.cpu = options.cpu;
  if (options.memory !== undefined) deploy.memory = options.memory;
  return {
    name: options.name,
    ...(provider !== projectProvider ? placements[provider] : {}),
    source: { repo: options.repo, ...(options.ref ? { ref: options.ref } : {}), ...(options.path ? { path: options.path } : {}) },
    build: { builder: builders[options.platform], ...(options.outputDir ? { outputDir: options.outputDir } : {}) },
    deploy,
    ...(options.env ? { env: options.env } : {}),
    ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
  };
}

/** One Project document. */
export function projectYaml(options: ProjectOptions): string {
  const provider = options.provider ?? 'aws';
  const document: Record<string, unknown> = {
    apiVersion: 'pilot.dev/v1',
    kind: 'Project',
    name: options.name,
    defaults: placements[provider],
  };
  if (options.prune !== undefined) document.policy = { prune: options.prune };
  document.apps = options.apps.map((a) => app(a, provider));
  if (options.databases?.length) {
    document.databases = options.databases.map((db) => ({ name: db.name, engine: 'postgres', ...(db.deletionProtection === undefined ? {} : { deletionProtection: db.deletionProtection }) }));
  }
  return stringify(document, { lineWidth: 0 });
}

/** Several projects as the files of a manifest repository: `<project>/pilot.yaml`. */
export function manifestFiles(...projects: ProjectOptions[]): Record<string, string> {
  return Object.fromEntries(projects.map((p) => [`${p.name}/pilot.yaml`, projectYaml(p)]));
}
