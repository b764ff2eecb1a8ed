// The leader's side of the shared inbox, on a real PostgreSQL store: items posted by any
// daemon are handled oldest first, each once; one whose handling fails is handled again
// by the same leader before it takes anything newer, not left for the next failover.

import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/app/settings.js';
import { consumeInbox, type InboxConsumer, type InboxItem } from '../src/daemon/inbox-consumer.js';
import { createLogger } from '../src/daemon/logger.js';
import { createMetrics } from '../src/daemon/metrics.js';
import { webhookTrigger } from '../src/daemon/triggers/webhooks.js';
import { request } from '../src/reconciler/requests.js';
import type { Store } from '../src/reconciler/store-port.js';
import { openStore } from '../src/store/index.js';
import { captureLogs, waitFor } from './support/daemon-harness.js';
import { example, signed } from './support/daemon-webhooks.js';
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

describe('a webhook taken by a daemon sharing the store', () => {
  it('is forgotten when it cannot be handed to the leader, so GitHub\'s redelivery is acted on', async () => {
    const url = await freshDatabase('forward');
    const store = await openStore(url);
    opened.stores.push(store);
    const app = Fastify();
    const secret = 'whsec-forward-test-0123456789';
    let failing = true;
    const posted: unknown[] = [];
    const trigger = webhookTrigger(app, {
      settings: { ...resolveSettings({}, {}), webhookSecrets: [secret] }, logger: createLogger({ destination: captureLogs().stream }),
      deliveries: store.deliveries, metrics: createMetrics(), appSources: () => [],
      async forward(event, delivery) {
        if (failing) throw new Error('the store is unreachable');
        posted.push({ event: event.kind, delivery: delivery.id });
      },
    });
    trigger.start(() => undefined);
    await app.ready();
    const delivery = await signed('ping', example('ping'), { secret, id: 'redelivered-1' });
    const send = () => app.inject({ method: 'POST', url: '/webhooks/github', headers: delivery.headers, payload: delivery.body });
    expect((await send()).statusCode).toBe(202);
    // The hand-off runs after the answer: wait until the claim is gone.
    await waitFor(async () => (await store.history.recentDeliveries(5)).length === 0, 'the claim to be forgotten', 5_000);
    failing = false;
    expect((await send()).statusCode).toBe(202);
    await waitFor(() => posted.length === 1, 'the redelivery to be handed on', 5_000);
    expect(posted).toEqual([{ event: 'ping', delivery: 'redelivered-1' }]);
    expect((await send()).json()).toEqual({ status: 'duplicate' });
    await app.close();
  });
});
