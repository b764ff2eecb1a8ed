// The leader's side of the shared inbox, on a real PostgreSQL store: items posted by any
// daemon are handled oldest first, each once; one whose handling fails is handled again
// by the same leader before it takes anything newer, not left for the next failover.

import { afterEach, describe, expect, it } from 'vitest';
import { consumeInbox, type InboxConsumer, type InboxItem } from '../src/daemon/inbox-consumer.js';
import { createLogger } from '../src/daemon/logger.js';
import { request } from '../src/reconciler/requests.js';
import type { Store } from '../src/reconciler/store-port.js';
import { openStore } from '../src/store/index.js';
import { captureLogs, waitFor } from './support/daemon-harness.js';
import { freshDatabase } from './support/postgres.js';

const opened: { stores: Store[]; consumers: InboxConsumer[] } = { stores: [], consumers: [] };

afterEach(async () => {
  for (const consumer of opened.consumers.splice(0)) await consumer.stop();
  for (const store of opened.stores.splice(0)) await store.close();
});

const sync = (n: number): InboxItem => ({ kind: 'request', request: { ...request('sync'), apps: [`p/app${n}`] } });

describe('the inbox consumer', () => {
  it('handles what a standby posted, oldest first, each once; a failed one again, before anything newer', async () => {
    const url = await freshDatabase('inbox');
    const leader = await openStore(url);
    const standby = await openStore(url);
    opened.stores.push(leader, standby);
    expect(await leader.shared!.leadership.tryAcquire('leader:1')).toBe(1);
    for (const n of [1, 2, 3]) await standby.shared!.inbox.post(sync(n));

    const handled: string[] = [];
    let failures = 1;
    const logs = captureLogs();
    opened.consumers.push(consumeInbox({
      inbox: leader.shared!.inbox, logger: createLogger({ destination: logs.stream }), pollMs: 20,
      handle(item) {
        const app = item.kind === 'request' && item.request.kind === 'branch' ? item.request.apps[0]! : '?';
        if (app === 'p/app2' && failures-- > 0) throw new Error('the lanes are busy');
        handled.push(app);
      },
    }));
    await waitFor(() => handled.length === 3, 'three items handled', 10_000);
    for (const n of [4]) await standby.shared!.inbox.post(sync(n));
    await waitFor(() => handled.length === 4, 'the fourth', 10_000);
    expect(handled).toEqual(['p/app1', 'p/app2', 'p/app3', 'p/app4']);
    expect(logs.text()).toMatch(/could not take from the inbox; trying again/);
    // All done: a later leader finds nothing to take again.
    await leader.shared!.leadership.release();
    expect(await standby.shared!.leadership.tryAcquire('standby:2')).toBe(2);
    expect(await standby.shared!.inbox.take(10)).toEqual([]);
  });
});
