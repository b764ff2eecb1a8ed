// `npm run bench`: speed and memory figures, printed as JSON. Never asserted in tests.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDesiredStateFromDirectory } from '../src/sources/manifests/load.js';
import { countResources } from '../src/drivers/contract.js';
import { cloudDriver } from '../src/drivers/registry.js';
import { stackInputs } from '../src/drivers/stack-inputs.js';
import { writeManifestRepository } from './manifests.js';
import { renderLargeComment } from './plan-comment.js';

async function validateLargeRepository(files: number, appsPerFile: number) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-bench-'));
  try {
    await writeManifestRepository(root, files, appsPerFile);
    // The first run pays for compiling the schema; report it apart from a warm run.
    const coldStart = performance.now();
    const cold = await loadDesiredStateFromDirectory(root);
    const coldMs = performance.now() - coldStart;
    const warmStart = performance.now();
    const warm = await loadDesiredStateFromDirectory(root);
    const warmMs = performance.now() - warmStart;
    const errors = warm.problems.filter((p) => p.severity === 'error').length;
    if (errors > 0 || cold.state === null) throw new Error(`generated repository is invalid: ${errors} errors`);
    return {
      name: 'validate',
      files,
      apps: warm.summary.apps,
      coldMs: Math.round(coldMs),
      warmMs: Math.round(warmMs),
      appsPerSecond: Math.round(warm.summary.apps / (warmMs / 1000)),
      heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Synthesizing every stack of the generated repository (500 projects, one stack each), and the first import of the CDKTF bindings. */
async function synthesizeStacks(files: number, appsPerFile: number) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-bench-'));
  try {
    await writeManifestRepository(root, files, appsPerFile);
    const loaded = await loadDesiredStateFromDirectory(root);
    if (!loaded.state) throw new Error('generated repository is invalid');
    const stacks = stackInputs(loaded.state);
    const importStart = performance.now();
    await Promise.all(['aws', 'gcp'].map((p) => cloudDriver(p as 'aws' | 'gcp')));
    const importMs = performance.now() - importStart;
    const start = performance.now();
    let resources = 0;
    for (const stack of stacks) {
      resources += countResources((await cloudDriver(stack.provider)).synth(stack));
    }
    const ms = performance.now() - start;
    return {
      name: 'synth',
      stacks: stacks.length,
      resources,
      importMs: Math.round(importMs),
      ms: Math.round(ms),
      stacksPerSecond: Math.round(stacks.length / (ms / 1000)),
      heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const results = [await validateLargeRepository(500, 10), await synthesizeStacks(500, 10), renderLargeComment(50, 100)];
console.log(JSON.stringify({ node: process.version, cpus: os.cpus().length, results }, null, 2));
