// What a reconcile costs Waypoint, counted on the emulator (calls, not time): a no-op
// reads each project twice (the project, and every app's config at once) whatever its
// size; a run that plans one project reads only that project; nothing is read twice.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { reconcile, type ReconcileInput } from '../src/reconcile/reconcile.js';
import { silentLogger } from '../src/reconciler/logger.js';
import { loadDesiredState, type LoadResult } from '../src/sources/manifests/load.js';
import { openSqliteStore, type SqliteStore } from '../src/store/index.js';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { waypointPort } from '../src/waypoint/reconciler-port.js';
import { appFiles, createSourceRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { callsDuring as countCalls } from './support/emulator-calls.js';
import { manifestFiles, type ProjectOptions } from './support/reconcile-manifests.js';

const token = 'incremental-test-token';
const projects = 4;
const appsPerProject = 5;
let emulator: Emulator;
let client: WaypointClient;
let store: SqliteStore;
let repo: string;
let commit: string;

beforeAll(async () => {
  emulator = await startEmulator({ token, stepMs: 0, logLines: 0 });
  client = await WaypointClient.connect({ address: emulator.address, tls: 'off', token, deadlineMs: 10_000 });
  const files = Object.fromEntries(Array.from({ length: appsPerProject }, (_, i) => Object.entries(appFiles(`app-${i}`)).map(([name, text]) => [`services/app-${i}/${name}`, text])).flat());
  const source = await createSourceRepo('apps', files);
  repo = source.url;
  commit = source.first;
  store = openSqliteStore(path.join(await temporaryFolder('pilot-incremental-'), 'state.db'));
});

afterAll(async () => {
  client?.close();
  await store?.close();
  await emulator?.stop();
  await removeTemporaryFolders();
});

const files = (...list: ProjectOptions[]) => Object.entries(manifestFiles(...list)).map(([file, content]) => ({ path: file, content }));

/** `projects` projects of `appsPerProject` ECS apps, and `more`; `memory` changes one app of project-1. */
function manifests(memory = 512, ...more: ProjectOptions[]): LoadResult {
  const list = Array.from({ length: projects }, (_, p): ProjectOptions => ({
    name: `project-${p}`,
    apps: Array.from({ length: appsPerProject }, (_, i) => ({
      name: `app-${i}`, repo, path: `services/app-${i}`, platform: 'ecs' as const, memory: p === 1 && i === 0 ? memory : 512,
    })),
  }));
  return loadDesiredState(files(...list, ...more));
}

function run(loaded: LoadResult, more: Partial<ReconcileInput> = {}) {
  const input: ReconcileInput = {
    loaded, revision: 'r'.repeat(40), trigger: 'test', store, logger: silentLogger,
    source: { resolveCommit: async () => commit }, waypoint: waypointPort(client), ...more,
  };
  return reconcile(input, { concurrency: 8 });
}

/** The calls `work` made, by method. */
const callsDuring = async (work: () => Promise<unknown>) => (await countCalls(emulator, work)).byMethod;

describe('what a reconcile costs Waypoint', () => {
  it('converges, then a no-op reads each project twice and queues nothing', async () => {
    const first = await run(manifests());
    expect(first.applied?.outcome).toBe('converged');
    expect(first.applied?.jobsQueued).toBe(projects * appsPerProject);

    let outcome: Awaited<ReturnType<typeof run>> | undefined;
    const calls = await callsDuring(async () => (outcome = await run(manifests())));
    expect(outcome?.applied?.jobsQueued).toBe(0);
    expect(outcome?.plan?.actions).toEqual([]);
    // Two calls a project, none per app: GetProject and one GetConfig of the project's scope.
    expect(calls).toEqual({ GetProject: projects, GetConfig: projects });
  });

  it('a change to one app of one project reads only that project, and queues one job', async () => {
    let outcome: Awaited<ReturnType<typeof run>> | undefined;
    const calls = await callsDuring(async () => (outcome = await run(manifests(1024), { onlyProjects: new Set(['project-1']) })));
    expect(outcome?.plan?.actions.map((a) => a.id)).toEqual(['deploy:project-1/app-0']);
    expect(outcome?.applied?.jobsQueued).toBe(1);
    expect(calls.GetProject).toBe(1);
    expect(calls.GetConfig).toBe(1);
    expect(calls.QueueJob).toBe(1);
  });

  it('a planned project whose apps are all new reads the project once and no config', async () => {
    const loaded = manifests(512, { name: 'fresh', apps: [{ name: 'web', repo, path: 'services/app-0', platform: 'ecs' }] });
    const calls = await callsDuring(() => reconcile({
      loaded, revision: 's'.repeat(40), trigger: 'test', store, logger: silentLogger, readOnly: true,
      source: { resolveCommit: async () => commit }, waypoint: waypointPort(client), onlyProjects: new Set(['fresh']),
    }, { planOnly: true }));
    expect(calls).toEqual({ GetProject: 1 });
  });

  it('a plan reads the store a fixed number of times, whatever the number of apps', async () => {
    const reads = async (loaded: LoadResult, waypoint?: ReturnType<typeof waypointPort>) => {
      const counted: Record<string, number> = {};
      const counting = new Proxy(store, {
        get(target, name, receiver) {
          const value = Reflect.get(target, name, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => ((counted[String(name)] = (counted[String(name)] ?? 0) + 1), value.apply(target, args));
        },
      });
      await reconcile({ loaded, revision: 't'.repeat(40), trigger: 'test', store: counting, logger: silentLogger, readOnly: true, source: { resolveCommit: async () => commit }, ...(waypoint ? { waypoint } : {}) }, { planOnly: true });
      return counted;
    };
    const small = manifests();
    const large = manifests(512, ...Array.from({ length: 6 }, (_, p): ProjectOptions => ({ name: `more-${p}`, apps: Array.from({ length: 8 }, (_, i) => ({ name: `app-${i}`, repo, platform: 'ecs' as const })) })));
    for (const waypoint of [undefined, waypointPort(client)]) {
      const few = await reads(small, waypoint);
      expect(await reads(large, waypoint)).toEqual(few);
      expect(few.appRecords).toBe(1);
      expect(few.lastApplied ?? 0).toBe(0);
      expect(few.lastDeployment ?? 0).toBe(0);
    }
  });
});

