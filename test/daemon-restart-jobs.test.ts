// A job a SIGTERM interrupted is settled by the restart in state.db, as `pilot status`
// shows it: whether the restart follows the same job or replaces it with a newer one.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import type { JobRecord } from '../src/reconciler/store-port.js';
import { cli } from './support/cli.js';
import { waypointToken } from './support/daemon-harness.js';
import { childStatusWhere, pilotEnv, startServe, type ServeChild } from './support/daemon-process.js';
import { app, manifestRemote, upsOf } from './support/daemon-scenario.js';
import { createSourceRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { killAllChildren } from './support/reconcile-child.js';

// A job lasts 4½ runner phases of 300 ms.
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 300, concurrency: 8 });
});

afterEach(async () => {
  await killAllChildren();
  emulator.faults.clear();
});

afterAll(async () => {
  await killAllChildren();
  await emulator?.stop();
  await removeTemporaryFolders();
});

const converged = (revision: string, keys: string[]) => (s: Awaited<ReturnType<ServeChild['status']>>) =>
  s.revision === revision && !s.running && keys.every((k) => s.apps.some((a) => `${a.project}/${a.app}` === k && a.state === 'converged'));

async function recordedJobs(env: Record<string, string>): Promise<JobRecord[]> {
  const status = await cli(['status', '--format', 'json', '--limit', '50'], { env });
  expect(status.code, status.stderr).toBe(0);
  return (JSON.parse(status.stdout) as { jobs: JobRecord[] }).jobs;
}

describe('a job interrupted by SIGTERM, after the restart', () => {
  it('is settled when the restart follows it', { timeout: 90_000 }, async () => {
    const source = await createSourceRepo('settle-same');
    const remote = await manifestRemote({ name: 'settle', apps: [app('api', source.url)] });
    const env = pilotEnv(emulator.address, waypointToken, await temporaryFolder('pilot-settle-home-'));
    const args = ['--repo', remote.url, '--poll', '0', '--drift', '0'];

    const first = await startServe(args, env);
    await first.waitFor(() => upsOf(emulator, 'settle').length === 1, 'the job to be queued');
    expect(await first.term()).toEqual({ code: 0, signal: null });

    const second = await startServe(args, env);
    await childStatusWhere(second, converged(remote.first, ['settle/api']), 'the app converged after the restart');
    expect(await second.term()).toEqual({ code: 0, signal: null });
    const jobs = await recordedJobs(env);
    expect(jobs.map((j) => [j.app, j.state]), JSON.stringify(jobs)).toEqual([['api', 'success']]);
  });

  it('is settled when the restart deploys a newer revision after it', { timeout: 90_000 }, async () => {
    const source = await createSourceRepo('settle-newer');
    const remote = await manifestRemote({ name: 'newer', apps: [app('api', source.url)] });
    const env = pilotEnv(emulator.address, waypointToken, await temporaryFolder('pilot-newer-home-'));
    const args = ['--repo', remote.url, '--poll', '0', '--drift', '0'];

    // No runner until the restart waits for the old job: it is still in flight when the restart looks.
    emulator.faults.noRunner(true);
    const first = await startServe(args, env);
    await first.waitFor(() => upsOf(emulator, 'newer').length === 1, 'the first job to be queued');
    expect(await first.term()).toEqual({ code: 0, signal: null });
    const next = await remote.push({ name: 'newer', apps: [app('api', source.url, { memory: 1024 })] });

    const second = await startServe(args, env);
    await childStatusWhere(second, (s) => s.running?.revision === next, 'the restart to reconcile the newer revision');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    emulator.faults.noRunner(false);
    await childStatusWhere(second, converged(next, ['newer/api']), 'the newer revision converged after the restart');
    expect(await second.term()).toEqual({ code: 0, signal: null });
    expect(upsOf(emulator, 'newer')).toHaveLength(2);
    const jobs = await recordedJobs(env);
    // Newest first: the newer revision's job, then the one the SIGTERM interrupted.
    expect(jobs.map((j) => [j.app, j.state]), JSON.stringify(jobs)).toEqual([['api', 'success'], ['api', 'success']]);
  });
});
