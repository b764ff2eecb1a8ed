// noopReconcile, incremental and throughputJobsPerSec: reconciles of a seeded world
// through the real Waypoint adapter over gRPC, timed and counted on the emulator.

import { performance } from 'node:perf_hooks';
import { reconcile, type ReconcileInput } from '../src/reconcile/reconcile.js';
import { silentLogger } from '../src/reconciler/logger.js';
import type { WaypointPort } from '../src/reconciler/ports.js';
import type { LoadResult } from '../src/sources/manifests/load.js';
import { waypointPort } from '../src/waypoint/reconciler-port.js';
import { callsDuring, spread, type World } from './world.js';

/** The adapter, with the apps each observe asked about counted (what "observed" means below). */
function countingPort(world: World): { port: WaypointPort; observed: () => number } {
  const port = waypointPort(world.client);
  let observed = 0;
  return {
    port: { ...port, observe: (apps, projects) => ((observed += apps.length), port.observe(apps, projects)) },
    observed: () => observed,
  };
}

function input(world: World, loaded: LoadResult, port: WaypointPort, store: ReconcileInput['store'], more: Partial<ReconcileInput> = {}): ReconcileInput {
  return { loaded, revision: 'b'.repeat(40), trigger: 'bench', store, logger: silentLogger, source: { resolveCommit: async () => world.commit }, waypoint: port, ...more };
}

/** A whole reconcile of the seeded world, nothing to do: time, gRPC calls, jobs queued. */
export async function noopReconcile(world: World, runs: number) {
  const store = world.openStore();
  const loaded = world.load(world.manifests());
  const times: number[] = [];
  const calls: number[] = [];
  let jobsQueued = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const made = await callsDuring(world.emulator, async () => {
        const outcome = await reconcile(input(world, loaded, waypointPort(world.client), store), { concurrency: 8 });
        jobsQueued += outcome.applied?.jobsQueued ?? 0;
        if (outcome.plan?.actions.length) throw new Error(`the seeded world is not converged: ${outcome.plan.actions.slice(0, 3).map((a) => a.id).join(', ')}`);
      });
      times.push(performance.now() - start);
      calls.push(made.total);
    }
  } finally {
    await store.close();
  }
  return { apps: world.projects * world.appsPerProject, projects: world.projects, ms: spread(times), grpcCalls: spread(calls), grpcCallsPerProject: spread(calls.map((c) => c / world.projects)), jobsQueued };
}

/** One app of one project changed, planned as the daemon plans a push that touched one manifest. */
export async function incremental(world: World, runs: number) {
  const store = world.openStore();
  const times: number[] = [];
  let appsObserved = 0;
  let appsReplanned = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const loaded = world.load(world.manifests((p, a) => (p === 1 && a === 0 ? [1024, 2048][i % 2]! : 512)));
      const { port, observed } = countingPort(world);
      const start = performance.now();
      const outcome = await reconcile(input(world, loaded, port, store, { onlyProjects: new Set(['project-1']), readOnly: true }), { planOnly: true });
      times.push(performance.now() - start);
      appsObserved = observed();
      appsReplanned = new Set(outcome.plan?.actions.filter((a) => a.name).map((a) => `${a.project}/${a.name}`)).size;
    }
  } finally {
    await store.close();
  }
  return { ms: spread(times), appsObserved, appsReplanned, appsInRepository: world.projects * world.appsPerProject };
}

/** `changed` apps deployed for real by the emulator's runners: jobs finished per second. */
export async function throughput(world: World, changed: number, runs: number) {
  const store = world.openStore();
  const rates: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      let left = changed;
      const memory = new Map<string, number>();
      for (let p = 0; p < world.projects && left > 0; p++) for (let a = 0; a < world.appsPerProject && left > 0; a++, left--) memory.set(`${p}/${a}`, [2048, 1024][i % 2]!);
      const loaded = world.load(world.manifests((p, a) => memory.get(`${p}/${a}`) ?? 512));
      const start = performance.now();
      const outcome = await reconcile(input(world, loaded, waypointPort(world.client), store), { concurrency: 64 });
      const seconds = (performance.now() - start) / 1000;
      const deploys = outcome.applied?.results.filter((r) => r.kind === 'deploy') ?? [];
      const done = deploys.filter((r) => r.status === 'done').length;
      // An app the webhook loop already moved to this memory has nothing to deploy.
      if (done !== deploys.length || done < changed * 0.9) throw new Error(`${done} of ${changed} deploys succeeded: ${deploys.find((r) => r.status !== 'done')?.error ?? ''}`);
      rates.push(done / seconds);
    }
  } finally {
    await store.close();
  }
  return { jobs: changed, runners: world.runners, jobsPerSec: spread(rates) };
}
