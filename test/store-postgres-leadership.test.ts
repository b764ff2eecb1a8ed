// Several daemons on one PostgreSQL store: one leads (an advisory lock on a session of
// its own, and a generation in leader_lease), the others stand by; a leader whose
// session the server ended hears it, and its writes are fenced while the next leader
// takes over; work handed through the inbox survives a leader's death.

import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PilotError } from '../src/reconciler/errors.js';
import { openPostgresStore, type PostgresStore } from '../src/store/postgres/pg-store.js';
import { databaseOf, freshDatabase, postgresAdminUrl, sql } from './support/postgres.js';

const opened: PostgresStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

/** Two stores (and a third, when asked) on one new database, as daemons on two VMs would open it. */
async function daemons(count = 2): Promise<{ url: string; stores: PostgresStore[] }> {
  const url = await freshDatabase('leader');
  const stores: PostgresStore[] = [];
  for (let i = 0; i < count; i += 1) stores.push(await openPostgresStore(url));
  opened.push(...stores);
  return { url, stores };
}



/**
 * Ends the session holding the leader's lock, as an operator's pg_terminate_backend, a
 * server restart or a dropped connection would: found by its granted advisory lock.
 * It waits (up to 5 s) for the session to be gone, and its lock with it.
 */
async function killLockSession(url: string): Promise<void> {
  const killed = await sql(postgresAdminUrl(), `
    SELECT pg_terminate_backend(l.pid, 5000) AS ok FROM pg_locks l JOIN pg_database d ON d.oid = l.database
    WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1`, [databaseOf(url)]);
  expect(killed).toEqual([{ ok: true }]);
}

/** Sessions of the database waiting on a lock while running a statement that matches. */
async function waitingOn(url: string, statement: string): Promise<number> {
  const rows = await sql(postgresAdminUrl(), `
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE $2`,
  [databaseOf(url), `%${statement}%`]);
  return rows[0]!.n as number;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function lostSignal(store: PostgresStore): { reasons: string[]; heard: Promise<string> } {
  const reasons: string[] = [];
  const heard = new Promise<string>((resolve) => store.shared.leadership.onLost((reason) => {
    reasons.push(reason);
    resolve(reason);
  }));
  return { reasons, heard };
}

async function fenced(promise: Promise<unknown>): Promise<PilotError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PilotError);
  expect(error).toMatchObject({ kind: 'stalled', code: 'store.fenced' });
  return error as PilotError;
}

describe('leadership', () => {
  it('lets one store lead, the others see who, and renews while held', async () => {
    const { stores: [a, b] } = await daemons();
    expect(await a!.shared.leadership.tryAcquire('pilot-a:1')).toBe(1);
    expect(await b!.shared.leadership.tryAcquire('pilot-b:2')).toBeUndefined();
    expect(await a!.shared.leadership.tryAcquire('pilot-a:1')).toBe(1);
    const lease = await b!.shared.leadership.lease();
    expect(lease).toEqual({ holder: 'pilot-a:1', generation: 1, acquiredAt: expect.any(String), renewedAt: lease!.acquiredAt });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await a!.shared.leadership.renew()).toBe(true);
    expect((await a!.shared.leadership.lease())!.renewedAt > lease!.renewedAt).toBe(true);
    expect(await b!.shared.leadership.renew()).toBe(false);
  });

  it('has nothing recorded before anyone led', async () => {
    const { stores: [a] } = await daemons(1);
    expect(await a!.shared.leadership.lease()).toBeUndefined();
  });

  it('raises the generation at each new leader, and fences a leader that gave the lock up', async () => {
    const { stores: [a, b] } = await daemons();
    const lost = lostSignal(a!);
    expect(await a!.shared.leadership.tryAcquire('pilot-a:1')).toBe(1);
    await a!.startRun('r1', 'poll');
    await a!.shared.leadership.release();
    expect(await b!.shared.leadership.tryAcquire('pilot-b:2')).toBe(2);
    await fenced(a!.startRun('r2', 'poll'));
    await b!.shared.leadership.release();
    expect(await a!.shared.leadership.tryAcquire('pilot-a:1')).toBe(3);
    await a!.startRun('r3', 'poll');
    expect((await b!.history.lastRuns(5)).map((r) => r.revision)).toEqual(['r3', 'r1']);
    expect(lost.reasons).toEqual([]);
  });

  it('tells a leader whose session the server ended, fences its writes, and lets the next leader take over', async () => {
    const { url, stores: [a, b, tool] } = await daemons(3);
    const lost = lostSignal(a!);
    expect(await a!.shared.leadership.tryAcquire('pilot-a:1')).toBe(1);
    const runId = await a!.startRun('r1', 'poll');
    await killLockSession(url);

    expect(await lost.heard).toMatch(/connection/);
    const refused = await fenced(a!.finishRun(runId, 'converged', {}));
    expect(refused.message).toMatch(/no longer leads \(generation 1: its lock on the state store was lost/);
    expect(await a!.shared.leadership.renew()).toBe(false);
    expect(await b!.shared.leadership.tryAcquire('pilot-b:2')).toBe(2);

    // Every kind of reconcile write is refused now, naming who leads.
    const writes: [string, () => Promise<unknown>][] = [
      ['recordRevision', () => a!.recordRevision('r2', 'valid')],
      ['startRun', () => a!.startRun('r2', 'poll')],
      ['recordAction', () => a!.recordAction(runId, { id: 'x', status: 'done', reason: 'r' })],
      ['recordJob', () => a!.recordJob({ jobId: 'j', runId, project: 'shop', app: 'web', kind: 'up', configHash: 'h', commit: 'c', state: 'queued', queuedAt: '2026-01-01T00:00:00.000Z' })],
      ['updateJob', () => a!.updateJob('j', { state: 'success' })],
      ['resolveIntent', () => a!.resolveIntent('intent:1', 'J1')],
      ['recordApplied', () => a!.recordApplied({ project: 'shop', app: 'web', jobId: 'j', configHash: 'h', commit: 'c', state: 'success', spec: { image: 'x' }, revision: 'r', at: '2026-01-01T00:00:00.000Z' })],
      ['addToInventory', () => a!.addToInventory({ kind: 'app', project: 'shop', name: 'web', provider: 'aws', region: 'us-east-1' })],
      ['removeFromInventory', () => a!.removeFromInventory('app', 'shop', 'web')],
      ['pinRelease', () => a!.pinRelease({ project: 'shop', app: 'web', tag: 'v1', trackedRef: 'main', baseCommit: 'b' })],
      ['unpinRelease', () => a!.unpinRelease('shop', 'web')],
      ['inbox.take', () => a!.shared.inbox.take(1)],
    ];
    for (const [name, write] of writes) {
      expect((await fenced(write())).message, name).toBe('another daemon (pilot-b:2) leads now (generation 2); this one (generation 1) stopped acting and wrote nothing');
    }
    // Reads, deliveries and the inbox's post are not fenced; nor is a store that never led (a one-shot tool).
    expect((await a!.history.lastRuns(5)).map((r) => r.id)).toEqual([runId]);
    expect(await a!.deliveries.claim('d-1', 'push')).toBe(true);
    await a!.shared.inbox.post({ kind: 'push' });
    await tool!.recordRevision('r9', 'valid');
    expect(await b!.startRun('r2', 'poll')).toBeGreaterThan(runId);
    expect(lost.reasons).toHaveLength(1);
  });

  it('fences a leader whose lease moved, as its renewal finds', async () => {
    const { url, stores: [a] } = await daemons(1);
    const lost = lostSignal(a!);
    await a!.shared.leadership.tryAcquire('pilot-a:1');
    await sql(url, "UPDATE leader_lease SET generation = 7, holder = 'pilot-z:9'");
    expect(await a!.shared.leadership.renew()).toBe(false);
    expect(await lost.heard).toMatch(/another generation/);
    expect((await fenced(a!.startRun('r1', 'poll'))).message).toMatch(/pilot-z:9.*generation 7/);
  });

  it('makes the next leader wait for a write of the old one already past its fence', async () => {
    const { url, stores: [a, b] } = await daemons();
    const lost = lostSignal(a!);
    await a!.shared.leadership.tryAcquire('pilot-a:1');
    const events: string[] = [];
    // Another session holds the revisions table, so a's write stops inside its
    // transaction, after its fence check, holding the lease row FOR SHARE.
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE revisions IN EXCLUSIVE MODE');
      const write = a!.recordRevision('r1', 'valid').then(() => events.push('old leader wrote'));
      await eventually(async () => (await waitingOn(url, 'INSERT INTO revisions')) === 1, "a's write to wait");

      await killLockSession(url);
      await lost.heard;
      const takeover = b!.shared.leadership.tryAcquire('pilot-b:2').then((generation) => events.push(`new leader ${generation}`));
      await eventually(async () => (await waitingOn(url, 'INSERT INTO leader_lease')) === 1, "b's bump to wait");
      expect(events).toEqual([]);

      await blocker.query('COMMIT');
      await Promise.all([write, takeover]);
      expect(events).toEqual(['old leader wrote', 'new leader 2']);
    } finally {
      await blocker.end();
    }
    expect(await sql(url, 'SELECT revision FROM revisions')).toEqual([{ revision: 'r1' }]);
    await fenced(a!.recordRevision('r2', 'valid'));
  });
});

describe('inbox', () => {
  it('takes what any daemon posted, oldest first, once per leader, again after a leader dies, until done', async () => {
    const { url, stores: [a, b] } = await daemons();
    const inboxOf = (store: PostgresStore) => store.shared.inbox;
    await a!.shared.leadership.tryAcquire('pilot-a:1');
    await expect(inboxOf(b!).take(10)).rejects.toThrow(/only the leader takes/);
    for (const item of [{ event: 'push', ref: 'main' }, 'sync', [1, 2]]) await inboxOf(b!).post(item);
    await expect(inboxOf(b!).post(undefined)).rejects.toThrow(TypeError);

    const firstTwo = await inboxOf(a!).take(2);
    expect(firstTwo.map((t) => t.item)).toEqual([{ event: 'push', ref: 'main' }, 'sync']);
    expect(firstTwo[0]!.id).toBeLessThan(firstTwo[1]!.id);
    const rest = await inboxOf(a!).take(10);
    expect(rest.map((t) => t.item)).toEqual([[1, 2]]);
    expect(await inboxOf(a!).take(10)).toEqual([]);
    await inboxOf(a!).done(firstTwo[0]!.id);

    // a dies with 'sync' and [1, 2] taken but not done: the next leader takes them again.
    await killLockSession(url);
    expect(await b!.shared.leadership.tryAcquire('pilot-b:2')).toBe(2);
    const retaken = await inboxOf(b!).take(10);
    expect(retaken).toEqual([firstTwo[1], rest[0]]);
    await fenced(inboxOf(a!).done(retaken[0]!.id));
    await inboxOf(b!).done(retaken[0]!.id);
    expect(await sql(url, 'SELECT item::text, taken_generation::int FROM inbox')).toEqual([{ item: '[1,2]', taken_generation: 2 }]);
    expect(await inboxOf(b!).take(10)).toEqual([]);
  });
});
