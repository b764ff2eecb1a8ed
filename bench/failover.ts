// failoverTakeoverMs: two `pilot serve` processes on one PostgreSQL store; the leader is
// killed with SIGKILL, and the time until the standby's /api/status says it leads is
// measured. A new standby replaces the dead daemon before the next round. PostgreSQL is
// a throwaway server of the bench's own (test/support/postgres-server.ts).

import { performance } from 'node:perf_hooks';
import { startEmulator } from '../src/dev/waypoint-emulator/index.js';
import { app, manifestRemote } from '../test/support/daemon-scenario.js';
import { createSourceRepo } from '../test/support/git-repos.js';
import { roleOf, startHaDaemon, untilRole, type HaDaemon } from '../test/support/ha-pair.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { sql } from '../test/support/postgres-sql.js';
import { killAllChildren } from '../test/support/reconcile-child.js';
import { spread } from './world.js';

const token = 'bench-failover-token-0123456789';

export async function failoverTakeover(rounds: number): Promise<{ takeoverMs: ReturnType<typeof spread>; rounds: number; election: string }> {
  const server = await startPostgres();
  const emulator = await startEmulator({ port: 0, token, stepMs: 20, concurrency: 4 });
  try {
    await sql(server.url, 'CREATE DATABASE pilot_bench_failover');
    const url = new URL(server.url);
    url.pathname = '/pilot_bench_failover';
    const source = await createSourceRepo('bench-failover-src');
    const remote = await manifestRemote({ name: 'failover', apps: [app('api', source.url)] });
    const args = ['--repo', remote.url, '--poll', '0', '--drift', '0'];
    const wp = { address: emulator.address, token };
    const start = (name: string) => startHaDaemon(name, args, url.toString(), wp);

    let leader: HaDaemon = await start('d0');
    await untilRole(leader, 'leader');
    let standby: HaDaemon = await start('d1');
    await untilRole(standby, 'standby');
    const takeovers: number[] = [];
    for (let round = 0; round < rounds; round++) {
      leader.process.kill('SIGKILL');
      const killed = performance.now();
      await leader.exited;
      for (;;) {
        const status = await standby.status().catch(() => undefined);
        if (status && roleOf(status) === 'leader') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      takeovers.push(performance.now() - killed);
      leader = standby;
      standby = await start(`d${round + 2}`);
      await untilRole(standby, 'standby');
    }
    return { takeoverMs: spread(takeovers), rounds, election: 'retry 2 s, renew 2 s, lease 10 s' };
  } finally {
    await killAllChildren();
    await emulator.stop();
    await server.stop();
  }
}
