// `npm run soak`: the reliability scenarios of test/support/reliability/ at full size,
// one after the other, printed as one JSON document (counts, memory, durations). The
// same code runs small in `npm test` (test/reliability-*.test.ts).
//
//   npm run soak                              every scenario, full size
//   npm run soak -- --size small              every scenario at the test's size
//   npm run soak -- --only kill,webhooks      some of them
//   npm run soak -- --seed 7                  other seeds for the seeded scenarios
//
// Progress goes to stderr; stdout holds only the JSON. The exit code is 1 when a
// scenario found a violation (listed in its "violations") or failed to run.

import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { removeTemporaryFolders } from '../test/support/git-repos.js';
import { killAllChildren } from '../test/support/reconcile-child.js';
import { scenarios, type ScenarioName, type SizeName } from '../test/support/reliability/scenarios.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'full' },
    only: { type: 'string' },
    seed: { type: 'string' },
  },
});

const size = values.size as SizeName;
if (size !== 'full' && size !== 'small') throw new Error(`--size must be full or small, not ${values.size}`);
const names = (values.only?.split(',') ?? Object.keys(scenarios)) as ScenarioName[];
for (const name of names) if (!(name in scenarios)) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
const seed = values.seed === undefined ? undefined : Number(values.seed);

// A full collection before each memory sample, so that the figures are what is kept rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
(globalThis as { gc?: () => void }).gc = gc;

function memory() {
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsedMiB: Math.round(heapUsed / 2 ** 20), rssMiB: Math.round(rss / 2 ** 20) };
}

const started = Date.now();
const results: Record<string, unknown> = {};
let failed = false;
for (const name of names) {
  process.stderr.write(`soak: ${name} (${size})...\n`);
  const before = memory();
  const at = Date.now();
  try {
    const result = await scenarios[name](size, seed);
    if (result.violations.length > 0) failed = true;
    results[name] = { ...result, memory: { before, after: memory() } };
  } catch (error) {
    failed = true;
    results[name] = { error: error instanceof Error ? error.stack ?? error.message : String(error), memory: { before, after: memory() } };
  } finally {
    await killAllChildren();
    await removeTemporaryFolders();
  }
  process.stderr.write(`soak: ${name} done in ${Math.round((Date.now() - at) / 1000)} s\n`);
}

const report = { size, node: process.version, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, passed: !failed, scenarios: results };
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
