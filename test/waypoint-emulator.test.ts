// The Waypoint emulator over real gRPC on loopback: metadata and token checks, projects,
// QueueJob validation, the job state machine and scheduling, cancellation, job streams,
// config, formatting, faults, TLS, and `pilot dev waypoint` as a child process.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatHcl, HclSyntaxError, startEmulator, type Emulator, type EmulatorOptions } from '../src/dev/waypoint-emulator/index.js';
import { createSelfSignedCertificate } from '../src/dev/waypoint-emulator/self-signed.js';
import { isUlid } from '../src/dev/waypoint-emulator/ulid.js';
import { cli } from './support/cli.js';
import { appsRepoUrl, commitA, gitSource, hclFor, lineTexts, ms, queue, sleep, upJob, waitForJob } from './support/emulator-fixtures.js';
import { auth, codeOf, createStub, failure, metadata, type StreamEvent, type Stub } from './support/emulator-stub.js';

const token = 'test-token-for-the-emulator';
const running: { emulator: Emulator; stubs: Stub[] }[] = [];

/** An emulator plus a stub for it; both closed after the test file. */
async function setup(options: EmulatorOptions = {}): Promise<{ emulator: Emulator; stub: Stub }> {
  const emulator = await startEmulator({ token, stepMs: 20, initJobs: false, ...options });
  const stub = createStub(emulator.address, options.token === undefined ? token : options.token);
  running.push({ emulator, stubs: [stub] });
  return { emulator, stub };
}

async function project(stub: Stub, name: string, fields: Record<string, unknown> = {}): Promise<void> {
  await stub.call('UpsertProject', { project: { name, data_source: gitSource, waypoint_hcl: hclFor(name, ['web', 'api', 'worker', 'broken']), ...fields } });
}

afterAll(async () => {
  for (const { emulator, stubs } of running) {
    for (const stub of stubs) stub.close();
    await emulator.stop();
  }
});

describe('metadata and tokens', () => {
  let stub: Stub;
  beforeAll(async () => ({ stub } = await setup()));

  it('answers GetVersionInfo without any header', async () => {
    const reply = await stub.call('GetVersionInfo', {}, metadata());
    expect(reply.info).toEqual({ api: { current: 1, minimum: 1 }, entrypoint: { current: 1, minimum: 1 }, version: 'v0.11.4 (pilot emulator)' });
  });

  it.each([
    ['no protocol header', { 'waypoint-token': token }, 'INVALID_ARGUMENT', 'required header client-api-protocol is not set'],
    ['a malformed protocol header', { 'client-api-protocol': 'one', 'waypoint-token': token }, 'INVALID_ARGUMENT', 'must be formatted <min>,<current>'],
    ['a client newer than the server', { 'client-api-protocol': '2,3', 'waypoint-token': token }, 'INVALID_ARGUMENT', 'client supports 2 to 3, server supports 1 to 1'],
    ['a client older than the server', { 'client-api-protocol': '0,0', 'waypoint-token': token }, 'INVALID_ARGUMENT', 'client is too outdated'],
    ['no token', { 'client-api-protocol': '1,1' }, 'UNAUTHENTICATED', 'Authorization token is not supplied'],
    ['an empty waypoint-token, even with authorization', { 'client-api-protocol': '1,1', 'waypoint-token': '', authorization: token }, 'UNAUTHENTICATED', 'not supplied'],
    // "nope" is valid base58 but lacks the "wp24" magic: v0.11.4 says so, without "invalid authentication token".
    ['a wrong token', { 'client-api-protocol': '1,1', 'waypoint-token': 'nope' }, 'UNKNOWN', 'The magic string embedded in the token does not match'],
    ['a wrong waypoint-token beside a right authorization', { 'client-api-protocol': '1,1', 'waypoint-token': 'nope', authorization: token }, 'UNKNOWN', 'invalid'],
    ['the token in authorization (raw, no Bearer)', { 'client-api-protocol': '1,1', authorization: token }, 'OK', ''],
    ['an overlapping protocol range', { 'client-api-protocol': '0,2', 'waypoint-token': token }, 'OK', ''],
  ])('ListProjects with %s', async (_, headers, code, message) => {
    const call = stub.call('ListProjects', {}, metadata(headers));
    if (code === 'OK') return expect(await codeOf(call)).toBe('OK');
    const error = await failure(call);
    expect(error.code).toBe(code);
    expect(error.details).toContain(message);
  });

  it('needs a token on every stream, and none on BootstrapToken', async () => {
    expect(await failure(stub.stream('x', { metadata: metadata({ 'client-api-protocol': '1,1' }) }).then((r) => Promise.reject(r.error)))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    // The protocol header is still required, and this emulator already has a token.
    expect(await failure(stub.call('BootstrapToken', {}, metadata()))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await failure(stub.call('BootstrapToken', {}, metadata({ 'client-api-protocol': '1,1' })))).toEqual({
      code: 'PERMISSION_DENIED',
      details: 'server is already bootstrapped',
    });
  });

  it('hands out a token once on a fresh emulator, and accepts only that one', async () => {
    const { emulator, stub: fresh } = await setup({ token: undefined });
    expect(emulator.token).toBeUndefined();
    expect(await codeOf(fresh.call('ListProjects', {}, auth('anything')))).toBe('UNKNOWN');
    const { token: issued } = await fresh.call('BootstrapToken', {}, metadata({ 'client-api-protocol': '1,1' }));
    expect(issued).toMatch(/^[1-9A-HJ-NP-Za-km-z]{60,}$/);
    expect(emulator.token).toBe(issued);
    expect(await codeOf(fresh.call('ListProjects', {}, auth(issued)))).toBe('OK');
    expect(await failure(fresh.call('BootstrapToken', {}, metadata({ 'client-api-protocol': '1,1' })))).toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});

describe('projects and applications', () => {
  let stub: Stub;
  beforeAll(async () => ({ stub } = await setup()));

  it('replaces a project on upsert but keeps its applications; names are case-insensitive', async () => {
    await stub.call('UpsertProject', { project: { name: 'Shop', remote_enabled: false } });
    await stub.call('UpsertApplication', { project: { project: 'shop' }, name: 'cart' });
    const reply = await stub.call('UpsertProject', { project: { name: 'SHOP', remote_enabled: true } });
    expect(reply.project.applications.map((a: { name: string }) => a.name)).toEqual(['cart']);
    const { project } = await stub.call('GetProject', { project: { project: 'sHoP' } });
    expect(project).toMatchObject({ name: 'SHOP', remote_enabled: true });
    expect(project.applications.map((a: { name: string }) => a.name)).toEqual(['cart']);
    const listed = await stub.call('ListProjects', {});
    expect(listed.projects).toEqual([{ project: 'SHOP' }]);
    expect(listed.total_count).toBe('1');
  });

  it('upserts an application idempotently, updating only its file change signal', async () => {
    await stub.call('UpsertProject', { project: { name: 'blog' } });
    await stub.call('UpsertApplication', { project: { project: 'blog' }, name: 'site' });
    const again = await stub.call('UpsertApplication', { project: { project: 'BLOG' }, name: 'site', file_change_signal: 'SIGHUP' });
    expect(again.application).toMatchObject({ name: 'site', file_change_signal: 'SIGHUP' });
    const { project } = await stub.call('GetProject', { project: { project: 'blog' } });
    expect(project.applications).toHaveLength(1);
    const { application } = await stub.call('GetApplication', { application: { project: 'blog', application: 'site' } });
    expect(application.name).toBe('site');
  });

  it.each([
    ['GetProject of an unknown project', 'GetProject', { project: { project: 'nope' } }, 'NOT_FOUND', 'failed to get project'],
    ['GetProject without a ref', 'GetProject', {}, 'INVALID_ARGUMENT', 'project: cannot be blank.'],
    ['UpsertProject without a project', 'UpsertProject', {}, 'INVALID_ARGUMENT', 'project: cannot be blank.'],
    ['UpsertProject with a bad name', 'UpsertProject', { project: { name: 'my shop' } }, 'INVALID_ARGUMENT', 'name "my shop" must be alpha numeric'],
    ['UpsertProject with HCL that does not parse', 'UpsertProject', { project: { name: 'p', waypoint_hcl: Buffer.from('project = "p"\napp "x" {\n') } }, 'INVALID_ARGUMENT', '<waypoint-hcl>:2,9-10: Unclosed configuration block'],
    ['UpsertProject with JSON that does not parse', 'UpsertProject', { project: { name: 'p', waypoint_hcl: Buffer.from('{'), waypoint_hcl_format: 'JSON' } }, 'INVALID_ARGUMENT', 'invalid JSON'],
    ['UpsertProject with a git path going up', 'UpsertProject', { project: { name: 'p', data_source: { git: { url: 'u', path: 'a/../b' } } } }, 'INVALID_ARGUMENT', "must not contain '..'"],
    ['UpsertProject with a bad poll interval', 'UpsertProject', { project: { name: 'p', data_source_poll: { enabled: true, interval: 'often' } } }, 'INVALID_ARGUMENT', 'time: invalid duration "often"'],
    ['UpsertProject with waypoint_hcl over 5 KiB', 'UpsertProject', { project: { name: 'p', waypoint_hcl: Buffer.from(`project = "p"\n${'#'.repeat(5200)}\n`) } }, 'FAILED_PRECONDITION', 'failed to upsert project'],
    ['UpsertApplication in an unknown project', 'UpsertApplication', { project: { project: 'nope' }, name: 'web' }, 'NOT_FOUND', 'failed to get project in application upsert'],
    ['UpsertApplication with a bad name', 'UpsertApplication', { project: { project: 'blog' }, name: 'a/b' }, 'INVALID_ARGUMENT', 'must be alpha numeric'],
    ['GetApplication of an unknown app', 'GetApplication', { application: { project: 'blog', application: 'nope' } }, 'NOT_FOUND', 'failed to get application'],
  ])('%s', async (_, method, request, code, message) => {
    const error = await failure(stub.call(method, request));
    expect(error.code).toBe(code);
    expect(error.details).toContain(message);
  });

  it('pages through ListProjects', async () => {
    const { stub: own } = await setup();
    for (const name of ['c', 'a', 'b']) await own.call('UpsertProject', { project: { name } });
    const first = await own.call('ListProjects', { pagination: { page_size: 2 } });
    expect(first.projects).toEqual([{ project: 'a' }, { project: 'b' }]);
    expect(first.total_count).toBe('3');
    const second = await own.call('ListProjects', { pagination: { page_size: 2, next_page_token: first.pagination.next_page_token } });
    expect(second.projects).toEqual([{ project: 'c' }]);
    expect(second.pagination.next_page_token).toBe('');
  });

  it('queues init jobs for a git project without polling, which register its apps', async () => {
    const { stub: own } = await setup({ initJobs: true });
    await own.call('UpsertProject', { project: { name: 'polled', data_source: gitSource, data_source_poll: { enabled: true }, waypoint_hcl: hclFor('polled', ['x']) } });
    expect((await own.call('ListJobs', {})).jobs).toEqual([]);
    await own.call('UpsertProject', { project: { name: 'shop', data_source: gitSource, waypoint_hcl: hclFor('shop', ['cart', 'pay']) } });
    const [init] = (await own.call('ListJobs', { project: { project: 'shop' } })).jobs;
    expect(init.application).toEqual({ project: 'shop', application: '' });
    const done = await waitForJob(own, init.id);
    expect(done.state).toBe('SUCCESS');
    const reply = await own.call('GetProject', { project: { project: 'shop' } });
    expect(reply.project.applications.map((a: { name: string }) => a.name)).toEqual(['cart', 'pay']);
    expect(reply.workspaces[0].data_source_ref.git.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('QueueJob validation', () => {
  let emulator: Emulator;
  let stub: Stub;
  beforeAll(async () => {
    ({ emulator, stub } = await setup({ stepMs: 5 }));
    await project(stub, 'acme');
    await stub.call('UpsertProject', { project: { name: 'bare' } });
  });

  const git = (fields: object) => ({ data_source: { git: { url: 'https://git.example.com/a.git', ...fields } } });
  it.each<[string, Record<string, unknown> | null, string, string, string?]>([
    ['no job', null, 'FAILED_PRECONDITION', 'job must be set'],
    ['no operation', { ...upJob('acme', 'web'), up: undefined }, 'UNIMPLEMENTED', 'operation is nil or unknown'],
    ['an id', upJob('acme', 'web', { id: 'mine' }), 'FAILED_PRECONDITION', 'id: must be empty.'],
    ['no application', upJob('acme', 'web', { application: undefined }), 'FAILED_PRECONDITION', 'application: cannot be blank'],
    ['no workspace', upJob('acme', 'web', { workspace: undefined }), 'FAILED_PRECONDITION', 'workspace: cannot be blank'],
    ['an empty workspace name', upJob('acme', 'web', { workspace: { workspace: '' } }), 'FAILED_PRECONDITION', 'workspace: (workspace: cannot be blank.)'],
    ['no target runner', upJob('acme', 'web', { target_runner: undefined }), 'FAILED_PRECONDITION', 'target_runner: cannot be blank'],
    ['an unknown project', upJob('nope', 'web'), 'NOT_FOUND', 'Project "nope" was not found!'],
    ['no data source on job or project', upJob('bare', 'web'), 'FAILED_PRECONDITION', 'Project bare does not have a data source configured'],
    ['a git source without url', upJob('acme', 'web', { data_source: { git: { ref: 'main' } } }), 'FAILED_PRECONDITION', 'url: cannot be blank'],
    ['a git path with ..', upJob('acme', 'web', git({ path: 'apps/../../etc' })), 'FAILED_PRECONDITION', "must not contain '..'"],
    ['a git path with //', upJob('acme', 'web', git({ path: 'apps//web' })), 'FAILED_PRECONDITION', "such as '//'"],
    ['a git path starting with ./', upJob('acme', 'web', git({ path: './apps' })), 'FAILED_PRECONDITION', "shouldn't start with ./"],
    ['basic auth without a password', upJob('acme', 'web', git({ basic: { username: 'u' } })), 'FAILED_PRECONDITION', 'password: cannot be blank'],
    ['an expiry that is no Go duration', upJob('acme', 'web'), 'FAILED_PRECONDITION', 'Invalid job expiry duration "5 minutes"', '5 minutes'],
    ['an unknown dependency', upJob('acme', 'web', { depends_on: ['01HZZZZZZZZZZZZZZZZZZZZZZZ'] }), 'NOT_FOUND', 'failed to create job(s)'],
    ['an empty dependency', upJob('acme', 'web', { depends_on: [''] }), 'FAILED_PRECONDITION', 'failed to create job(s)'],
    ['an allowed failure outside depends_on', upJob('acme', 'web', { depends_on_allow_failure: ['x'] }), 'FAILED_PRECONDITION', 'failed to create job(s)'],
    ['a valid job with a Go-duration expiry', upJob('acme', 'web', { data_source_overrides: { ref: commitA } }), 'OK', '', '1h30m'],
  ])('a job with %s', async (_, job, code, message, expiresIn = '') => {
    const before = emulator.queuedJobs.length;
    const call = stub.call('QueueJob', job ? { job, expires_in: expiresIn } : { expires_in: expiresIn });
    if (code === 'OK') expect(isUlid((await call).job_id)).toBe(true);
    else {
      const error = await failure(call);
      expect(error.code).toBe(code);
      expect(error.details).toContain(message);
    }
    expect(emulator.queuedJobs).toHaveLength(before + 1);
  });

  it('refuses a request over gRPC’s 4 MiB limit before it reaches the handler', async () => {
    const big = { contents: Buffer.alloc(4.5 * 1024 * 1024, 0x20), format: 'HCL' };
    expect(await codeOf(stub.call('QueueJob', { job: upJob('acme', 'web', { waypoint_hcl: big }) }))).toBe('RESOURCE_EXHAUSTED');
  });

  it('gives time-ordered ULIDs', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await queue(stub, upJob('acme', 'api')));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
  });
});

describe('running jobs', () => {
  let emulator: Emulator;
  let stub: Stub;
  beforeAll(async () => {
    ({ emulator, stub } = await setup({ stepMs: 15 }));
    await project(stub, 'acme');
  });
  afterEach(() => emulator.faults.clear());

  it('takes an up job from QUEUED to SUCCESS and records build, deployment, release and status', async () => {
    const jobHcl = { contents: hclFor('acme', ['web']), format: 'HCL' };
    const id = await queue(stub, upJob('acme', 'web', { waypoint_hcl: jobHcl, data_source_overrides: { ref: commitA }, labels: { 'pilot/revision': 'r1' } }));
    const job = await waitForJob(stub, id);
    expect(job).toMatchObject({ state: 'SUCCESS', error: null, assigned_runner: { id: expect.any(String) }, config: { source: 'JOB' } });
    expect(job.data_source_ref.git.commit).toBe(commitA);
    const times = [job.queue_time, job.assign_time, job.ack_time, job.complete_time].map(ms);
    expect(times.every((t) => t > 0)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(job.cancel_time).toBeNull();
    const { build, deploy, release, up } = job.result;
    expect(build.build.component).toEqual({ type: 'BUILDER', name: 'pack' });
    expect(deploy.deployment).toMatchObject({ sequence: '1', state: 'CREATED', job_id: id, labels: { 'pilot/revision': 'r1' }, status: { state: 'SUCCESS' } });
    expect(release.release).toMatchObject({ deployment_id: deploy.deployment.id, url: up.release_url, state: 'CREATED' });
    expect(up.deploy_url).toBe(deploy.deployment.url);
    expect(up.release_url).toMatch(/^http:\/\/web\.acme\.localhost$/);

    const listed = await stub.call('ListDeployments', { application: { project: 'acme', application: 'web' }, workspace: { workspace: 'default' } });
    expect(listed.deployments.map((d: { id: string }) => d.id)).toEqual([deploy.deployment.id]);
    expect((await stub.call('GetLatestRelease', { application: { project: 'acme', application: 'web' } })).id).toBe(release.release.id);
    const report = await stub.call('GetLatestStatusReport', { application: { project: 'acme', application: 'web' }, deployment_any: {} });
    expect(report).toMatchObject({ deployment_id: deploy.deployment.id, health: { health_status: 'READY' } });
    const { workspaces } = await stub.call('GetProject', { project: { project: 'acme' } });
    expect(workspaces).toMatchObject([{ workspace: { workspace: 'default' }, data_source_ref: { git: { commit: commitA } } }]);

    const second = await waitForJob(stub, await queue(stub, upJob('acme', 'web')));
    expect(second.result.deploy.deployment.sequence).toBe('2');
    const latest = await stub.call('ListDeployments', { application: { project: 'acme', application: 'web' }, order: { order: 'COMPLETE_TIME', desc: true, limit: 1 } });
    expect(latest.deployments.map((d: { sequence: string }) => d.sequence)).toEqual(['2']);
  });

  it('uses the project waypoint.hcl when the job has none, and checks out the pinned commit or the branch', async () => {
    const pinned = await waitForJob(stub, await queue(stub, upJob('acme', 'api', { data_source: { git: { url: appsRepoUrl, ref: commitA } } })));
    expect(pinned.config.source).toBe('SERVER');
    expect(pinned.data_source_ref.git.commit).toBe(commitA);
    const a = await waitForJob(stub, await queue(stub, upJob('acme', 'api')));
    const b = await waitForJob(stub, await queue(stub, upJob('acme', 'api', { data_source_overrides: { ref: 'main' } })));
    expect(a.data_source_ref.git.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(b.data_source_ref.git.commit).toBe(a.data_source_ref.git.commit);
  });

  it.each([
    ['no waypoint.hcl anywhere', 'plain', {}, 'FAILED_PRECONDITION', 'A waypoint.hcl was not found'],
    ['an app missing from waypoint.hcl', 'acme', { application: { project: 'acme', application: 'ghost' } }, 'NOT_FOUND', 'Application "ghost" was not found'],
    ['an unknown data source override', 'acme', { data_source_overrides: { branch: 'x' } }, 'UNKNOWN', 'invalid override keys: [branch]'],
  ])('fails a job with %s', async (_, projectName, fields, code, message) => {
    await stub.call('UpsertProject', { project: { name: 'plain', data_source: gitSource } });
    const job = await waitForJob(stub, await queue(stub, upJob(projectName, 'web', fields)));
    expect(job.state).toBe('ERROR');
    expect(grpc.status[job.error.code]).toBe(code);
    expect(job.error.message).toContain(message);
  });

  it('fails the deploy of a failing app, with the reason in the last lines and an ERROR deployment', async () => {
    emulator.faults.failApps = new Set(['ACME/broken']);
    const id = await queue(stub, upJob('acme', 'broken'));
    const { events } = await stub.stream(id);
    const complete = events.at(-1)!;
    expect(complete.kind).toBe('complete');
    expect(complete.body.error).toMatchObject({ code: grpc.status.UNKNOWN, message: 'deploy failed: simulated failure of acme/broken' });
    const lines = lineTexts(events.filter((e) => e.kind === 'terminal').flatMap((e) => e.body.events));
    expect(lines.at(-1)).toContain('deploy failed');
    expect(lines.at(-2)).toContain('did not become healthy');
    const { deployments } = await stub.call('ListDeployments', { application: { project: 'acme', application: 'broken' } });
    expect(deployments.map((d: { status: { state: string } }) => d.status.state)).toEqual(['ERROR']);
    expect(await codeOf(stub.call('GetLatestRelease', { application: { project: 'acme', application: 'broken' } }))).toBe('NOT_FOUND');
  });

  it('takes failing apps from a function, switched at run time', async () => {
    emulator.faults.failApps = ({ application }) => (application === 'worker' ? 'out of memory' : false);
    const failed = await waitForJob(stub, await queue(stub, upJob('acme', 'worker')));
    expect(failed.error.message).toBe('deploy failed: out of memory');
    emulator.faults.failApps = new Set();
    expect((await waitForJob(stub, await queue(stub, upJob('acme', 'worker')))).state).toBe('SUCCESS');
  });

  it('lists jobs with filters, oldest first, in pages', async () => {
    const { jobs } = await stub.call('ListJobs', { project: { project: 'acme' }, application: { project: 'acme', application: 'worker' } });
    expect(jobs).toHaveLength(2);
    expect(jobs.map((j: { state: string }) => j.state)).toEqual(['ERROR', 'SUCCESS']);
    expect((await stub.call('ListJobs', { jobState: ['ERROR'], application: { project: 'acme', application: 'worker' } })).jobs).toHaveLength(1);
    expect((await stub.call('ListJobs', { workspace: { workspace: 'staging' } })).jobs).toEqual([]);
    const page = await stub.call('ListJobs', { pagination: { page_size: 1 } });
    expect(page.jobs).toHaveLength(1);
    expect(page.pagination.next_page_token).not.toBe('');
  });
});

describe('scheduling', () => {
  const states = async (stub: Stub, ids: string[]) => Promise.all(ids.map(async (id) => (await stub.call('GetJob', { job_id: id })).state as string));

  it('by default runs two up jobs of one app side by side, as v0.11.4 does', async () => {
    const { stub } = await setup({ stepMs: 60 });
    await project(stub, 'acme');
    const ids = [await queue(stub, upJob('acme', 'web')), await queue(stub, upJob('acme', 'web'))];
    await waitForJob(stub, ids[1]!, (job) => job.state === 'RUNNING');
    expect(await states(stub, ids)).toEqual(['RUNNING', 'RUNNING']);
  });

  it("with appLock 'all-ops', holds a second job of the same app in QUEUED while other apps run", async () => {
    const { stub } = await setup({ stepMs: 40, appLock: 'all-ops' });
    await project(stub, 'acme');
    const first = await queue(stub, upJob('acme', 'web'));
    const second = await queue(stub, upJob('acme', 'web'));
    const other = await queue(stub, upJob('acme', 'api'));
    await waitForJob(stub, other, (job) => job.state === 'RUNNING');
    expect(await states(stub, [first, second, other])).toEqual(['RUNNING', 'QUEUED', 'RUNNING']);
    const [a, b] = [await waitForJob(stub, first), await waitForJob(stub, second)];
    expect(b.state).toBe('SUCCESS');
    expect(ms(b.assign_time)).toBeGreaterThanOrEqual(ms(a.complete_time));
  });

  it('runs no more jobs at once than the runner concurrency', async () => {
    const { stub } = await setup({ stepMs: 40, concurrency: 1 });
    await project(stub, 'acme');
    const ids = [await queue(stub, upJob('acme', 'web')), await queue(stub, upJob('acme', 'api'))];
    await waitForJob(stub, ids[0]!, (job) => job.state === 'RUNNING');
    expect(await states(stub, ids)).toEqual(['RUNNING', 'QUEUED']);
    const [a, b] = [await waitForJob(stub, ids[0]!), await waitForJob(stub, ids[1]!)];
    expect(ms(b.assign_time)).toBeGreaterThanOrEqual(ms(a.complete_time));
  });

  it('waits for dependencies, and cancels dependents of a failed job unless its failure is allowed', async () => {
    const { emulator, stub } = await setup({ stepMs: 20, failApps: new Set(['acme/broken']) });
    await project(stub, 'acme');
    const base = await queue(stub, upJob('acme', 'web'));
    const after = await queue(stub, upJob('acme', 'api', { depends_on: [base] }));
    expect((await stub.call('GetJob', { job_id: after })).state).toBe('QUEUED');
    const [b, a] = [await waitForJob(stub, base), await waitForJob(stub, after)];
    expect(ms(a.assign_time)).toBeGreaterThanOrEqual(ms(b.complete_time));
    const broken = await queue(stub, upJob('acme', 'broken'));
    const blocked = await queue(stub, upJob('acme', 'api', { depends_on: [broken] }));
    const tolerant = await queue(stub, upJob('acme', 'worker', { depends_on: [broken], depends_on_allow_failure: [broken] }));
    const cancelled = await waitForJob(stub, blocked);
    expect(cancelled.error).toMatchObject({ code: grpc.status.CANCELLED, message: `Job dependency "${broken}" errored: deploy failed: simulated failure of acme/broken` });
    expect((await waitForJob(stub, tolerant)).state).toBe('SUCCESS');
    expect(emulator.queuedJobs).toHaveLength(5);
  });

  it('cancels a job still queued when its expiry passes', async () => {
    const { stub } = await setup({ stepMs: 100, concurrency: 1 });
    await project(stub, 'acme');
    await queue(stub, upJob('acme', 'web'));
    const expiring = await queue(stub, upJob('acme', 'api'), '50ms');
    const job = await waitForJob(stub, expiring);
    expect(job).toMatchObject({ state: 'ERROR', error: { code: grpc.status.CANCELLED, message: 'canceled' } });
    expect(job.expire_time).not.toBeNull();
  });

  it('replaces a still-queued job with the same singleton id, which keeps its place in the queue', async () => {
    const { stub } = await setup({ stepMs: 30, concurrency: 1 });
    await project(stub, 'acme');
    const blocker = await queue(stub, upJob('acme', 'worker'));
    const older = await queue(stub, upJob('acme', 'web', { singleton_id: 'deploy/web' }));
    const between = await queue(stub, upJob('acme', 'api'));
    const newer = await queue(stub, upJob('acme', 'web', { singleton_id: 'deploy/web' }));
    const replaced = await stub.call('GetJob', { job_id: older });
    expect(replaced).toMatchObject({ state: 'ERROR', error: { code: grpc.status.CANCELLED, message: `replaced by job ${newer}` } });
    const [n, b] = [await waitForJob(stub, newer), await waitForJob(stub, between)];
    expect(ms(n.queue_time)).toBe(ms(replaced.queue_time));
    expect(ms(n.assign_time)).toBeLessThan(ms(b.assign_time));
    expect((await waitForJob(stub, blocker)).state).toBe('SUCCESS');
  });
});

describe('CancelJob', () => {
  let stub: Stub;
  beforeAll(async () => {
    ({ stub } = await setup({ stepMs: 80, concurrency: 1 }));
    await project(stub, 'acme');
  });

  it('ends a queued job at once, asks a running one to stop, and forces when told', async () => {
    const runningId = await queue(stub, upJob('acme', 'web'));
    const queuedId = await queue(stub, upJob('acme', 'api'));
    await waitForJob(stub, runningId, (job) => job.state === 'RUNNING');

    await stub.call('CancelJob', { job_id: queuedId });
    expect(await stub.call('GetJob', { job_id: queuedId })).toMatchObject({ state: 'ERROR', error: { code: grpc.status.CANCELLED, message: 'canceled' } });

    const watching = stub.stream(runningId);
    await stub.call('CancelJob', { job_id: runningId });
    const asked = await stub.call('GetJob', { job_id: runningId });
    expect(asked.state).toBe('RUNNING');
    expect(asked.cancel_time).not.toBeNull();
    const stopped = await waitForJob(stub, runningId);
    expect(stopped.error).toMatchObject({ code: grpc.status.CANCELLED, message: 'canceled' });
    const { events } = await watching;
    const canceling = events.filter((e) => e.kind === 'state').map((e) => [e.body.current, e.body.canceling]);
    expect(canceling).toContainEqual(['RUNNING', true]);
    expect(canceling.at(-1)).toEqual(['ERROR', true]);

    const forced = await queue(stub, upJob('acme', 'worker'));
    await waitForJob(stub, forced, (job) => job.state === 'RUNNING');
    await stub.call('CancelJob', { job_id: forced, force: true });
    expect(await stub.call('GetJob', { job_id: forced })).toMatchObject({ state: 'ERROR', error: { code: grpc.status.CANCELLED } });
  });

  it('leaves a finished job alone, and does not know unknown ids', async () => {
    const done = await waitForJob(stub, await queue(stub, upJob('acme', 'web')));
    await stub.call('CancelJob', { job_id: done.id, force: true });
    expect(await stub.call('GetJob', { job_id: done.id })).toMatchObject({ state: 'SUCCESS', cancel_time: null });
    expect(await failure(stub.call('CancelJob', { job_id: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(stub.call('GetJob', { job_id: 'nope' }))).toEqual({ code: 'NOT_FOUND', details: 'job not found' });
  });
});

describe('GetJobStream', () => {
  let stub: Stub;
  beforeAll(async () => {
    ({ stub } = await setup({ stepMs: 30, concurrency: 1, logLines: 3 }));
    await project(stub, 'acme');
  });
  const lines = (events: StreamEvent[]) => lineTexts(events.filter((e) => e.kind === 'terminal').flatMap((e) => e.body.events));

  it('does not know unknown jobs', async () => {
    const { events, error } = await stub.stream('01HZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(events).toEqual([]);
    expect(grpc.status[error!.code]).toBe('NOT_FOUND');
    expect(error!.details).toBe('job not found for ID: 01HZZZZZZZZZZZZZZZZZZZZZZZ');
  });

  it('streams a job live: open first, every state change, download once, output, complete last', async () => {
    const blocker = await queue(stub, upJob('acme', 'worker'));
    const id = await queue(stub, upJob('acme', 'web', { data_source_overrides: { ref: commitA } }));
    const { events, error } = await stub.stream(id);
    expect(error).toBeUndefined();
    expect(events[0]!.kind).toBe('open');
    expect(events.at(-1)!.kind).toBe('complete');
    expect(events.filter((e) => e.kind === 'open' || e.kind === 'complete')).toHaveLength(2);
    const changes = events.filter((e) => e.kind === 'state').map((e) => `${e.body.previous}>${e.body.current}`);
    expect(changes).toEqual(['UNKNOWN>QUEUED', 'QUEUED>WAITING', 'WAITING>RUNNING', 'RUNNING>SUCCESS']);
    const downloads = events.filter((e) => e.kind === 'download');
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.body.data_source_ref.git.commit).toBe(commitA);
    const firstOutput = events.findIndex((e) => e.kind === 'terminal');
    const running = events.findIndex((e) => e.kind === 'state' && e.body.current === 'RUNNING');
    expect(firstOutput).toBeGreaterThan(running);
    expect(events.filter((e) => e.kind === 'terminal').every((e) => e.body.buffered === false)).toBe(true);
    expect(lines(events)).toContain(`Building acme/web at commit ${commitA}`);
    expect(events.at(-1)!.body.result.up.release_url).toContain('web.acme');
    await waitForJob(stub, blocker);

    const late = await stub.stream(id);
    expect(late.events.map((e) => e.kind)).toEqual(['open', 'state', 'download', 'job', 'terminal', 'complete']);
    expect(late.events[1]!.body).toMatchObject({ previous: 'UNKNOWN', current: 'SUCCESS', canceling: false });
    expect(late.events[4]!.body.buffered).toBe(true);
    expect(lines(late.events)).toEqual(lines(events));
  });

  it('replays the lines so far as buffered to a client attaching mid-run, then goes live, and survives cancelled clients', async () => {
    const id = await queue(stub, upJob('acme', 'api'));
    const early = await stub.stream(id, { stopAfter: (e) => e.kind === 'terminal' });
    expect(early.events.at(-1)!.body.buffered).toBe(false);
    await sleep(40);
    const middle = await stub.stream(id);
    const output = middle.events.filter((e) => e.kind === 'terminal');
    expect(output[0]!.body.buffered).toBe(true);
    expect(output.slice(1).every((e) => e.body.buffered === false)).toBe(true);
    const replay = await stub.stream(id);
    expect(lines(middle.events)).toEqual(lines(replay.events));
    expect(new Set(lines(replay.events)).size).toBe(lines(replay.events).length);
  });
});

describe('config', () => {
  let stub: Stub;
  beforeAll(async () => ({ stub } = await setup()));
  const variable = (name: string, value: string, target: object) => ({ name, static: value, target });
  const app = (application: string) => ({ application: { project: 'acme', application } });
  const names = (reply: { variables: { name: string; static?: string }[] }) => reply.variables.map((v) => `${v.name}=${v.static ?? ''}`);

  it('sets, merges, filters and deletes variables by scope', async () => {
    expect(await failure(stub.call('SetConfig', { variables: [] }))).toEqual({ code: 'INVALID_ARGUMENT', details: 'variables: cannot be blank.' });
    await stub.call('SetConfig', {
      variables: [
        variable('LOG_LEVEL', 'info', { global: {} }),
        variable('REGION', 'eu', { project: { project: 'acme' } }),
        variable('LOG_LEVEL', 'debug', { ...app('web') }),
        variable('DATABASE_URL', 'postgres://web', { ...app('web') }),
        variable('DATABASE_URL', 'postgres://api', { ...app('api') }),
        variable('DATABASE_URL', 'postgres://web-staging', { ...app('web'), workspace: { workspace: 'staging' } }),
        { name: 'API_TOKEN', dynamic: { from: 'aws-ssm', config: { path: '/acme/token' } }, target: app('web') },
      ],
    });
    const forWeb = await stub.call('GetConfig', { application: { project: 'acme', application: 'web' }, workspace: { workspace: 'default' } });
    expect(names(forWeb)).toEqual(['API_TOKEN=', 'DATABASE_URL=postgres://web', 'LOG_LEVEL=debug', 'REGION=eu']);
    expect(forWeb.variables[0].dynamic).toEqual({ from: 'aws-ssm', config: { path: '/acme/token' } });
    const staging = await stub.call('GetConfig', { application: { project: 'acme', application: 'web' }, workspace: { workspace: 'staging' } });
    expect(names(staging)).toContain('DATABASE_URL=postgres://web-staging');
    const project = await stub.call('GetConfig', { project: { project: 'acme' }, prefix: 'DATABASE' });
    expect(names(project).sort()).toEqual(['DATABASE_URL=postgres://api', 'DATABASE_URL=postgres://web', 'DATABASE_URL=postgres://web-staging']);
    expect(await failure(stub.call('GetConfig', {}))).toMatchObject({ code: 'INVALID_ARGUMENT' });

    await stub.call('DeleteConfig', { variables: [{ name: 'DATABASE_URL', target: app('web') }] });
    await stub.call('SetConfig', { variables: [{ name: 'LOG_LEVEL', unset: {}, target: app('web') }, variable('REGION', '', { project: { project: 'acme' } })] });
    const after = await stub.call('GetConfig', { application: { project: 'acme', application: 'web' }, workspace: { workspace: 'default' } });
    // v0.11.4's project index holds the app-scoped variables of every app of the project, and
    // the application scope merges it in: api's DATABASE_URL shows through once web's is gone.
    expect(names(after)).toEqual(['API_TOKEN=', 'DATABASE_URL=postgres://api', 'LOG_LEVEL=info']);
  });
});

describe('formatting waypoint.hcl', () => {
  const messy = 'project="acme"\r\n\n\n\napp "web" {\n      path = "./web"   \n  labels    = { team = "a" }\n build {\n use "pack" {}\n }\n}\n\n\n';
  // hclwrite keeps line endings and blank lines; it only re-spaces, re-indents and aligns.
  const canonical = 'project = "acme"\r\n\n\n\napp "web" {\n  path   = "./web"\n  labels = { team = "a" }\n  build {\n    use "pack" {}\n  }\n}\n\n\n';

  it('formats through WaypointHclFmt and rejects HCL that does not parse, as v0.11.4 does', async () => {
    const { stub } = await setup();
    const reply = await stub.call('WaypointHclFmt', { waypoint_hcl: Buffer.from(messy) });
    expect(Buffer.from(reply.waypoint_hcl).toString()).toBe(canonical);
    const again = await stub.call('WaypointHclFmt', { waypoint_hcl: Buffer.from(canonical) });
    expect(Buffer.from(again.waypoint_hcl).toString()).toBe(canonical);
    expect(await failure(stub.call('WaypointHclFmt', { waypoint_hcl: Buffer.from('app "x" {') }))).toEqual({ code: 'INTERNAL', details: 'failed to format waypoint hcl' });
  });

  it.each([
    ['aligns = of consecutive single-line attributes', 'a = 1\nlonger_name = 2\nb = [1, 2]\n', 'a           = 1\nlonger_name = 2\nb           = [1, 2]\n'],
    ['ends an alignment run at blank lines, comments and blocks', 'a = 1\n# note\nbbb = 2\n\ncc = 3\nblock {\n}\nd = 4\n', 'a = 1\n# note\nbbb = 2\n\ncc = 3\nblock {\n}\nd = 4\n'],
    ['does not align the opener of a multi-line value', 'a = 1\nlong = {\nx = 1\nyy = 2\n}\n', 'a = 1\nlong = {\n  x  = 1\n  yy = 2\n}\n'],
    ['indents brackets, one level per line that opens', 'l = [\n{\nk = 1\n},\n]\nf = foo(\n1,\n)\n', 'l = [\n  {\n    k = 1\n  },\n]\nf = foo(\n  1,\n)\n'],
    ['keeps a line that closes and opens at the current level', 'l = [\n  {\n    a = 1\n  }, {\n    b = 2\n  },\n]\n', 'l = [\n  {\n    a = 1\n    }, {\n    b = 2\n  },\n]\n'],
    ['keeps heredoc bodies exactly and aligns their opener', 'a = 1\nscript = <<EOT\n  x   \n\n\n    y\nEOT\nbb = 2\n', 'a      = 1\nscript = <<EOT\n  x   \n\n\n    y\nEOT\nbb     = 2\n'],
    ['ignores brackets and = inside strings and comments', 'a = "{[("\n# b = {\nc = "x = y" // {\n', 'a = "{[("\n# b = {\nc = "x = y" // {\n'],
    ['does not take == or => for an assignment', 'x = a == b\nm = { for k, v in var.m : k => v }\n', 'x = a == b\nm = { for k, v in var.m : k => v }\n'],
    ['trims spaces at line ends but keeps blank lines and a missing final newline', '\n\n  a = 1   \n\n\n\nb = 2', '\n\na = 1\n\n\n\nb = 2'],
    ['keeps the newlines of a blank file', '\n \n', '\n\n'],
  ])('%s', async (_, input, expected) => {
    const output = await formatHcl(input);
    expect(output).toBe(expected);
    expect(await formatHcl(output)).toBe(output);
  });

  it('names the position of a syntax error', async () => {
    const error = await formatHcl('project = "a"\napp "x" {\n  path = \n}\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HclSyntaxError);
    expect((error as Error).message).toMatch(/^waypoint\.hcl:3,/);
  });
});

describe('faults', () => {
  let emulator: Emulator;
  let stub: Stub;
  beforeAll(async () => {
    ({ emulator, stub } = await setup({ stepMs: 40 }));
    await project(stub, 'acme');
  });

  it('answers UNAVAILABLE during an outage, cuts open streams, and recovers', async () => {
    const id = await queue(stub, upJob('acme', 'web'));
    const watching = stub.stream(id);
    await waitForJob(stub, id, (job) => job.state === 'RUNNING');
    // An outage longer than any test (a loaded machine is slow), ended by the test itself.
    emulator.faults.unavailable(60_000);
    expect(await failure(stub.call('ListProjects'))).toMatchObject({ code: 'UNAVAILABLE' });
    const cut = await watching;
    expect(grpc.status[cut.error!.code]).toBe('UNAVAILABLE');
    expect(cut.events.at(-1)!.kind).not.toBe('complete');
    emulator.faults.available();
    expect(await codeOf(stub.call('ListProjects'))).toBe('OK');
    const resumed = await stub.stream(id);
    expect(resumed.events.at(-1)!.body.result.up).toBeTruthy();
  });

  it('delays replies when slow, after doing the work', async () => {
    emulator.faults.slow(150);
    const started = Date.now();
    const late = stub.call('UpsertProject', { project: { name: 'slowpoke' } }, undefined, { deadline: Date.now() + 60 });
    expect(await codeOf(late)).toBe('DEADLINE_EXCEEDED');
    emulator.faults.slow(0);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await codeOf(stub.call('GetProject', { project: { project: 'slowpoke' } }))).toBe('OK');
  });

  it('restarts on the same port, keeping its state', async () => {
    const down = emulator.restart(200);
    await sleep(50);
    expect(await codeOf(stub.call('ListProjects', {}, undefined, { deadline: Date.now() + 100 }))).toMatch(/UNAVAILABLE|DEADLINE_EXCEEDED/);
    await down;
    const waiting = auth(token);
    waiting.setOptions({ waitForReady: true });
    const reply = await stub.call('ListProjects', {}, waiting);
    expect(reply.projects).toContainEqual({ project: 'acme' });
  });
});

describe('TLS', () => {
  it('serves TLS with a self-signed certificate that a client can verify', async () => {
    const certificate = await createSelfSignedCertificate();
    try {
      const { emulator } = await setup({ tls: { cert: certificate.cert, key: certificate.key } });
      const secure = createStub(emulator.address.replace('127.0.0.1', 'localhost'), token, grpc.credentials.createSsl(await readFile(certificate.certFile)));
      const plain = createStub(emulator.address, token);
      running.at(-1)!.stubs.push(secure, plain);
      expect((await secure.call('GetVersionInfo')).info.version).toContain('0.11.4');
      expect(await codeOf(secure.call('ListProjects'))).toBe('OK');
      expect(await codeOf(plain.call('GetVersionInfo', {}, undefined, { deadline: Date.now() + 2000 }))).toMatch(/UNAVAILABLE|DEADLINE_EXCEEDED/);
    } finally {
      await certificate.remove();
    }
  });
});

describe('pilot dev waypoint', () => {
  const cwd = new URL('..', import.meta.url).pathname;

  /** `node --import tsx`, one process: `npx` does not pass SIGTERM on, and the tsx CLI
   * SIGKILLs a child that does not acknowledge a relayed signal within 30 ms. */
  function launch(args: string[]): { child: ChildProcess; output: () => string; started: Promise<Record<string, string>>; exited: Promise<number | null> } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'dev', 'waypoint', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const started = new Promise<Record<string, string>>((resolve, reject) => {
      child.stdout!.on('data', () => {
        if (!output.includes('Stop with Ctrl-C')) return;
        const fields = Object.fromEntries([...output.matchAll(/^ {2}(\w+(?: \w+)?) {2,}(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
        resolve(fields);
      });
      void exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    return { child, output: () => output, started, exited };
  }

  it('starts on a random port with the given token, answers, and stops cleanly on SIGTERM', async () => {
    const run = launch(['--port', '0', '--token', 'dev-token', '--step-ms', '5']);
    try {
      const fields = await run.started;
      expect(fields.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(fields.address).not.toBe('127.0.0.1:0');
      expect(fields.token).toBe('dev-token');
      const stub = createStub(fields.address!, 'dev-token');
      try {
        expect((await stub.call('GetVersionInfo')).info.version).toBe('v0.11.4 (pilot emulator)');
        expect(await codeOf(stub.call('ListProjects'))).toBe('OK');
      } finally {
        stub.close();
      }
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('stopped (SIGTERM)');
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('makes a self-signed certificate, prints its CA file and a new token, and stops on SIGINT', async () => {
    const run = launch(['--port', '0', '--tls', 'self-signed']);
    try {
      const fields = await run.started;
      expect(fields.token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{60,}$/);
      const ca = await readFile(fields['ca file']!);
      const stub = createStub(fields.address!.replace('127.0.0.1', 'localhost'), fields.token, grpc.credentials.createSsl(ca));
      try {
        expect(await codeOf(stub.call('ListProjects'))).toBe('OK');
      } finally {
        stub.close();
      }
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      await expect(readFile(fields['ca file']!)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses bad options with usage errors', async () => {
    expect(await cli(['dev', 'waypoint', '--tls', 'maybe'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--tls must be one of off, self-signed') });
    expect(await cli(['dev', 'waypoint', '--port', '70000'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--port must be a whole number') });
    expect(await cli(['dev', 'waypoint', '--token', ''])).toMatchObject({ code: 2 });
    expect((await cli(['dev', 'waypoint', '--help'])).stdout).toContain('Usage: pilot dev waypoint');
  });
});
