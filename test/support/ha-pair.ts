// Two `pilot serve` processes sharing one PostgreSQL store and one Waypoint emulator,
// each with its own state directory (as on two machines): the failover and the
// shared-webhook tests.

import type { DaemonStatus } from '../../src/daemon/status.js';
import { childStatusWhere, pilotEnv, startServe, type ServeChild } from './daemon-process.js';
import { temporaryFolder } from './git-repos.js';
import { sql } from './postgres-sql.js';

export type Role = NonNullable<DaemonStatus['leadership']>['role'];

export interface HaDaemon extends ServeChild {
  name: string;
  env: Record<string, string>;
}

/** Starts a daemon on the shared store; resolves once it serves (as leader or standby). */
export async function startHaDaemon(name: string, args: readonly string[], stateUrl: string, emulator: { address: string; token: string }, extra: Record<string, string> = {}): Promise<HaDaemon> {
  const env = pilotEnv(emulator.address, emulator.token, await temporaryFolder(`pilot-ha-${name}-`), { PILOT_STATE_URL: stateUrl, ...extra });
  const child = await startServe(args, env);
  return { ...child, name, env };
}

export function roleOf(status: DaemonStatus): Role | undefined {
  return status.leadership?.role;
}

export function untilRole(daemon: HaDaemon, role: Role, timeoutMs = 30_000): Promise<DaemonStatus> {
  return childStatusWhere(daemon, (s) => roleOf(s) === role, `${daemon.name} to be ${role}`, timeoutMs);
}

/** Ends the lock's session of whoever holds the leadership lock in `database`, from the server side (a partition, as the database sees it). */
export async function terminateLockHolder(adminUrl: string, database: string): Promise<number[]> {
  const rows = await sql<{ pid: number }>(adminUrl,
    `SELECT pg_terminate_backend(l.pid) AS done, l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1`, [database]);
  return rows.map((r) => r.pid);
}
