// planMs: a whole plan of a manifest repository of N apps against the state store's
// record (every app deployed before, so a no-op with history), as `pilot plan` makes
// it without a Waypoint address: load and validate, resolve sources, observe, diff, plan.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildTargets } from '../src/reconcile/build-targets.js';
import { reconcile } from '../src/reconcile/reconcile.js';
import { silentLogger } from '../src/reconciler/logger.js';
import type { SourcePort } from '../src/reconciler/ports.js';
import { loadDesiredStateFromDirectory } from '../src/sources/manifests/load.js';
import { openSqliteStore, type SqliteStore } from '../src/store/index.js';
import { writeManifestRepository } from './manifests.js';

/** Every app's source resolves at once: git is measured apart (gitFetchMs). */
const source: SourcePort = { resolveCommit: async () => 'c0ffee0000000000000000000000000000000000' };

/** Records every app as deployed from the repository as it is, so the plan has history and nothing to do. */
async function seed(root: string, store: SqliteStore): Promise<void> {
  const loaded = await loadDesiredStateFromDirectory(root);
  if (!loaded.state) throw new Error('the generated repository is invalid');
  const targets = await buildTargets(loaded.state, source);
  const at = new Date().toISOString();
  for (const target of Object.values(targets.apps)) {
    const { project, name, provider, region } = target.app;
    await store.addToInventory({ kind: 'app', project, name, provider, region });
    await store.recordApplied({ project, app: name, jobId: `job-${project}-${name}`, configHash: target.configHash, commit: target.commit!, state: 'success', spec: target.spec, revision: 'seed', at });
  }
}

export interface PlanFigure {
  apps: number;
  /** Median, min and max of the measured runs (after one warm-up run). */
  ms: { median: number; min: number; max: number };
  actions: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
}

export async function measurePlan(apps: number, runs: number): Promise<PlanFigure> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-bench-plan-'));
  const store = openSqliteStore(path.join(root, 'state.db'));
  try {
    const repo = path.join(root, 'repo');
    await writeManifestRepository(repo, Math.ceil(apps / 10), Math.min(10, apps));
    await seed(repo, store);
    const once = async () => {
      const loaded = await loadDesiredStateFromDirectory(repo);
      const outcome = await reconcile({ loaded, revision: 'bench', trigger: 'bench', source, store, logger: silentLogger, readOnly: true }, { planOnly: true });
      return outcome.plan?.actions.length ?? -1;
    };
    await once();
    const times: number[] = [];
    let actions = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      actions = await once();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n);
    const memory = process.memoryUsage();
    return { apps, ms: { median: round(times[Math.floor(times.length / 2)]!), min: round(times[0]!), max: round(times.at(-1)!) }, actions, rssMb: round(memory.rss / 2 ** 20), heapUsedMb: round(memory.heapUsed / 2 ** 20), heapTotalMb: round(memory.heapTotal / 2 ** 20) };
  } finally {
    await store.close();
    await rm(root, { recursive: true, force: true });
  }
}

// Run alone (`node --import tsx bench/plan.ts N RUNS`) so its memory is its own.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const [apps, runs] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await measurePlan(apps ?? 100, runs ?? 5)));
}
