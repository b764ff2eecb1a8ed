// 1,000 GitHub deliveries spread over two daemons sharing one PostgreSQL store, 10% of
// them sent to both (a redelivery landing on the other machine): the store's unique key
// lets each delivery in once, whichever daemon got it; the standby hands what it took to
// the leader; the leader acts on each once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { waypointToken, webhookSecret } from './support/daemon-harness.js';
import { app, manifestRemote } from './support/daemon-scenario.js';
import { deliver, pushPayload, signed } from './support/daemon-webhooks.js';
import { createSourceRepo, removeTemporaryFolders } from './support/git-repos.js';
import { childStatusWhere } from './support/daemon-process.js';
import { startHaDaemon, untilRole, type HaDaemon } from './support/ha-pair.js';
import { freshDatabase, sql } from './support/postgres.js';
import { killAllChildren } from './support/reconcile-child.js';
import { waitFor } from './support/daemon-harness.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 4 });
});

afterAll(async () => {
  await killAllChildren();
  await emulator?.stop();
  await removeTemporaryFolders();
});

const unique = 900;
const crossDuplicates = 100;

/** Delivery ids the leader's log says it acted on, with how often. */
function handledIn(output: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.includes('"inbox item handled"')) continue;
    const id = (JSON.parse(line) as { delivery?: string }).delivery;
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function inParallel<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  }));
  return results;
}

describe('webhooks on two daemons sharing a store', () => {
  it('acts on each of 900 deliveries once though 100 reached both daemons', { timeout: 180_000 }, async () => {
    const source = await createSourceRepo('shared-hooks-src');
    const remote = await manifestRemote({ name: 'hooks', apps: [app('api', source.url)] });
    const url = await freshDatabase('hooks');
    const wp = { address: emulator.address, token: waypointToken };
    const args = ['--repo', remote.url, '--poll', '0', '--drift', '0'];
    const extra = { PILOT_WEBHOOK_SECRET: webhookSecret };
    const a: HaDaemon = await startHaDaemon('a', args, url, wp, extra);
    await untilRole(a, 'leader');
    const b: HaDaemon = await startHaDaemon('b', args, url, wp, extra);
    await untilRole(b, 'standby');
    // The standby serves the status from the shared store: the app the leader deployed, who leads; and it is ready.
    const shown = await childStatusWhere(b, (s) => s.apps.some((x) => x.app === 'api' && x.state === 'converged') && s.leadership?.lease !== undefined, 'the standby to show the leader\'s app and lease', 30_000);
    expect(shown.leadership).toMatchObject({ role: 'standby', lease: { holder: (await a.status()).leadership?.self, generation: 1 } });
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);

    // A push to the tracked branch: a delivery the daemon acts on (reconciles).
    const payload = pushPayload(remote.url, 'acme/manifests', 'main', remote.first);
    const ids = Array.from({ length: unique }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    // Each delivery goes to one daemon; every ninth goes to both, the two posts sent at
    // the same moment (a redelivery landing on the other machine while the first is in flight).
    const units: { id: string; to: HaDaemon[] }[] = ids.map((id, i) => ({ id, to: [i % 2 ? b : a] }));
    for (let i = 0; i < crossDuplicates; i++) units[i * 9]!.to.push(units[i * 9]!.to[0] === a ? b : a);
    expect(units.reduce((n, u) => n + u.to.length, 0)).toBe(unique + crossDuplicates);
    const forged = await signed('push', payload, { secret: 'not-the-secret' });
    const send = async ({ id, to }: { id: string; to: HaDaemon[] }) => {
      const delivery = await signed('push', payload, { secret: webhookSecret, id });
      return Promise.all(to.map(async (daemon) => ({ id, ...(await deliver(daemon.url, delivery)) })));
    };
    const answers = (await inParallel(units.map((unit) => () => send(unit)), 32)).flat();
    expect(answers).toHaveLength(unique + crossDuplicates);
    const refused = await deliver(b.url, forged);
    expect(refused.status).toBe(401);

    const accepted = new Map<string, number>();
    for (const answer of answers) {
      expect([200, 202], JSON.stringify(answer)).toContain(answer.status);
      if (answer.status === 202) accepted.set(answer.id, (accepted.get(answer.id) ?? 0) + 1);
      else expect(answer.body).toEqual({ status: 'duplicate' });
    }
    expect(accepted.size).toBe(unique);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);

    // The leader acts on each once: what B took reaches it through the store's inbox.
    const handled = await waitFor(() => {
      const counts = handledIn(a.output());
      return counts.size >= unique ? counts : undefined;
    }, 'the leader to act on every delivery', 60_000);
    expect(handled.size).toBe(unique);
    expect([...handled.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(handledIn(b.output()).size).toBe(0);

    const results = await sql<{ result: string; n: string }>(url, 'SELECT result, count(*) AS n FROM deliveries GROUP BY result');
    expect(Object.fromEntries(results.map((r) => [r.result, Number(r.n)]))).toEqual({ dispatched: unique });
    expect(Number((await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM inbox'))[0]!.n)).toBe(0);
    expect(await b.term()).toEqual({ code: 0, signal: null });
    expect(await a.term()).toEqual({ code: 0, signal: null });
  });
});
