// `pilot serve` in-process: the daemon on a random loopback port, a real bare manifest
// repository (file:// or `git http-backend`), GitHub's example payloads signed here, and
// the Waypoint emulator over gRPC.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { folderSource, type ManifestSource } from '../src/daemon/manifest-source.js';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { cli } from './support/cli.js';
import { convergedAt, getJson, startTestDaemon, statusWhere, stopAllDaemons, waitFor, waypointToken, webhookSecret, type TestDaemon } from './support/daemon-harness.js';
import { app, branch, githubSource, manifestRemote, repoToken, servedManifests, upsOf } from './support/daemon-scenario.js';
import { deliver, example, postLarge, pushPayload, releasePayload, signed } from './support/daemon-webhooks.js';
import type { GitHttpServer } from './support/git-http-server.js';
import { createManifestRepo, git, removeTemporaryFolders } from './support/git-repos.js';
import { manifestFiles } from './support/reconcile-manifests.js';

let emulator: Emulator;
const servers: GitHttpServer[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
});

afterEach(async () => {
  emulator.faults.clear();
  await stopAllDaemons();
  for (const server of servers.splice(0)) await server.close();
});

afterAll(async () => {
  await emulator?.stop();
  await removeTemporaryFolders();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
});

const webhookRequests = (d: TestDaemon) => d.requests.flatMap((r) => (r.kind === 'branch' && r.triggers.includes('webhook') ? [r] : []));

/** Sends a ping and waits until the daemon handled it: every delivery answered before it was dispatched. */
async function barrier(d: TestDaemon): Promise<void> {
  const ping = await signed('ping', example('ping'), { secret: webhookSecret });
  expect((await deliver(d.url, ping)).status).toBe(202);
  await waitFor(() => d.logs.lines().some((l) => l.delivery === ping.headers['x-github-delivery'] && l.msg === 'webhook delivery handled'), 'the ping to be handled');
}

describe('the manifest repository: webhook and polling', () => {
  it('converges a push through git http-backend when a signed push webhook arrives (polling off)', async () => {
    const web = await githubSource('web');
    const project = (memory: number) => ({ name: 'wh', apps: [app('web', web.https, { memory })] });
    const { remote, server, url } = await servedManifests(project(512));
    servers.push(server);
    const d = await startTestDaemon({ emulator, repository: { url, branch: 'main', token: repoToken } });
    await statusWhere(d, convergedAt(remote.first, ['wh/web']), 'the first revision converged');
    expect(upsOf(emulator, 'wh')).toHaveLength(1);

    const next = await remote.push(project(1024));
    const answer = await deliver(d.url, await signed('push', pushPayload(url, 'acme/manifests', 'main', next, ['wh/pilot.yaml']), { secret: webhookSecret }));
    expect(answer).toEqual({ status: 202, body: { status: 'accepted', event: 'push' } });
    const status = await statusWhere(d, convergedAt(next, ['wh/web']), 'the pushed revision converged');
    expect(status.lastRun?.triggers).toEqual(['webhook']);
    expect(upsOf(emulator, 'wh').map((j) => j.commit)).toEqual([web.first, web.first]);
    expect(status.apps.find((a) => a.app === 'web')?.detail).toBe('memory 512 -> 1024');
    expect(server.attempts.authorized).toBeGreaterThan(0);
  });

  it('converges the same change without a webhook by polling', async () => {
    const web = await githubSource('web');
    const project = (memory: number) => ({ name: 'poll', apps: [app('web', web.https, { memory })] });
    const remote = await manifestRemote(project(512));
    const d = await startTestDaemon({ emulator, repository: { url: remote.url, branch: 'main' }, config: { pollMs: 200 } });
    await statusWhere(d, convergedAt(remote.first, ['poll/web']), 'the first revision converged');
    const next = await remote.push(project(1024));
    const status = await statusWhere(d, convergedAt(next, ['poll/web']), 'the pushed revision converged by polling');
    expect(status.lastRun?.triggers).toContain('poll');
    expect(upsOf(emulator, 'poll')).toHaveLength(2);
    expect(webhookRequests(d)).toEqual([]);
  });

  it("accepts GitHub's push, pull_request, release and ping examples; refuses bad deliveries with nothing queued; processes a delivery id once", async () => {
    const web = await githubSource('web');
    const project = (memory: number) => ({ name: 'gh', apps: [app('web', web.https, { memory })] });
    const { remote, server, url } = await servedManifests(project(512));
    servers.push(server);
    const d = await startTestDaemon({ emulator, repository: { url, branch: 'main', token: repoToken } });
    const first = await statusWhere(d, convergedAt(remote.first, ['gh/web']), 'the first revision converged');

    for (const [event, payload, kind] of [
      ['push', example('push'), 'push'], ['pull_request', example('pull_request', 'opened'), 'pull_request'],
      ['release', example('release', 'published'), 'release'], ['ping', example('ping'), 'ping'],
    ] as const) {
      expect(await deliver(d.url, await signed(event, payload, { secret: webhookSecret })), event).toEqual({ status: 202, body: { status: 'accepted', event: kind } });
    }

    // A delivery that would queue a reconcile, refused five ways.
    const next = await remote.push(project(1024));
    const good = await signed('push', pushPayload(url, 'acme/manifests', 'main', next), { secret: webhookSecret });
    const noEvent = { ...good.headers };
    delete noEvent['x-github-event'];
    const refusals = [
      [{ ...good, headers: { ...good.headers, 'x-hub-signature-256': (await signed('push', good.body, { secret: 'not-the-secret' })).headers['x-hub-signature-256']! } }, 401],
      [{ ...good, headers: { ...good.headers, 'x-github-delivery': '' } }, 400],
      [{ ...good, headers: noEvent }, 400],
      [{ ...good, headers: { ...good.headers, 'content-type': 'application/x-www-form-urlencoded' } }, 415],
    ] as const;
    for (const [delivery, status] of refusals) expect((await deliver(d.url, delivery)).status).toBe(status);
    expect(await postLarge(d.url, good.headers, 25 * 1024 * 1024 + 1)).toBe(413);
    await barrier(d);
    expect(webhookRequests(d)).toEqual([]);
    expect(d.daemon.queue.size).toBe(0);
    expect((await d.status()).lastRun).toEqual(first.lastRun);
    expect(upsOf(emulator, 'gh')).toHaveLength(1);

    // The same delivery twice: processed once.
    expect(await deliver(d.url, good)).toEqual({ status: 202, body: { status: 'accepted', event: 'push' } });
    expect(await deliver(d.url, good)).toEqual({ status: 200, body: { status: 'duplicate' } });
    await statusWhere(d, convergedAt(next, ['gh/web']), 'the pushed revision converged');
    await barrier(d);
    expect(webhookRequests(d)).toHaveLength(1);
    expect(upsOf(emulator, 'gh')).toHaveLength(2);
    const metrics = await (await fetch(`${d.url}/metrics`)).text();
    expect(metrics).toMatch(/^pilot_webhook_deliveries_total\{result="queued"\} 1$/m);
    for (const secret of [repoToken, webhookSecret, waypointToken]) expect(d.logs.text()).not.toContain(secret);
  });

  it("redeploys only the apps tracking an app source repository when it is pushed to", async () => {
    const [a, b] = await Promise.all([githubSource('alpha'), githubSource('beta')]);
    await branch(a, 'stable');
    const remote = await manifestRemote(
      { name: 'src-one', apps: [app('web', a.https), app('api', b.https)] },
      { name: 'src-two', apps: [app('site', a.https, { ref: 'stable' })] },
      { name: 'src-three', apps: [app('tool', b.https)] },
    );
    const d = await startTestDaemon({ emulator, repository: { url: remote.url, branch: 'main' } });
    const keys = ['src-one/web', 'src-one/api', 'src-two/site', 'src-three/tool'];
    await statusWhere(d, convergedAt(remote.first, keys), 'every app converged');
    const moved = await a.commit({ 'index.js': 'export default 2;\n' });

    const answer = await deliver(d.url, await signed('push', pushPayload(a.https, a.fullName, 'main', moved), { secret: webhookSecret }));
    expect(answer.status).toBe(202);
    await waitFor(() => upsOf(emulator, 'src-one').some((j) => j.app === 'web' && j.commit === moved), 'src-one/web redeployed');
    await statusWhere(d, (s) => s.running === undefined && s.lastRun?.triggers.includes('webhook') === true, 'the webhook run to finish');
    expect(webhookRequests(d).map((r) => r.apps)).toEqual([['src-one/web']]);
    expect(upsOf(emulator, 'src-one').map((j) => `${j.app} ${j.commit}`).sort()).toEqual([`api ${b.first}`, `web ${a.first}`, `web ${moved}`].sort());
    expect(upsOf(emulator, 'src-two')).toHaveLength(1);
    expect(upsOf(emulator, 'src-three')).toHaveLength(1);
  });

  it('deploys a published release in place of the branch it was cut from, until that branch moves', async () => {
    const web = await githubSource('rel');
    const remote = await manifestRemote({ name: 'rel', apps: [app('web', web.https), app('pinned', web.https, { ref: 'v2' })] }, { name: 'rel-other', apps: [app('web', web.https, { ref: 'stable' })] });
    await git(web.bare, ['tag', 'v2', 'refs/heads/main']);
    await branch(web, 'stable');
    const d = await startTestDaemon({ emulator, repository: { url: remote.url, branch: 'main' } });
    await statusWhere(d, convergedAt(remote.first, ['rel/web', 'rel/pinned', 'rel-other/web']), 'every app converged');

    // The release is tagged on a commit that main does not point at (a hotfix tagged from a detached head).
    const tagged = await web.commit({ 'index.js': 'export default "v3";\n' });
    await git(web.bare, ['tag', 'v3', tagged]);
    await git(web.bare, ['update-ref', 'refs/heads/main', web.first]);
    const answer = await deliver(d.url, await signed('release', releasePayload(web.https, web.fullName, 'v3', 'main'), { secret: webhookSecret }));
    expect(answer.status).toBe(202);
    await waitFor(() => upsOf(emulator, 'rel').some((j) => j.app === 'web' && j.commit === tagged), 'rel/web deployed the release');
    await statusWhere(d, (s) => s.running === undefined && s.lastRun?.triggers.includes('webhook') === true, 'the webhook run to finish');
    expect(webhookRequests(d).map((r) => [r.apps, r.refs])).toEqual([[['rel/web'], { 'rel/web': 'v3' }]]);
    const status = await getJson(`${d.url}/api/status`);
    expect(JSON.stringify(status.body)).toContain('(release v3)');
    expect(upsOf(emulator, 'rel-other')).toHaveLength(1);
    expect(upsOf(emulator, 'rel').filter((j) => j.app === 'pinned')).toHaveLength(1);

    // A full reconcile keeps the release while main stays where it was.
    expect((await cli(['sync', '--url', d.url])).code).toBe(0);
    await statusWhere(d, (s) => s.running === undefined && s.lastRun?.triggers.includes('sync') === true, 'the sync run to finish');
    expect(upsOf(emulator, 'rel').filter((j) => j.app === 'web').map((j) => j.commit)).toEqual([web.first, tagged]);

    // main moves: the app follows its branch again.
    const moved = await web.commit({ 'index.js': 'export default 4;\n' });
    await deliver(d.url, await signed('push', pushPayload(web.https, web.fullName, 'main', moved), { secret: webhookSecret }));
    await waitFor(() => upsOf(emulator, 'rel').some((j) => j.app === 'web' && j.commit === moved), 'rel/web back on main');
  });
});

describe('health, readiness, metrics, status and sync', () => {
  it('is not ready before the source is read or while Waypoint is down, and says why', async () => {
    const web = await githubSource('web');
    const manifests = await createManifestRepo(manifestFiles({ name: 'http', apps: [app('web', web.https)] }));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated = (): ManifestSource => {
      const inner = folderSource(manifests.dir);
      return { describe: manifests.dir, next: () => gate.then(() => inner.next()) };
    };
    const d = await startTestDaemon({ emulator, source: gated });
    try {
      expect(await getJson(`${d.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'alive' } });
      expect(await getJson(`${d.url}/readyz`)).toMatchObject({ status: 503, body: { ready: false, reason: 'the manifest repository has not been read yet' } });
    } finally {
      open();
    }
    const status = await statusWhere(d, (s) => s.apps.some((a) => a.app === 'web' && a.state === 'converged') && !s.running, 'the folder converged');
    expect(status).toMatchObject({ ready: { source: true, store: true }, lastErrors: [], lastRun: { outcome: 'converged', triggers: ['startup'], jobsQueued: 1 } });
    expect(await getJson(`${d.url}/readyz`)).toEqual(expect.objectContaining({ status: 200, body: { ready: true } }));

    emulator.faults.unavailable(60_000);
    try {
      expect(await getJson(`${d.url}/readyz`)).toMatchObject({ status: 503, body: { ready: false, reason: 'Waypoint is not reachable' } });
    } finally {
      emulator.faults.available();
    }
    expect((await getJson(`${d.url}/readyz`)).status).toBe(200);

    const metrics = await fetch(`${d.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^pilot_reconcile_duration_seconds_count\{outcome="converged"\} 1$/m);
    expect(text).toMatch(/^pilot_jobs_total\{outcome="done"\} 1$/m);
    expect(text).toMatch(/^# TYPE pilot_webhook_deliveries_total counter$/m);
    expect(text).toMatch(/^pilot_seconds_since_last_successful_reconcile \d+(\.\d+)?(e-\d+)?$/m);
    expect(text).toContain(`pilot_current_revision{revision="${status.revision}"} 1`);

    const page = await fetch(`${d.url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<td>http/web</td><td>converged</td>');
    expect(html).toContain(`Revision <code>${status.revision}</code>`);
    expect(html).toMatch(/Ready\./);

    const sync = await cli(['sync', '--url', d.url]);
    expect(sync, sync.stderr).toMatchObject({ code: 0, stdout: `reconcile queued at ${d.url}; watch ${d.url}/ or ${d.url}/api/status\n` });
    expect(d.requests.at(-1)).toEqual({ kind: 'branch', triggers: ['sync'], full: true, apps: [], refs: {} });
    await statusWhere(d, (s) => s.lastRun?.triggers.join() === 'sync' && !s.running, 'the sync run');
    expect(upsOf(emulator, 'http')).toHaveLength(1);
  });
  it('shows a cloud stack that cannot be planned among the last errors, and the app it holds back as blocked', async () => {
    const web = await githubSource('web');
    const manifests = await createManifestRepo(manifestFiles({ name: 'nocloud', apps: [app('web', web.https)] }));
    // Real terraform with no way to download the aws provider on this machine.
    const d = await startTestDaemon({ emulator, folder: manifests.dir, config: { clouds: { mode: 'terraform' } } });
    const status = await statusWhere(d, (s) => s.lastRun !== undefined && !s.running, 'the first run');
    // The project and app are registered in Waypoint; nothing is deployed.
    expect(status.lastRun?.outcome).toBe('partial');
    expect(status.lastErrors).toEqual([expect.stringMatching(/^stack:nocloud\/aws\/us-east-1: .*hashicorp\/aws.*terraform\.mirror/)]);
    expect(status.apps).toEqual([expect.objectContaining({ app: 'web', state: 'blocked', detail: expect.stringContaining('blocked by stack:nocloud/aws/us-east-1') })]);
    expect(status.stacks).toEqual([expect.objectContaining({ id: 'stack:nocloud/aws/us-east-1', state: 'failed', detail: expect.stringContaining('hashicorp/aws') })]);
    expect(await (await fetch(`${d.url}/`)).text()).toMatch(/<h2>Cloud stacks<\/h2>[\s\S]*<td>nocloud aws us-east-1<\/td><td>failed<\/td>/);
    expect(upsOf(emulator, 'nocloud')).toEqual([]);
  });

  it('applies a stack through the stand-in before the app that reads its database, and shows it converged', async () => {
    const web = await githubSource('web');
    const manifests = await createManifestRepo(manifestFiles({
      name: 'withdb', apps: [app('web', web.https, { env: { DATABASE_URL: { fromDatabase: 'main', property: 'url' } } })], databases: [{ name: 'main' }],
    }));
    const d = await startTestDaemon({ emulator, folder: manifests.dir, config: { clouds: { mode: 'stand-in' } } });
    const status = await statusWhere(d, (s) => s.lastRun?.outcome === 'converged' && !s.running, 'the folder converged');
    expect(status.stacks).toEqual([expect.objectContaining({ id: 'stack:withdb/aws/us-east-1', state: 'converged', detail: expect.stringMatching(/^applied: \d+ to create$/) })]);
    expect(status.apps).toEqual([expect.objectContaining({ app: 'web', state: 'converged' })]);
    expect(upsOf(emulator, 'withdb')).toHaveLength(1);
  });

  it('says it is ready on /api/status and the status page once it has reconciled, before anyone asks /readyz', async () => {
    const web = await githubSource('web');
    const manifests = await createManifestRepo(manifestFiles({ name: 'page', apps: [app('web', web.https)] }));
    const d = await startTestDaemon({ emulator, folder: manifests.dir });
    const status = await statusWhere(d, (s) => s.lastRun?.outcome === 'converged' && !s.running, 'the folder converged');
    expect(status.ready).toEqual({ source: true, waypoint: true, store: true, manifests: true, disk: true });
    expect(await (await fetch(`${d.url}/`)).text()).toContain('<p>Ready.');
  });
});

describe('what a reconcile does with a revision', () => {
  it('keeps the last good revision when a commit has invalid manifests, and applies the fix', async () => {
    const web = await githubSource('web');
    const remote = await manifestRemote({ name: 'bad', apps: [app('web', web.https)] });
    const d = await startTestDaemon({ emulator, repository: { url: remote.url, branch: 'main' }, config: { pollMs: 200 } });
    await statusWhere(d, convergedAt(remote.first, ['bad/web']), 'the first revision converged');
    const broken = await remote.commit({ 'bad/pilot.yaml': manifestFiles({ name: 'bad', apps: [app('web', web.https)] })['bad/pilot.yaml']!.replace('platform: ecs', 'platform: mainframe') });
    const status = await statusWhere(d, (s) => s.rejected?.revision === broken, 'the broken revision rejected');
    expect(status.revision).toBe(remote.first);
    expect(status.rejected?.reason).toMatch(/manifest error/);
    expect(status.lastErrors.join('\n')).toMatch(/^bad\/pilot\.yaml:\d+:\d+: apps\[0\]\.deploy\.platform/m);
    expect(upsOf(emulator, 'bad')).toHaveLength(1);

    const fixed = await remote.push({ name: 'bad', apps: [app('web', web.https, { memory: 1024 })] });
    const after = await statusWhere(d, convergedAt(fixed, ['bad/web']), 'the fixed revision converged');
    expect(after.rejected).toBeUndefined();
    expect(upsOf(emulator, 'bad')).toHaveLength(2);
  });

  it('reconciles a watched folder when a file changes', async () => {
    const web = await githubSource('web');
    const manifests = await createManifestRepo(manifestFiles({ name: 'watch', apps: [app('web', web.https)] }));
    const d = await startTestDaemon({ emulator, folder: manifests.dir, watch: true });
    const first = await statusWhere(d, (s) => s.lastRun?.outcome === 'converged' && !s.running, 'the folder converged');
    await manifests.commit(manifestFiles({ name: 'watch', apps: [app('web', web.https, { memory: 2048 })] }));
    const status = await statusWhere(d, (s) => s.revision !== first.revision && s.lastRun?.outcome === 'converged' && !s.running, 'the change reconciled');
    expect(status.lastRun?.triggers).toEqual(['watch']);
    expect(upsOf(emulator, 'watch')).toHaveLength(2);
  });
  it('re-plans only the projects whose manifest files changed; a full reconcile picks up the rest', async () => {
    const alphaSource = await githubSource('alpha-web');
    const betaSource = await githubSource('beta-web');
    const alpha = { name: 'alpha', apps: [app('web', alphaSource.https)] };
    const beta = { name: 'beta', apps: [app('web', betaSource.https)] };
    const manifests = await createManifestRepo(manifestFiles(alpha, beta));
    const d = await startTestDaemon({ emulator, folder: manifests.dir, watch: true });
    const first = await statusWhere(d, (s) => s.lastRun?.outcome === 'converged' && !s.running, 'both projects converged');
    // beta's source moves, but only alpha's file changes: the watch run must leave beta alone.
    await betaSource.commit({ 'index.js': 'console.log(2)\n' });
    await manifests.commit(manifestFiles({ name: 'alpha', apps: [app('web', alphaSource.https, { memory: 1024 })] }, beta));
    const second = await statusWhere(d, (s) => s.revision !== first.revision && s.lastRun?.outcome === 'converged' && !s.running, 'the alpha change reconciled');
    expect(second.lastRun?.triggers).toEqual(['watch']);
    expect(upsOf(emulator, 'alpha')).toHaveLength(2);
    expect(upsOf(emulator, 'beta')).toHaveLength(1);
    const synced = await cli(['sync', '--url', d.url]);
    expect(synced.code).toBe(0);
    await waitFor(() => upsOf(emulator, 'beta').length === 2, 'the full reconcile to redeploy beta');
  });
});

describe('drift', () => {
  const driftApp = (repo: string) => app('web', repo, { env: { DATABASE_URL: { fromSecret: 'aws-ssm:/prod/db-url' } } });

  async function deletedConfig(project: string, selfHeal: boolean) {
    const web = await githubSource('web');
    const remote = await manifestRemote({ name: project, apps: [driftApp(web.https)] });
    const client = await WaypointClient.connect({ address: emulator.address, tls: 'off', token: waypointToken });
    const d = await startTestDaemon({ emulator, repository: { url: remote.url, branch: 'main' }, config: { driftMs: 1000, selfHeal } });
    await statusWhere(d, convergedAt(remote.first, [`${project}/web`]), 'the first revision converged');
    expect(Object.keys(await client.getAppConfig(project, 'web'))).toEqual(['DATABASE_URL']);
    const at = new Date().toISOString();
    await client.deleteAppConfig(project, 'web', ['DATABASE_URL']);
    const status = await statusWhere(d, (s) => s.drift !== undefined && s.drift.at > at && s.drift.changes > 0 && !s.running, 'a drift check that finds the change');
    return { status, client, d };
  }

  it("heals a deleted config variable on the drift schedule", async () => {
    const { status, client } = await deletedConfig('drift-heal', true);
    try {
      expect(status.drift?.healed).toBe(true);
      expect(await client.getAppConfig('drift-heal', 'web')).toEqual({ DATABASE_URL: { kind: 'dynamic', from: 'aws-ssm', config: { path: '/prod/db-url' } } });
      expect(upsOf(emulator, 'drift-heal')).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it('with self-heal off, only reports the drift', async () => {
    const { status, client } = await deletedConfig('drift-report', false);
    try {
      expect(status.drift?.healed).toBe(false);
      expect(await client.getAppConfig('drift-report', 'web')).toEqual({});
      expect(upsOf(emulator, 'drift-report')).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it('redeploys an app whose job failed on the drift schedule', async () => {
    const web = await githubSource('web');
    const remote = await manifestRemote({ name: 'drift-fail', apps: [app('web', web.https)] });
    emulator.faults.failApps = new Set(['drift-fail/web']);
    const d = await startTestDaemon({ emulator, repository: { url: remote.url, branch: 'main' }, config: { driftMs: 1000 } });
    await statusWhere(d, (s) => s.apps.some((a) => a.app === 'web' && a.state === 'failed'), 'the failed deploy');
    emulator.faults.clear();
    await statusWhere(d, convergedAt(remote.first, ['drift-fail/web']), 'the failed app healed by a drift run', 15_000);
    expect(upsOf(emulator, 'drift-fail')).toHaveLength(2);
  });
});
