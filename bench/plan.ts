// planMs: a whole plan of a manifest repository of N apps against the state store's
// record (every app deployed before, so a plan with history), as `pilot plan` makes it
// without a Waypoint address: load and validate, resolve sources, observe, diff, plan.
// The repository and the store are made here; the plan is measured in a process of its
// own (plan-process.mjs) that runs the compiled code, so its memory is Pilot's alone.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildTargets } from '../src/reconcile/build-targets.js';
import type { SourcePort } from '../src/reconciler/ports.js';
import { loadDesiredStateFromDirectory } from '../src/sources/manifests/load.js';
import { openSqliteStore, type SqliteStore } from '../src/store/index.js';
import { writeManifestRepository } from './manifests.js';

const benchDir = path.dirname(new URL(import.meta.url).pathname);

/** Every app's source resolves at once: git is measured apart (gitFetchMs). */
const source: SourcePort = { resolveCommit: async () => 'c0ffee0000000000000000000000000000000000' };

/** Records every app as deployed from the repository as it is, so the plan has history and nothing to deploy. */
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

/** Compiles src/ to dist/ (what plan-process.mjs runs), so the figures are of the code as it is. */
export async function buildForBench(): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(benchDir, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(benchDir, '..', 'tsconfig.build.json')]);
}

/** The Node options the installed `pilot` runs with (its shebang line), so the plan is measured as it runs. */
async function pilotNodeOptions(): Promise<string[]> {
  const first = (await readFile(path.join(benchDir, '..', 'bin', 'pilot.js'), 'utf8')).split('\n')[0]!;
  const match = /^#!\/usr\/bin\/env -S node(.*)$/.exec(first);
  if (!match) throw new Error(`bin/pilot.js: expected a "#!/usr/bin/env -S node ..." line, got ${first}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

interface ProcessFigures {
  coldMs: number;
  warmMs: number[];
  actions: number;
  byKind: Record<string, number>;
  maxRssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
}

export interface PlanFigure {
  apps: number;
  /** Plans after start-up, as a running daemon makes them: median, min and max of every process's. */
  ms: Spread;
  /** The first plan after start-up, which parses every file: one per process. */
  coldMs: Spread;
  actions: number;
  byKind: Record<string, number>;
  /** Highest resident set of each measuring process over its whole life (with bin/pilot.js's Node options). */
  rssMb: Spread;
  nodeOptions: string[];
  heapUsedMb: number;
  heapTotalMb: number;
}

type Spread = { median: number; min: number; max: number };

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: Math.round(sorted[Math.floor(sorted.length / 2)]!), min: Math.round(sorted[0]!), max: Math.round(sorted.at(-1)!) };
}

/** `processes`: how many processes measure it, one after another (the figures pool them). */
export async function measurePlan(apps: number, runs: number, processes = 3): Promise<PlanFigure> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-bench-plan-'));
  try {
    const repo = path.join(root, 'repo');
    const database = path.join(root, 'state.db');
    await writeManifestRepository(repo, Math.ceil(apps / 10), Math.min(10, apps));
    const store = openSqliteStore(database);
    try {
      await seed(repo, store);
    } finally {
      await store.close();
    }
    // Several processes, each a start-up, a cold plan and `runs` plans after it: the
    // resident size differs from one process to the next by the moments V8 collects.
    const measured: ProcessFigures[] = [];
    for (let i = 0; i < processes; i++) {
      const { stdout } = await promisify(execFile)(process.execPath, [...(await pilotNodeOptions()), path.join(benchDir, 'plan-process.mjs'), repo, database, String(runs)], { maxBuffer: 2 ** 20 });
      measured.push(JSON.parse(stdout) as ProcessFigures);
    }
    const last = measured.at(-1)!;
    return {
      apps,
      ms: spread(measured.flatMap((m) => m.warmMs)),
      coldMs: spread(measured.map((m) => m.coldMs)),
      actions: last.actions,
      byKind: last.byKind,
      rssMb: spread(measured.map((m) => m.maxRssMb)),
      nodeOptions: await pilotNodeOptions(),
      heapUsedMb: last.heapUsedMb,
      heapTotalMb: last.heapTotalMb,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// Run alone: `npx tsx bench/plan.ts N RUNS` (builds dist/ first).
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const [apps, runs] = process.argv.slice(2).map(Number);
  await buildForBench();
  console.log(JSON.stringify(await measurePlan(apps ?? 100, runs ?? 5)));
}
