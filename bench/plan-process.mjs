// One plan measurement in a process of its own, running the compiled code as the
// installed `pilot` does (dist/, no TypeScript loader), so its memory is Pilot's alone:
//   node bench/plan-process.mjs REPO STATE_DB RUNS
// The first plan is the one right after start-up (every file parsed); the next RUNS are
// the plans a running daemon makes (files unchanged since are not parsed again).
// Prints one JSON line; bench/plan.ts builds dist/ and seeds the store first.

import { performance } from 'node:perf_hooks';
import { reconcile } from '../dist/reconcile/reconcile.js';
import { silentLogger } from '../dist/reconciler/logger.js';
import { loadDesiredStateFromDirectory } from '../dist/sources/manifests/load.js';
import { openSqliteStore } from '../dist/store/index.js';

const [repo, database, runs] = process.argv.slice(2);
/** Every app's source resolves at once: git is measured apart (gitFetchMs). */
const source = { resolveCommit: async () => 'c0ffee0000000000000000000000000000000000' };
const store = openSqliteStore(database);

async function once() {
  const start = performance.now();
  const loaded = await loadDesiredStateFromDirectory(repo);
  const outcome = await reconcile({ loaded, revision: 'bench', trigger: 'bench', source, store, logger: silentLogger, readOnly: true }, { planOnly: true });
  const byKind = {};
  for (const action of outcome.plan?.actions ?? []) byKind[action.kind] = (byKind[action.kind] ?? 0) + 1;
  return { ms: performance.now() - start, actions: outcome.plan?.actions.length ?? -1, byKind };
}

const cold = await once();
const warm = [];
for (let i = 0; i < Number(runs); i++) warm.push(await once());
await store.close();
const memory = process.memoryUsage();
const mb = (bytes) => Math.round(bytes / 2 ** 20);
console.log(JSON.stringify({
  coldMs: cold.ms,
  warmMs: warm.map((w) => w.ms),
  actions: warm.at(-1)?.actions ?? cold.actions,
  byKind: warm.at(-1)?.byKind ?? cold.byKind,
  // Highest resident set of the process's whole life, the cold plan included.
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  heapUsedMb: mb(memory.heapUsed),
  heapTotalMb: mb(memory.heapTotal),
}));
