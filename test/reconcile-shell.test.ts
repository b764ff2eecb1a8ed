// The reconcile shell and its apply loop against in-memory Waypoint and store: what is
// blocked, what waits for a driver, an interrupted follow, retries by error kind, an
// invalid revision. Milliseconds a case: no git, gRPC, terraform or real backoff.

import { describe, expect, it } from 'vitest';
import type { Clouds } from '../src/drivers/clouds.js';
import { configHash } from '../src/reconcile/build-targets.js';
import { reconcile, type ReconcileOutcome } from '../src/reconcile/reconcile.js';
import type { ApplyOptions } from '../src/reconciler/apply.js';
import { silentLogger } from '../src/reconciler/logger.js';
import type { Store } from '../src/reconciler/store-port.js';
import { loadDesiredState, type LoadResult } from '../src/sources/manifests/load.js';
import { fakeClouds } from './fakes/clouds-fake.js';
import { openMemoryStore } from './fakes/memory-store.js';
import { fakeWaypoint, type FakeWaypoint } from './fakes/waypoint-fake.js';
import { manifestFiles, type AppOptions, type ProjectOptions } from './support/reconcile-manifests.js';
import { commitA, revision } from './support/reconcile-plan.js';

const retry = { attempts: 3, baseMs: 1, maxMs: 2 };
const app = (name: string, more: Partial<AppOptions> = {}): AppOptions => ({ name, repo: `https://git.example.test/${name}.git`, platform: 'ecs', ...more });
const load = (project: ProjectOptions): LoadResult => loadDesiredState(Object.entries(manifestFiles(project)).map(([path, content]) => ({ path, content })));

// Loaded once, at collection: the first load compiles the manifest schema.
const webOnly = load({ name: 'acme', apps: [app('web')] });
const apiAndWeb = load({ name: 'acme', apps: [app('api'), app('web', { dependsOn: ['api'] })] });
const needsCloud = load({
  name: 'acme', databases: [{ name: 'main' }],
  apps: [app('site', { platform: 'static', outputDir: 'dist' }), app('svc', { env: { DATABASE_URL: { fromDatabase: 'main', property: 'url' } } }), app('web')],
});

interface Shell { loaded: LoadResult; waypoint: FakeWaypoint; store?: Store; clouds?: Clouds }

function run({ loaded, waypoint, store = openMemoryStore(), clouds }: Shell, options: ApplyOptions = {}): Promise<ReconcileOutcome> {
  const source = { resolveCommit: async () => commitA };
  return reconcile({ loaded, revision, trigger: 'test', source, store, waypoint, logger: silentLogger, retry, ...(clouds ? { clouds } : {}) }, { retry, ...options });
}

const result = (outcome: ReconcileOutcome, id: string) => outcome.applied?.results.find((r) => r.id === id);
const callsOf = (waypoint: FakeWaypoint, method: string) => waypoint.calls.filter((c) => c.method === method).length;

/** A run of webOnly stopped while following its job: the job held in Waypoint and open in the store. */
async function interruptedWeb() {
  const waypoint = fakeWaypoint();
  const store = openMemoryStore();
  waypoint.script('acme', 'web', { state: 'hold' });
  const stop = new AbortController();
  await run({ loaded: webOnly, waypoint, store }, { signal: stop.signal, onProgress: (e) => e.type === 'job' && stop.abort() });
  const [open] = await store.openJobs();
  return { waypoint, store, open };
}

describe('reconcile shell', () => {
  it('blocked: an app whose dependency failed is blocked by it, and its job is never queued', async () => {
    const waypoint = fakeWaypoint();
    waypoint.script('acme', 'api', { state: 'error', error: 'build failed: exit status 1', lastLines: ['npm ERR! missing script: build'] });
    const outcome = await run({ loaded: apiAndWeb, waypoint });
    expect(result(outcome, 'deploy:acme/api')).toMatchObject({ status: 'failed', errorKind: 'stalled', error: expect.stringContaining('build failed'), lastLines: ['npm ERR! missing script: build'] });
    expect(result(outcome, 'deploy:acme/web')).toMatchObject({ status: 'blocked', reasons: expect.arrayContaining(['blocked by deploy:acme/api']) });
    expect(waypoint.queued().map((job) => job.app)).toEqual(['api']);
    expect(outcome.applied?.outcome).toBe('partial');
  });

  it.each([['absent', undefined], ['off', fakeClouds({ mode: 'off' })]])('waits-for-driver: with clouds %s, database and static apps wait and only the others are queued', async (_, clouds) => {
    const waypoint = fakeWaypoint();
    const outcome = await run({ loaded: needsCloud, waypoint, ...(clouds ? { clouds } : {}) });
    expect(result(outcome, 'stack:acme/aws/us-east-1')).toMatchObject({ kind: 'provision-stack', status: 'unsupported', reasons: ['needs the aws driver (database main, static hosting for site)'] });
    for (const id of ['deploy:acme/site', 'deploy:acme/svc', 'config:acme/svc']) expect(result(outcome, id)).toMatchObject({ status: 'blocked', waitsForDriver: true });
    expect(waypoint.queued().map((job) => job.app)).toEqual(['web']);
    expect(callsOf(waypoint, 'setConfig')).toBe(0);
    expect(outcome.applied?.outcome).toBe('converged');
  });

  it('interrupted: an abort while following leaves the job open, and the next reconcile re-attaches to it', async () => {
    const waypoint = fakeWaypoint();
    const store = openMemoryStore();
    waypoint.script('acme', 'web', { state: 'hold' });
    const stop = new AbortController();
    const first = await run({ loaded: webOnly, waypoint, store }, { signal: stop.signal, onProgress: (e) => e.type === 'job' && stop.abort() });
    expect(first.applied?.outcome).toBe('interrupted');
    expect(result(first, 'deploy:acme/web')?.status).toBe('interrupted');
    const [open] = await store.openJobs();
    expect(open).toMatchObject({ project: 'acme', app: 'web', state: 'queued' });

    const second = await run({ loaded: webOnly, waypoint, store }, { onProgress: (e) => e.type === 'start' && e.action.kind === 'attach' && waypoint.release(open!.jobId) });
    expect(result(second, 'deploy:acme/web')).toMatchObject({ kind: 'attach', status: 'done', jobId: open!.jobId });
    expect(waypoint.queued()).toHaveLength(1);
    expect(await store.openJobs()).toEqual([]);
  });

  it('interrupted: actions still waiting for a slot when the run is stopped never start (a leader that lost its lock)', async () => {
    const waypoint = fakeWaypoint();
    const three = load({ name: 'acme', apps: [app('api'), app('web'), app('worker')] });
    for (const name of ['api', 'web', 'worker']) waypoint.script('acme', name, { state: 'hold' });
    const stop = new AbortController();
    const outcome = await run({ loaded: three, waypoint }, { concurrency: 1, signal: stop.signal, onProgress: (e) => e.type === 'job' && stop.abort() });
    const deploys = outcome.applied!.results.filter((r) => r.kind === 'deploy');
    expect(deploys.map((r) => r.status)).toEqual(['interrupted', 'interrupted', 'interrupted']);
    expect(waypoint.queued()).toHaveLength(1);
  });

  it('asks a shared store, before each action, whether this daemon still leads, and acts on nothing once it does not', async () => {
    const waypoint = fakeWaypoint();
    const store = openMemoryStore();
    let leading = true;
    const fenced: Store = Object.assign(Object.create(store) as Store, {
      assertLeading: async () => {
        if (!leading) throw Object.assign(new Error('another daemon leads now'), { kind: 'stalled', code: 'store.fenced' });
      },
    });
    leading = false;
    const outcome = await run({ loaded: webOnly, waypoint, store: fenced });
    expect(outcome.applied?.results.every((r) => r.status !== 'done')).toBe(true);
    expect(waypoint.queued()).toEqual([]);
    expect(callsOf(waypoint, 'ensureProject')).toBe(0);
  });

  it('a job Waypoint no longer has is recorded lost, and the app is deployed again', async () => {
    const { waypoint, store, open } = await interruptedWeb();
    waypoint.forget(open!.jobId);
    const second = await run({ loaded: webOnly, waypoint, store });
    const jobs = await store.history.recentJobs(5);
    expect(jobs.find((j) => j.jobId === open!.jobId)).toMatchObject({ state: 'lost', error: 'Waypoint no longer has this job' });
    expect(result(second, 'deploy:acme/web')).toMatchObject({ kind: 'deploy', status: 'done' });
    expect(waypoint.queued()).toHaveLength(2);
  });

  it('read-only (a pull request plan, pilot plan): plans beside the writer, settling and recording nothing', async () => {
    const { waypoint, store, open } = await interruptedWeb();
    waypoint.forget(open!.jobId);
    const runsBefore = (await store.history.lastRuns(10)).length;
    const source = { resolveCommit: async () => commitA };
    const planned = await reconcile({ loaded: webOnly, revision: 'f'.repeat(40), trigger: 'pull-request:7', source, store, waypoint, logger: silentLogger, retry, readOnly: true });
    expect(planned.plan?.actions.map((a) => a.id)).toContain('deploy:acme/web');
    expect(planned.applied).toBeUndefined();
    // The job the writer still follows stays open for it to settle; no run, no revision.
    expect(await store.openJobs()).toMatchObject([{ jobId: open!.jobId, state: 'queued' }]);
    expect((await store.history.lastRuns(10)).length).toBe(runsBefore);
    expect(store.revisions.has('f'.repeat(40))).toBe(false);
    expect(waypoint.queued()).toHaveLength(1);
  });

  it('read-only: a job the writer left open that has since succeeded counts as deployed, and stays open for the writer', async () => {
    const { waypoint, store, open } = await interruptedWeb();
    waypoint.release(open!.jobId);
    const source = { resolveCommit: async () => commitA };
    const planned = await reconcile({ loaded: webOnly, revision, trigger: 'pull-request:8', source, store, waypoint, logger: silentLogger, retry, readOnly: true });
    expect(planned.plan?.actions.filter((a) => a.kind === 'deploy')).toEqual([]);
    expect(await store.openJobs()).toMatchObject([{ jobId: open!.jobId }]);
  });

  it('a job in flight from a run that never recorded it is followed, not queued again', async () => {
    const waypoint = fakeWaypoint();
    const web = webOnly.state!.projects[0]!.apps[0]!;
    const source = { repo: web.source.repo, commit: commitA };
    const jobId = waypoint.seedJob({ operation: 'up', project: 'acme', app: 'web', intent: 'lost-intent', waypointHcl: '', source, revision, configHash: configHash(web) });
    let released = false;
    const release = () => !released && (released = true) && waypoint.release(jobId);
    const outcome = await run({ loaded: webOnly, waypoint }, { onProgress: (e) => e.type === 'job' && e.jobId === jobId && release() });
    // The store never heard of it, so the plan says deploy; Waypoint's answer just before queueing finds it.
    expect(result(outcome, 'deploy:acme/web')).toMatchObject({ kind: 'deploy', status: 'done', jobId });
    expect(waypoint.queued()).toEqual([]);
  });

  it.each([
    ['queueJob', 'transient', 2, 'deploy:acme/web', 'done', 3],
    ['ensureApp', 'transient', 2, 'app:acme/web', 'done', 3],
    ['queueJob', 'stalled', 1, 'deploy:acme/web', 'failed', 1],
    ['ensureApp', 'stalled', 1, 'app:acme/web', 'failed', 1],
  ] as const)('retry by error kind: %s failing %s x%i leaves %s %s after %i calls', async (method, kind, times, id, status, calls) => {
    const waypoint = fakeWaypoint();
    waypoint.fail(method, times, kind);
    const outcome = await run({ loaded: webOnly, waypoint });
    expect(result(outcome, id)).toMatchObject({ status, ...(status === 'failed' ? { errorKind: 'stalled' } : {}) });
    expect(callsOf(waypoint, method)).toBe(calls);
    expect(waypoint.queued()).toHaveLength(status === 'done' ? 1 : 0);
  });

  it('retry by error kind: a waiting failure is retried after its hint, not the policy backoff', async () => {
    const waypoint = fakeWaypoint();
    waypoint.fail('ensureProject', 1, 'waiting', { retryAfterMs: 7 });
    const delays: number[] = [];
    const outcome = await run({ loaded: webOnly, waypoint }, { onProgress: (e) => e.type === 'retry' && delays.push(e.delayMs) });
    expect(delays).toEqual([7]);
    expect(result(outcome, 'project:acme')?.status).toBe('done');
  });

  it('an invalid manifest set records an invalid run and applies nothing', async () => {
    const waypoint = fakeWaypoint();
    const store = openMemoryStore();
    const clouds = fakeClouds();
    const loaded = loadDesiredState([{ path: 'acme/pilot.yaml', content: 'apiVersion: pilot.dev/v1\nkind: Project\nname: acme\napps: nope\n' }]);
    const outcome = await run({ loaded, waypoint, store, clouds });
    expect(outcome).toMatchObject({ invalid: true });
    expect(outcome.applied).toBeUndefined();
    expect(store.revisions.get(revision)).toBe('invalid');
    expect((await store.history.lastRuns(1))[0]).toMatchObject({ revision, outcome: 'invalid' });
    expect([waypoint.calls, clouds.planned, clouds.applied]).toEqual([[], [], []]);
  });
});
