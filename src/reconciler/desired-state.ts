// The reconciler's input: what the manifests ask for, with every default applied.
// Plain data, sorted, JSON-serializable; built by src/sources/manifests/.

/** The name of a registered cloud (src/drivers/registry.ts); the manifest checks refuse any other. */
export type Provider = string;
export type Platform = 'ecs' | 'lambda' | 'cloud-run' | 'static';
export type Builder = 'pack' | 'docker' | 'yarn';
export type DatabaseSize = 'small' | 'medium' | 'large';
export type DatabaseProperty = 'url' | 'host' | 'port' | 'user' | 'password' | 'database';

/** Where a resource was declared, for messages ("declared at apps/pilot.yaml:12"). */
export interface Origin {
  file: string;
  line: number;
}

export interface Placement {
  provider: Provider;
  region: string;
  /** Set for gcp resources only. */
  gcpProject?: string;
}

export type EnvValue =
  | { kind: 'plain'; value: string }
  | { kind: 'database'; database: string; property: DatabaseProperty }
  | { kind: 'secret' }
  | { kind: 'external'; ref: string };

export interface DesiredApp extends Placement {
  project: string;
  name: string;
  source: { repo: string; ref: string; path: string };
  build: { builder: Builder; outputDir?: string; dockerfile?: string };
  deploy: {
    platform: Platform;
    port?: number;
    cpu?: number;
    memory?: number;
    instances?: { min: number; max: number };
    healthCheck?: { path: string };
  };
  release: { domain?: string };
  /** Sorted by name. */
  env: Record<string, EnvValue>;
  /** Apps of the same project to deploy first, as written (sorted). */
  dependsOn: string[];
  /** Databases this app reads through `fromDatabase` (sorted): implicit dependencies. */
  databases: string[];
  origin: Origin;
}

export interface DesiredDatabase extends Placement {
  project: string;
  name: string;
  engine: 'postgres';
  version: string;
  size: DatabaseSize;
  storageGB: number;
  deletionProtection: boolean;
  origin: Origin;
}

export interface DesiredProject {
  name: string;
  prune: boolean;
  /** Sorted by name. */
  apps: DesiredApp[];
  /** Sorted by name. */
  databases: DesiredDatabase[];
  origin: Origin;
}

export interface DesiredState {
  /** Sorted by name. */
  projects: DesiredProject[];
}

export interface DesiredStateSummary {
  projects: number;
  apps: number;
  databases: number;
}

export function summarize(state: DesiredState): DesiredStateSummary {
  let apps = 0;
  let databases = 0;
  for (const project of state.projects) {
    apps += project.apps.length;
    databases += project.databases.length;
  }
  return { projects: state.projects.length, apps, databases };
}

export function describeSummary(summary: DesiredStateSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    plural(summary.projects, 'project'),
    plural(summary.apps, 'app'),
    plural(summary.databases, 'database'),
  ].join(', ');
}
