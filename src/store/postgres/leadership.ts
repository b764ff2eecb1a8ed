// One leader among the daemons sharing the database: a session advisory lock held on a
// connection of its own (the pool's connections come and go; the lock must not), and
// the leader_lease row whose generation fences the leader's writes (fence.ts).

import pg from 'pg';
import type { Lease, Leadership } from '../../reconciler/store-port.js';
import { connectionSettings, type Db } from './db.js';
import { toStoreError } from './errors.js';
import type { Fence } from './fence.js';
import { leaderLockKey, leaseName } from './locks.js';
import { scrub } from './url.js';

/**
 * Statements on the lock's connection give up after this long: a renewal that cannot
 * prove the lock within it counts the lock as lost, and a new leader's bump that waits
 * longer for an old leader's write gives the lock back rather than lead unfenced.
 */
const lockStatementMs = 5_000;

export function createLeadership(db: Db, fence: Fence): Leadership {
  const { address } = db;
  const listeners: ((reason: string) => void)[] = [];
  let client: pg.Client | undefined;
  let holding = false;
  // One call at a time: a renewal never overtakes the acquisition it renews.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  /** The lock is gone with its session: fence the writes, close the session, tell the listeners. */
  function lose(reason: string): void {
    const gone = client;
    client = undefined;
    gone?.end().catch(() => undefined);
    if (!holding) return;
    holding = false;
    fence.stopped = `its lock on the state store was lost: ${reason}`;
    for (const listener of listeners) {
      // One listener's failure must neither keep the others from hearing it nor crash
      // the process from inside a socket's event.
      try {
        listener(reason);
      } catch {
        /* the listener's own concern */
      }
    }
  }

  async function connect(): Promise<pg.Client> {
    if (client) return client;
    // The server frees the lock of a silent leader (a partition, a dead VM) once its own
    // keepalives give up (connectionSettings: 11 s, not the 2 hours of the kernel's
    // defaults). The leader, renewing every 2 s with a 6 s query timeout, counts the lock
    // lost within 8 s of its last answer: it stops before anyone can take over.
    const session = new pg.Client({ ...connectionSettings(address), application_name: 'pilot leader', statement_timeout: lockStatementMs, query_timeout: lockStatementMs + 1_000 });
    // 'error' then 'end' when the server ends the session (pg_terminate_backend, a
    // restart, a failover) or the network drops it; unheard, 'error' would end the process.
    session.on('error', (error) => {
      if (client === session) lose(`its connection failed (${scrub(error.message, address)})`);
    });
    session.on('end', () => {
      if (client === session) lose('its connection closed');
    });
    try {
      await session.connect();
    } catch (error) {
      session.end().catch(() => undefined);
      throw toStoreError(error, address);
    }
    client = session;
    return session;
  }

  return {
    tryAcquire: (holder) => serially(async () => {
      if (holding) return fence.generation;
      const session = await connect();
      try {
        const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [leaderLockKey]);
        if (!rows[0]?.locked) return undefined;
        // Waits for a fenced write of the previous leader that holds the row FOR SHARE.
        const bumped = await session.query<{ generation: number }>(`
          INSERT INTO leader_lease (name, holder, generation, acquired_at, renewed_at) VALUES ($1, $2, 1, now(), now())
          ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, generation = leader_lease.generation + 1,
            acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at
          RETURNING generation`, [leaseName, holder]);
        fence.generation = bumped.rows[0]!.generation;
        fence.stopped = undefined;
        holding = true;
        return fence.generation;
      } catch (error) {
        // Holding the lock without a generation would let this store write unfenced:
        // closing the session gives the lock back.
        if (client === session) lose('acquiring failed');
        throw toStoreError(error, address);
      }
    }),

    renew: () => serially(async () => {
      const session = client;
      if (!holding || !session) return false;
      try {
        const { rowCount } = await session.query(
          'UPDATE leader_lease SET renewed_at = now() WHERE name = $1 AND generation = $2', [leaseName, fence.generation]);
        if (rowCount === 1) return true;
        lose('the lease carries another generation');
      } catch (error) {
        lose(`renewing failed (${scrub((error as Error).message, address)})`);
      }
      return false;
    }),

    async lease(): Promise<Lease | undefined> {
      const { rows } = await db.query<{ holder: string; generation: number; acquired_at: string; renewed_at: string }>(
        'SELECT holder, generation, acquired_at, renewed_at FROM leader_lease WHERE name = $1', [leaseName]);
      const row = rows[0];
      return row && { holder: row.holder, generation: row.generation, acquiredAt: row.acquired_at, renewedAt: row.renewed_at };
    },

    onLost(listener) {
      listeners.push(listener);
    },

    // Not queued behind a renewal: one a partition left unanswered must not hold the
    // fence open. Writes are refused from this instant; the session's end frees the lock
    // (a statement in flight on it fails, and is not counted as a loss).
    async release() {
      const session = client;
      client = undefined;
      if (holding) fence.stopped = 'it gave its lock up';
      holding = false;
      await session?.end().catch(() => undefined);
    },
  };
}
