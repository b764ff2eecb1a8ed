// What the daemon does with a revision whose run did not finish its work: a run that
// failed in Waypoint, actions that ran out of retries in an outage, a refused revision
// followed by a fix. Found by the reliability scenarios (npm run soak: a 30 s Waypoint
// outage left the daemon unconverged); here each is brought about quickly, through a
// recording proxy in front of the emulator that can refuse calls.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { convergedAt, githubAlias, startTestDaemon, statusWhere, stopAllDaemons, waitFor, waypointToken, webhookSecret, type TestDaemon } from './support/daemon-harness.js';
import { app, manifestRemote, upsOf } from './support/daemon-scenario.js';
import { deliver, pushPayload, signed } from './support/daemon-webhooks.js';
import { createSourceRepo, removeTemporaryFolders } from './support/git-repos.js';
import { manifestFiles } from './support/reconcile-manifests.js';
import { startGrpcTap, type GrpcTap } from './support/reliability/grpc-tap.js';

let emulator: Emulator;
let tap: GrpcTap;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
  tap = await startGrpcTap(emulator.address);
});

afterEach(async () => {
  await stopAllDaemons();
});

afterAll(async () => {
  await tap?.close();
  await emulator?.stop();
  await removeTemporaryFolders();
});

const UNAVAILABLE = 14;
const UNAUTHENTICATED = 16;

function daemonOn(url: string, pollMs: number): Promise<TestDaemon> {
  return startTestDaemon({ emulator, repository: { url, branch: 'main' }, config: { waypoint: { address: tap.address, tls: 'off', token: waypointToken }, pollMs } });
}

/** Up jobs of `project` whose config hash is not among `before`'s: the jobs of a new config. */
const newUps = (project: string, before: Set<string | undefined>) => upsOf(emulator, project).filter((j) => !before.has(j.configHash));

describe('a run that did not finish its work', () => {
  it('is run again, whole, once Waypoint answers: a revision whose run Waypoint refused is deployed', { timeout: 90_000 }, async () => {
    const source = await createSourceRepo('refused-run');
    const names = ['a', 'b', 'c'];
    const remote = await manifestRemote({ name: 'refused', apps: names.map((n) => app(n, source.url)) });
    const d = await daemonOn(remote.url, 200);
    const keys = names.map((n) => `refused/${n}`);
    await statusWhere(d, convergedAt(remote.first, keys), 'the first revision converged', 60_000);
    const before = new Set(upsOf(emulator, 'refused').map((j) => j.configHash));

    // Waypoint refuses the token while the next revision is read: its run fails at once.
    const lift = tap.refuse(() => true, UNAUTHENTICATED, 'invalid authentication token');
    const next = await remote.push({ name: 'refused', apps: names.map((n) => app(n, source.url, { memory: 1024 })) });
    try {
      await statusWhere(d, (s) => s.lastRun?.revision === next && s.lastRun.outcome === 'failed', 'the run of the new revision to fail', 60_000);
    } finally {
      lift();
    }

    // The token works again; the next polls must deploy the revision's change to every app.
    await waitFor(() => newUps('refused', before).length === names.length, 'the new revision deployed after Waypoint accepted the token again', 30_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}; jobs of the new config: ${newUps('refused', before).length}; runs logged: ${JSON.stringify(d.logs.lines().filter((l) => /^reconcile/.test(String(l.msg))).map((l) => [l.msg, l.outcome, l.revision]))}`);
      });
    await statusWhere(d, convergedAt(next, keys), 'the new revision converged', 30_000);
  });

  it('is retried at the next poll when its actions ran out of retries in a Waypoint outage', { timeout: 120_000 }, async () => {
    const source = await createSourceRepo('outlasted');
    const names = ['a', 'b', 'c', 'd'];
    const remote = await manifestRemote({ name: 'outlasted', apps: names.map((n) => app(n, source.url)) });
    // Every QueueJob answers UNAVAILABLE until every deploy has used its attempts (src/reconciler/backoff.ts).
    const lift = tap.refuse((call) => call.method === 'QueueJob', UNAVAILABLE, 'the server is unavailable');
    let d: TestDaemon;
    try {
      d = await daemonOn(remote.url, 200);
      await statusWhere(d, (s) => s.lastRun?.revision === remote.first && s.lastRun.outcome === 'partial', 'the run to end with its deploys failed', 60_000);
    } finally {
      lift();
    }
    expect(upsOf(emulator, 'outlasted')).toEqual([]);

    await waitFor(() => upsOf(emulator, 'outlasted').length === names.length, 'the failed deploys retried once Waypoint answers', 30_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}; up jobs: ${upsOf(emulator, 'outlasted').length}; runs logged: ${JSON.stringify(d.logs.lines().filter((l) => /^reconcile/.test(String(l.msg))).map((l) => [l.msg, l.outcome]))}`);
      });
    await statusWhere(d, convergedAt(remote.first, names.map((n) => `outlasted/${n}`)), 'every app converged', 30_000);
  });

  it('keeps the valid changes of a refused revision: the commit that fixes it applies them', { timeout: 90_000 }, async () => {
    const source = await createSourceRepo('kept-changes');
    const fullName = 'acme/kept-changes';
    const one = { name: 'kept-one', apps: [app('web', source.url)] };
    const two = { name: 'kept-two', apps: [app('api', source.url)] };
    const remote = await createSourceRepo('kept-manifests', manifestFiles(one, two));
    const url = githubAlias(process.env, fullName, remote.bare);
    const d = await startTestDaemon({ emulator, repository: { url, branch: 'main' }, config: { waypoint: { address: tap.address, tls: 'off', token: waypointToken } } });
    const push = async (commit: string) => expect((await deliver(d.url, await signed('push', pushPayload(url, fullName, 'main', commit), { secret: webhookSecret }))).status).toBe(202);
    await statusWhere(d, convergedAt(remote.first, ['kept-one/web', 'kept-two/api']), 'the first revision converged', 60_000);
    const before = new Set(upsOf(emulator, 'kept-one').map((j) => j.configHash));

    // One commit: kept-one's memory changes (valid), kept-two breaks. Refused whole.
    const broken = manifestFiles({ ...two, apps: [app('api', source.url)] })['kept-two/pilot.yaml']!.replace('platform: ecs', 'platform: mainframe');
    const refused = await remote.commit({ ...manifestFiles({ ...one, apps: [app('web', source.url, { memory: 1024 })] }), 'kept-two/pilot.yaml': broken });
    await push(refused);
    await statusWhere(d, (s) => s.rejected?.revision === refused, 'the broken revision refused');

    // The next commit fixes kept-two only: kept-one's change, never applied, is still wanted.
    const fixed = await remote.commit(manifestFiles(two));
    await push(fixed);
    await statusWhere(d, (s) => s.lastRun?.revision === fixed && !s.running, 'the fixed revision run');
    await waitFor(() => newUps('kept-one', before).length === 1, "kept-one's change deployed", 20_000).catch((error: Error) => {
      throw new Error(`${error.message}: the fixed revision ${fixed.slice(0, 12)} is shown applied, but kept-one still runs the config of ${remote.first.slice(0, 12)}`);
    });
  });
});
