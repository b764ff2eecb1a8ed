// The world the reconcile benchmarks run in: a Waypoint emulator, a git source every
// app builds from, a served manifest repository of P projects x A apps, and a state
// store and Waypoint seeded as if every app were deployed already (so a first run is
// a no-op, without deploying thousands of jobs first).

import path from 'node:path';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { buildTargets } from '../src/reconcile/build-targets.js';
import type { LoadResult } from '../src/sources/manifests/load.js';
import { loadDesiredState } from '../src/sources/manifests/load.js';
import { openSqliteStore, stateDbPath, type SqliteStore } from '../src/store/index.js';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { waypointToken } from '../test/support/daemon-harness.js';
import { app, githubSource, servedManifests, type ManifestRemote } from '../test/support/daemon-scenario.js';
import type { GitHttpServer } from '../test/support/git-http-server.js';
import { temporaryFolder } from '../test/support/git-repos.js';
export { callsDuring } from '../test/support/emulator-calls.js';
import { manifestFiles, type ProjectOptions } from '../test/support/reconcile-manifests.js';

export interface World {
  emulator: Emulator;
  client: WaypointClient;
  remote: ManifestRemote;
  server: GitHttpServer;
  /** The manifest repository's URL on the git server. */
  url: string;
  stateDir: string;
  /** The commit every app's source resolves to. */
  commit: string;
  projects: number;
  appsPerProject: number;
  /** Jobs the emulator's runners run at once. */
  runners: number;
  /** The manifests with every app's memory as `memory(project, app)` says. */
  manifests(memory?: (project: number, app: number) => number): ProjectOptions[];
  load(projects: ProjectOptions[]): LoadResult;
  /** The store (open it once; the daemon opens its own). */
  openStore(): SqliteStore;
  stop(): Promise<void>;
}

export async function createWorld(options: { projects: number; appsPerProject: number; runners?: number }): Promise<World> {
  const emulator = await startEmulator({ token: waypointToken, stepMs: 0, logLines: 0, concurrency: options.runners ?? 4 });
  const client = await WaypointClient.connect({ address: emulator.address, tls: 'off', token: waypointToken, deadlineMs: 30_000 });
  const web = await githubSource('web');
  const manifests = (memory: (p: number, a: number) => number = () => 512) =>
    Array.from({ length: options.projects }, (_, p): ProjectOptions => ({
      name: `project-${p}`,
      apps: Array.from({ length: options.appsPerProject }, (_, a) => app(`app-${a}`, web.https, { memory: memory(p, a) })),
    }));
  const { remote, server, url } = await servedManifests(...manifests());
  const stateDir = await temporaryFolder('pilot-bench-state-');
  const load = (projects: ProjectOptions[]) => loadDesiredState(Object.entries(manifestFiles(...projects)).map(([file, content]) => ({ path: file, content })));
  const world: World = {
    emulator, client, remote, server, url, stateDir, commit: web.first, projects: options.projects, appsPerProject: options.appsPerProject, runners: options.runners ?? 4,
    manifests, load,
    openStore: () => openSqliteStore(stateDbPath(stateDir)),
    async stop() {
      client.close();
      await server.close();
      await emulator.stop();
    },
  };
  await seed(world);
  return world;
}

/** Every project and app registered in Waypoint, and recorded as deployed in the store. */
async function seed(world: World): Promise<void> {
  const loaded = world.load(world.manifests());
  const targets = await buildTargets(loaded.state!, { resolveCommit: async () => world.commit });
  const store = world.openStore();
  const at = new Date().toISOString();
  try {
    for (const project of loaded.state!.projects) await world.client.ensureProject(project.name);
    for (const target of Object.values(targets.apps)) {
      const { project, name, provider, region } = target.app;
      await world.client.ensureApp(project, name);
      await store.addToInventory({ kind: 'app', project, name, provider, region });
      await store.recordApplied({ project, app: name, jobId: `seed-${project}-${name}`, configHash: target.configHash, commit: world.commit, state: 'success', spec: target.spec, revision: 'seed', at });
    }
  } finally {
    await store.close();
  }
}

/** Median, min and max, rounded. */
export function spread(values: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { median: round(sorted[Math.floor(sorted.length / 2)]!), min: round(sorted[0]!), max: round(sorted.at(-1)!) };
}

/** The p-th percentile (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

export const benchDir = path.dirname(new URL(import.meta.url).pathname);
