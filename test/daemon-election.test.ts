// The election on a real PostgreSQL store: one of two leads, the other stands by and
// shows the lease; a leader that gives up hands over at the next ask; a leader whose
// connection goes silent (a partition: nothing refused, nothing answered) counts the
// lock lost within its lease and stops before the server frees the lock, and the
// standby takes over once it does, one generation on.

import { afterEach, describe, expect, it } from 'vitest';
import { startElection, type Election } from '../src/daemon/election.js';
import { createLogger } from '../src/daemon/logger.js';
import type { Store } from '../src/reconciler/store-port.js';
import { openStore } from '../src/store/index.js';
import { captureLogs, waitFor } from './support/daemon-harness.js';
import { freshDatabase } from './support/postgres.js';
import { startTcpPartition, type TcpPartition } from './support/tcp-partition.js';

const timing = { retryMs: 100, renewMs: 100, leaseMs: 1_000 };
const opened: { stores: Store[]; elections: Election[]; relays: TcpPartition[] } = { stores: [], elections: [], relays: [] };

afterEach(async () => {
  for (const election of opened.elections.splice(0)) await election.stop().catch(() => undefined);
  for (const relay of opened.relays.splice(0)) await relay.close();
  for (const store of opened.stores.splice(0)) await store.close().catch(() => undefined);
});

async function candidate(url: string, self: string) {
  const store = await openStore(url);
  opened.stores.push(store);
  const logs = captureLogs();
  const events: string[] = [];
  const election = startElection({
    leadership: store.shared!.leadership, self, logger: createLogger({ destination: logs.stream }), timing,
    onLead: (generation) => events.push(`lead ${generation}`),
    onLost: (reason) => events.push(`lost: ${reason}`),
  });
  opened.elections.push(election);
  return { store, election, events, logs };
}

describe('the election', () => {
  it('has one leader, a standby that shows its lease, and hands over when the leader gives the lock up', async () => {
    const url = await freshDatabase('election');
    const a = await candidate(url, 'a:1');
    await waitFor(() => a.election.status.role === 'leader', 'a to lead');
    const b = await candidate(url, 'b:2');
    await waitFor(() => b.election.status.lease?.holder === 'a:1', 'b to see the lease');
    expect(b.election.status).toMatchObject({ role: 'standby', self: 'b:2', lease: { holder: 'a:1', generation: 1 } });
    expect(a.events).toEqual(['lead 1']);

    await a.election.stop();
    await waitFor(() => b.election.status.role === 'leader', 'b to lead');
    expect(b.events).toEqual(['lead 2']);
    expect(b.election.status.lease).toMatchObject({ holder: 'b:2', generation: 2 });
    // Giving the lock up is not losing it: a stopped leader is told nothing.
    expect(a.events).toEqual(['lead 1']);
  });

  it('stops a leader whose connection goes silent within its lease, before the server frees the lock; the standby leads after', async () => {
    const url = await freshDatabase('partition');
    const server = new URL(url);
    const relay = await startTcpPartition({ host: server.hostname, port: Number(server.port) });
    opened.relays.push(relay);
    const through = new URL(url);
    through.port = String(relay.port);
    const a = await candidate(through.toString(), 'a:1');
    await waitFor(() => a.election.status.role === 'leader', 'a to lead');
    const b = await candidate(url, 'b:2');
    await waitFor(() => b.election.status.lease !== undefined, 'b to see the lease');

    const silencedAt = Date.now();
    relay.silence();
    await waitFor(() => a.election.status.role === 'lost', 'a to count its lock lost', 10_000);
    const stoppedMs = Date.now() - silencedAt;
    expect(stoppedMs).toBeLessThan(timing.renewMs + timing.leaseMs + 1_000);
    expect(a.events).toEqual(['lead 1', expect.stringMatching(/^lost: renewing the leadership: no answer within 1000 ms/)]);
    expect(a.logs.text()).toMatch(/lost the leadership: this daemon stops acting/);
    // The server still holds the silent session, and its lock: nobody leads twice.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(b.election.status.role).toBe('standby');

    relay.cutServerSide();
    await waitFor(() => b.election.status.role === 'leader', 'b to lead once the server let the session go');
    expect(b.election.status.generation).toBe(2);
    // The old leader's writes are fenced from the moment it counted the lock lost.
    await expect(a.store.recordRevision('f'.repeat(40), 'valid')).rejects.toMatchObject({ code: 'store.fenced' });
    await expect(a.store.assertLeading!()).rejects.toMatchObject({ code: 'store.fenced' });
    await expect(b.store.assertLeading!()).resolves.toBeUndefined();
  });
});
