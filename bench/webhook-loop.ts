// webhookToJobMs and gitFetchMs, in the same loop: a push changes one app of a 1,000-app
// manifest repository, its signed webhook reaches the daemon, and the time until the
// emulator receives the QueueJob is set beside a bare `git fetch` of the same commit.

import { performance } from 'node:perf_hooks';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestDaemon, statusWhere, webhookSecret, type TestDaemon } from '../test/support/daemon-harness.js';
import { repoToken } from '../test/support/daemon-scenario.js';
import { deliver, pushPayload, signed } from '../test/support/daemon-webhooks.js';
import { temporaryFolder } from '../test/support/git-repos.js';
import { percentile, type World } from './world.js';

const run = promisify(execFile);

/** A clone beside the daemon's, fetching over the same git server with the same token. */
async function fetcher(world: World): Promise<(commit: string) => Promise<number>> {
  const dir = await temporaryFolder('pilot-bench-fetch-');
  const auth = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${repoToken}`).toString('base64')}`;
  await run('git', ['-c', auth, 'clone', '--quiet', '--bare', world.url, dir]);
  return async (commit) => {
    const start = performance.now();
    await run('git', ['-c', auth, 'fetch', '--quiet', world.url, '+refs/heads/main:refs/heads/main'], { cwd: dir });
    const ms = performance.now() - start;
    const head = (await run('git', ['rev-parse', 'refs/heads/main'], { cwd: dir })).stdout.trim();
    if (head !== commit) throw new Error(`git fetch got ${head}, not ${commit}`);
    return ms;
  };
}

/** Resolves at the emulator's next QueueJob (looked for every millisecond: a timer, not a busy loop). */
async function nextQueueJob(world: World): Promise<number> {
  const seen = world.emulator.queuedJobs.length;
  const deadline = performance.now() + 60_000;
  while (world.emulator.queuedJobs.length === seen) {
    if (performance.now() > deadline) throw new Error('no job was queued within 60 s of the webhook');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now();
}

export async function webhookToJob(world: World, iterations: number) {
  const daemon: TestDaemon = await startTestDaemon({ emulator: world.emulator, stateDir: world.stateDir, repository: { url: world.url, branch: 'main', token: repoToken } });
  try {
    await statusWhere(daemon, (s) => s.revision === world.remote.first && !s.running, 'the first (no-op) run', 120_000);
    const fetch = await fetcher(world);
    const webhook: number[] = [];
    const git: number[] = [];
    // Each push changes the memory of one app: app-0 of the next project in turn.
    const memory = new Map<number, number>();
    for (let i = 0; i < iterations; i++) {
      const project = i % world.projects;
      memory.set(project, memory.get(project) === 1024 ? 2048 : 1024);
      const next = await world.remote.push(...world.manifests((p, a) => (a === 0 ? memory.get(p) ?? 512 : 512)));
      const delivery = await signed('push', pushPayload(world.url, 'acme/manifests', 'main', next, [`project-${project}/pilot.yaml`]), { secret: webhookSecret });
      const queued = nextQueueJob(world);
      const start = performance.now();
      const answer = await deliver(daemon.url, delivery);
      if (answer.status !== 202) throw new Error(`the webhook was answered ${answer.status}`);
      webhook.push((await queued) - start);
      await statusWhere(daemon, (s) => s.lastRun?.revision === next && !s.running, 'the run to end', 120_000);
      git.push(await fetch(next));
    }
    return {
      iterations,
      webhookToJobMs: { p50: percentile(webhook, 50), p99: percentile(webhook, 99) },
      gitFetchMs: { p50: percentile(git, 50), p99: percentile(git, 99) },
    };
  } finally {
    await daemon.stop();
  }
}
