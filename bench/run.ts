// `npm run bench`: Pilot's speed and memory, printed as one JSON document (`--table`
// adds a table on stderr). Each figure is the median of several runs, with min and max.
// Never asserted in tests: these machines are shared and noisy.
//
//   --quick              smaller sizes and fewer runs (a smoke run)
//   --runners N          jobs the emulator's runners run at once (default 4)
//   --throughput-apps N  apps changed for throughputJobsPerSec (default 500)
//   --iterations N       pushes in the webhook loop (default 30)

import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { removeTemporaryFolders } from '../test/support/git-repos.js';
import { buildForBench, measurePlan, type PlanFigure } from './plan.js';
import { renderLargeComment } from './plan-comment.js';
import { failoverTakeover } from './failover.js';
import { incremental, noopReconcile, throughput } from './reconcile-figures.js';
import { printTable } from './table.js';
import { webhookToJob } from './webhook-loop.js';
import { createWorld } from './world.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    table: { type: 'boolean', default: false },
    runners: { type: 'string', default: '4' },
    'throughput-apps': { type: 'string' },
    iterations: { type: 'string' },
  },
});
const quick = values.quick === true;
const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number.parseInt(value, 10));
const runners = number(values.runners, 4);
const throughputApps = number(values['throughput-apps'], quick ? 50 : 500);
const iterations = number(values.iterations, quick ? 8 : 30);
const runs = quick ? 3 : 5;


const started = performance.now();
const progress = (step: string) => process.stderr.write(`bench: ${step} (${Math.round((performance.now() - started) / 1000)} s)\n`);

progress('build (dist/, what the plan figures run)');
await buildForBench();
progress('planMs');
const plans: PlanFigure[] = [];
for (const apps of quick ? [100, 1000] : [100, 1000, 10_000]) plans.push(await measurePlan(apps, runs));

progress('a world of 100 projects x 10 apps');
const world = await createWorld({ projects: 100, appsPerProject: 10, runners });
let figures;
try {
  progress('noopReconcile');
  const noop = await noopReconcile(world, runs);
  progress('incremental');
  const change = await incremental(world, runs);
  progress(`webhookToJobMs (${iterations} pushes)`);
  const loop = await webhookToJob(world, iterations);
  progress(`throughputJobsPerSec (${throughputApps} apps, ${runners} runners)`);
  const rate = await throughput(world, throughputApps, 1);
  progress('failoverTakeoverMs (two daemons on PostgreSQL, the leader killed)');
  const failover = await failoverTakeover(quick ? 2 : 5);
  const largest = plans.at(-1)!;
  figures = {
    planMs: Object.fromEntries(plans.map((p) => [`apps${p.apps}`, p.ms])),
    planColdMsAt10000: quick ? null : largest.coldMs,
    rssMbAt10000: quick ? null : largest.rssMb,
    nodeOptions: largest.nodeOptions,
    webhookToJobMs: loop.webhookToJobMs,
    gitFetchMs: loop.gitFetchMs,
    webhookToFetchRatioP99: Math.round((loop.webhookToJobMs.p99 / loop.gitFetchMs.p99) * 10) / 10,
    noopReconcile: { ms: noop.ms, grpcCalls: noop.grpcCalls, grpcCallsPerProject: noop.grpcCallsPerProject, jobsQueued: noop.jobsQueued, apps: noop.apps, projects: noop.projects },
    incremental: change,
    throughputJobsPerSec: { ...rate.jobsPerSec, jobs: rate.jobs, runners: rate.runners },
    pullRequestComment: renderLargeComment(50, 100),
    failoverTakeoverMs: { ...failover.takeoverMs, rounds: failover.rounds, election: failover.election },
  };
} finally {
  await world.stop();
  await removeTemporaryFolders();
}

const document = {
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10) },
  quick,
  runs,
  seconds: Math.round((performance.now() - started) / 1000),
  ...figures,
};
console.log(JSON.stringify(document, null, 2));
if (values.table) printTable(document, process.stderr);
