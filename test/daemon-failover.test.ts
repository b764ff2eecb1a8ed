// Two daemons on one PostgreSQL store and one Waypoint: one leads, the other stands by.
// The leader is killed with SIGKILL in the middle of a 20-app apply, or its lock's
// database session is ended from the server side (a partition); the standby takes over,
// follows the jobs in flight and converges, and Waypoint never gets the same job twice.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { waypointToken } from './support/daemon-harness.js';
import { childStatusWhere } from './support/daemon-process.js';
import { app, manifestRemote, upsOf } from './support/daemon-scenario.js';
import { createSourceRepo, removeTemporaryFolders } from './support/git-repos.js';
import { startHaDaemon, terminateLockHolder, untilRole, type HaDaemon } from './support/ha-pair.js';
import { databaseOf, freshDatabase, postgresAdminUrl } from './support/postgres.js';
import { duplicateUps, onQueueJob } from './support/reconcile-harness.js';
import { killAllChildren } from './support/reconcile-child.js';

// A job lasts 4½ runner phases of 200 ms; four run at once, so 20 apps take a few seconds.
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 200, concurrency: 4 });
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

const appCount = 20;
const args = (url: string) => ['--repo', url, '--poll', '0', '--drift', '0', '--concurrency', '4'];

async function twentyApps(project: string) {
  const source = await createSourceRepo(`${project}-src`);
  const names = Array.from({ length: appCount }, (_, i) => `app${String(i).padStart(2, '0')}`);
  const remote = await manifestRemote({ name: project, apps: names.map((n) => app(n, source.url)) });
  return { remote, keys: names.map((n) => `${project}/${n}`) };
}

/** Starts A, waits until it leads, then B, which stands by. */
async function pair(url: string, remoteUrl: string): Promise<{ a: HaDaemon; b: HaDaemon }> {
  const wp = { address: emulator.address, token: waypointToken };
  const a = await startHaDaemon('a', args(remoteUrl), url, wp);
  await untilRole(a, 'leader');
  const b = await startHaDaemon('b', args(remoteUrl), url, wp);
  await untilRole(b, 'standby');
  return { a, b };
}

const convergedOn = (revision: string, keys: string[]) => (s: Awaited<ReturnType<HaDaemon['status']>>) =>
  s.revision === revision && !s.running && keys.every((k) => s.apps.some((a) => `${a.project}/${a.app}` === k && a.state === 'converged'));

describe('two daemons on one PostgreSQL store', () => {
  it('the standby takes over from a leader killed mid-apply, follows its jobs and queues none twice', { timeout: 120_000 }, async () => {
    const { remote, keys } = await twentyApps('failover');
    const url = await freshDatabase('failover');
    let killedAt = 0;
    let a: HaDaemon | undefined;
    // The leader dies inside Waypoint's QueueJob handler of the 8th job: that job exists, the leader never hears of it.
    const unhook = onQueueJob(emulator, (job) => {
      if (job.project === 'failover' && upsOf(emulator, 'failover').length === 8 && a && !killedAt) {
        killedAt = Date.now();
        a.process.kill('SIGKILL');
      }
    });
    try {
      // No runner until both stand: A queues its first four jobs and waits on them.
      emulator.faults.noRunner(true);
      const started = await pair(url, remote.url);
      a = started.a;
      const { b } = started;
      emulator.faults.noRunner(false);
      await a.exited;
      expect(killedAt).toBeGreaterThan(0);
      const led = await untilRole(b, 'leader', 30_000);
      const takeoverMs = Date.now() - killedAt;
      console.info(JSON.stringify({ figure: 'failoverTakeoverMs', takeoverMs, generation: led.leadership?.generation }));
      expect(takeoverMs).toBeLessThanOrEqual(15_000);
      expect(led.leadership?.lease?.holder).toBe(led.leadership?.self);

      await childStatusWhere(b, convergedOn(remote.first, keys), 'the new leader to converge all 20 apps', 60_000);
      const ups = upsOf(emulator, 'failover');
      expect(duplicateUps(ups)).toEqual([]);
      expect(new Set(ups.map((j) => j.app)).size).toBe(appCount);
      expect(ups).toHaveLength(appCount);
      expect(await b.term()).toEqual({ code: 0, signal: null });
    } finally {
      unhook();
    }
  });

  it('a leader whose lock session the server ends stops acting (exit 3) and the standby finishes without a duplicate', { timeout: 120_000 }, async () => {
    const { remote, keys } = await twentyApps('partition');
    const url = await freshDatabase('partition');
    let cut = false;
    let ended: Promise<number[]> | undefined;
    const unhook = onQueueJob(emulator, (job) => {
      if (job.project === 'partition' && upsOf(emulator, 'partition').length === 6 && !cut) {
        cut = true;
        ended = terminateLockHolder(postgresAdminUrl(), databaseOf(url));
      }
    });
    try {
      const { a, b } = await pair(url, remote.url);
      const exit = await Promise.race([a.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the leader did not stop; output:\n${a.output()}`)), 30_000))]);
      expect(await ended).toHaveLength(1);
      expect(exit).toEqual({ code: 3, signal: null });
      expect(a.output()).toMatch(/lost the leadership/);
      expect(a.output()).toMatch(/lost its lock/);
      await untilRole(b, 'leader', 30_000);
      await childStatusWhere(b, convergedOn(remote.first, keys), 'the new leader to converge all 20 apps', 60_000);
      const ups = upsOf(emulator, 'partition');
      expect(duplicateUps(ups)).toEqual([]);
      expect(ups).toHaveLength(appCount);
      const generations = (await b.status()).leadership?.generation;
      expect(generations).toBe(2);
      expect(await b.term()).toEqual({ code: 0, signal: null });
    } finally {
      unhook();
    }
  });
});
