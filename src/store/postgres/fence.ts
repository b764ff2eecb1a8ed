// Fencing: once this store has led, each of its reconcile writes commits only while the
// shared lease still carries its generation and its lock was not lost. The check reads
// the lease row FOR SHARE inside the write's transaction, so a new leader's bump of the
// generation waits for a write already past the check to commit, and every later write
// of the old leader sees the new generation and is refused.

import { PilotError } from '../../reconciler/errors.js';
import type { Db, Queryable } from './db.js';
import { leaseName } from './locks.js';

export interface Fence {
  /** The generation this store leads (or led) under; undefined while it never led: writes are not fenced. */
  generation: number | undefined;
  /** Why it stopped leading (lock lost or given up); its writes are refused from then on. */
  stopped: string | undefined;
}

export function createFence(): Fence {
  return { generation: undefined, stopped: undefined };
}

/** A write that commits, whole, only while the fence allows it. */
export type FencedWrite = <T>(write: (client: Queryable) => Promise<T>) => Promise<T>;

export function fencedWrites(db: Db, fence: Fence): FencedWrite {
  return async (write) => {
    // Known lost: refused without a transaction, which a partition may never answer; who
    // leads now is named if the lease can be read within a second.
    if (fence.generation !== undefined && fence.stopped !== undefined) throw fencedError(fence.generation, fence.stopped, await leaseWithin(db, 1_000));
    return fenced(db, fence, write);
  };
}

async function leaseWithin(db: Db, ms: number): Promise<{ holder: string; generation: number } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  const read = db.query<{ holder: string; generation: number }>('SELECT holder, generation FROM leader_lease WHERE name = $1', [leaseName]).then((r) => r.rows[0], () => undefined);
  return Promise.race([read, late]).finally(() => clearTimeout(timer));
}

function fenced<T>(db: Db, fence: Fence, write: (client: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (client) => {
    if (fence.generation !== undefined) await checkFence(client, fence, fence.generation);
    return write(client);
  });
}

async function checkFence(client: Queryable, fence: Fence, mine: number): Promise<void> {
  const { rows } = await client.query<{ holder: string; generation: number }>(
    'SELECT holder, generation FROM leader_lease WHERE name = $1 FOR SHARE', [leaseName]);
  const lease = rows[0];
  if (fence.stopped === undefined && lease?.generation === mine) return;
  throw fencedError(mine, fence.stopped, lease);
}

function fencedError(mine: number, stopped: string | undefined, lease: { holder: string; generation: number } | undefined): PilotError {
  const message = lease && lease.generation !== mine
    ? `another daemon (${lease.holder}) leads now (generation ${lease.generation}); this one (generation ${mine}) stopped acting and wrote nothing`
    : `this daemon no longer leads (generation ${mine}: ${stopped ?? 'its lease is gone'}); it stopped acting and wrote nothing until it leads again`;
  return new PilotError('stalled', 'store.fenced', message);
}
