// The emulator's server side against facts of the real v0.11.4 server, over real gRPC:
// job expiry, no runner, job history trimming, the per-app lock, the job output ring,
// config scopes, WaypointHclFmt and bad tokens; plus direct checks of the pure parts
// (ring, trimming order, hclwrite's own format table). Source paths are in the code under test.

import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { generateToken, startEmulator, type Emulator, type EmulatorOptions } from '../src/dev/waypoint-emulator/index.js';
import { formatTokens, tokensText } from '../src/dev/waypoint-emulator/hcl-format.js';
import { lexHcl } from '../src/dev/waypoint-emulator/hcl-lex.js';
import { appendLines, addJob, updateJob } from '../src/dev/waypoint-emulator/jobs.js';
import { createRing, readAll, readBatch, openReader, writeRing } from '../src/dev/waypoint-emulator/output-ring.js';
import { createState } from '../src/dev/waypoint-emulator/state.js';
import type { Job } from '../src/dev/waypoint-emulator/types.js';
import { gitSource, hclFor, lineTexts, ms, queue, sleep, upJob, waitForJob } from './support/emulator-fixtures.js';
import { auth, createStub, failure, type StreamEvent, type Stub } from './support/emulator-stub.js';

const token = 'test-token-for-the-emulator';
const running: { emulator: Emulator; stub: Stub }[] = [];

async function setup(options: EmulatorOptions = {}): Promise<{ emulator: Emulator; stub: Stub }> {
  const emulator = await startEmulator({ token, stepMs: 20, initJobs: false, ...options });
  const stub = createStub(emulator.address, options.token === undefined ? token : options.token);
  running.push({ emulator, stub });
  await stub.call('UpsertProject', { project: { name: 'acme', data_source: gitSource, waypoint_hcl: hclFor('acme', ['web', 'api', 'broken']) } });
  return { emulator, stub };
}

afterAll(async () => {
  for (const { emulator, stub } of running) {
    stub.close();
    await emulator.stop();
  }
});

const hclwriteCases = (JSON.parse(readFileSync(new URL('./fixtures/waypoint/hclwrite-format-cases.json', import.meta.url), 'utf8')) as { cases: { input: string; want: string }[] }).cases;
const get = (stub: Stub, id: string) => stub.call('GetJob', { job_id: id });
const destroyJob = (app: string, fields: Record<string, unknown> = {}) => ({ ...upJob('acme', app, fields), up: undefined, destroy: { workspace: {} } });
const terminalLines = (events: StreamEvent[]) => lineTexts(events.filter((e) => e.kind === 'terminal').flatMap((e) => e.body.events));

describe('1. job expiry (expires_in)', () => {
  it('ends a QUEUED job in ERROR CANCELLED "canceled" when it expires, and fails its dependents', async () => {
    const { stub } = await setup({ noRunner: true });
    const expiring = await queue(stub, upJob('acme', 'web'), '150ms');
    const dependent = await queue(stub, upJob('acme', 'api', { depends_on: [expiring] }));
    const keeper = await queue(stub, upJob('acme', 'api'));
    const job = await waitForJob(stub, expiring);
    expect(job).toMatchObject({ state: 'ERROR', error: { code: grpc.status.CANCELLED, message: 'canceled' }, complete_time: null, assign_time: null });
    expect(ms(job.cancel_time)).toBeGreaterThanOrEqual(ms(job.queue_time) + 140);
    expect(Math.abs(ms(job.expire_time) - ms(job.queue_time) - 150)).toBeLessThan(50);
    expect((await get(stub, dependent)).error).toMatchObject({ code: grpc.status.CANCELLED, message: `Job dependency "${expiring}" errored: canceled` });
    expect((await get(stub, keeper)).state).toBe('QUEUED');
  });

  it('only asks a WAITING job to cancel, and leaves a RUNNING job alone', async () => {
    const { stub } = await setup({ stepMs: 800 });
    const waiting = await queue(stub, upJob('acme', 'web'), '100ms');
    const { events } = await stub.stream(waiting, { stopAfter: (e) => e.kind === 'state' && e.body.canceling });
    expect(events.at(-1)!.body).toMatchObject({ current: 'WAITING', canceling: true, job: { error: null } });
    const { stub: slow } = await setup({ stepMs: 300 });
    const runs = await queue(slow, upJob('acme', 'web'), '250ms');
    const started = await waitForJob(slow, runs, (job) => job.state === 'RUNNING');
    await sleep(ms(started.expire_time) + 100 - Date.now());
    const after = await get(slow, runs);
    expect(after.cancel_time).toBeNull();
    expect(after.error?.message ?? '').not.toBe('canceled');
  });
});

describe('2. no runner', () => {
  const assigned = (job: { assign_time: unknown }) => job.assign_time !== null;

  it('keeps every job QUEUED while no runner is registered, and hands them out once one is', async () => {
    const { emulator, stub } = await setup({ noRunner: true });
    const ids = [await queue(stub, upJob('acme', 'web')), await queue(stub, upJob('acme', 'api'))];
    await sleep(200);
    for (const id of ids) expect(await get(stub, id)).toMatchObject({ state: 'QUEUED', assign_time: null });
    emulator.faults.noRunner(false);
    for (const id of ids) expect((await waitForJob(stub, id, assigned)).assigned_runner).not.toBeNull();
  });

  it('is switched at run time; a queued job can still be cancelled, and clear() brings the runner back', async () => {
    const { emulator, stub } = await setup();
    emulator.faults.noRunner();
    const [stays, cancelled] = [await queue(stub, upJob('acme', 'web')), await queue(stub, upJob('acme', 'api'))];
    await sleep(150);
    expect((await get(stub, stays)).state).toBe('QUEUED');
    await stub.call('CancelJob', { job_id: cancelled });
    expect(await get(stub, cancelled)).toMatchObject({ state: 'ERROR', error: { message: 'canceled' } });
    emulator.faults.clear();
    await waitForJob(stub, stays, assigned);
  });
});

describe('3. job history trimming', () => {
  it('trims every ERROR job before an older SUCCESS one, and never an unfinished one', () => {
    const state = createState({ jobHistoryLimit: 2 });
    const add = (id: string) => addJob(state, { id, depends_on: [], application: { project: 'acme', application: 'web' }, workspace: { workspace: 'default' }, expire_time: null } as unknown as Job);
    updateJob(state, add('A'), { state: 'SUCCESS' });
    updateJob(state, add('B'), { state: 'ERROR' });
    add('C');
    expect([...state.jobs.keys()]).toEqual(['A', 'C']);
    add('D');
    add('E');
    expect([...state.jobs.keys()]).toEqual(['C', 'D', 'E']);
    expect([...state.trimmedJobIds]).toEqual(['B', 'A']);
  });

  it('makes trimmed jobs NOT_FOUND for GetJob, GetJobStream, CancelJob and ListJobs, but still dependable', async () => {
    const { stub } = await setup({ jobHistoryLimit: 2, noRunner: true });
    const cancelled = async () => {
      const id = await queue(stub, upJob('acme', 'web'));
      await stub.call('CancelJob', { job_id: id });
      return id;
    };
    const [first, second] = [await cancelled(), await cancelled()];
    const third = await queue(stub, upJob('acme', 'api'));
    expect(await failure(get(stub, first))).toEqual({ code: 'NOT_FOUND', details: 'job not found' });
    expect((await stub.stream(first)).error).toMatchObject({ code: grpc.status.NOT_FOUND, details: `job not found for ID: ${first}` });
    expect(await failure(stub.call('CancelJob', { job_id: first }))).toEqual({ code: 'NOT_FOUND', details: 'error cancelling job' });
    const listed = async () => (await stub.call('ListJobs', {})).jobs.map((j: { id: string }) => j.id);
    expect(await listed()).toEqual([second, third]);
    const dependent = await queue(stub, upJob('acme', 'web', { depends_on: [first] }));
    const last = await queue(stub, upJob('acme', 'web'));
    expect(await listed()).toEqual([third, dependent, last]);
    expect(await failure(queue(stub, upJob('acme', 'web', { depends_on: ['01HZZZZZZZZZZZZZZZZZZZZZZZ'] })))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps 10,000 jobs by default', { timeout: 120_000 }, async () => {
    const { emulator, stub } = await setup({ noRunner: true });
    const ids: string[] = [];
    for (let start = 0; start < 10_001; start += 500) {
      const batch = Array.from({ length: Math.min(500, 10_001 - start) }, async () => {
        const id = await queue(stub, upJob('acme', 'web'));
        await stub.call('CancelJob', { job_id: id });
        return id;
      });
      ids.push(...(await Promise.all(batch)));
    }
    const oldest = [...ids].sort()[0]!;
    expect(await failure(get(stub, oldest))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await stub.call('ListJobs', {})).jobs).toHaveLength(10_000);
    await emulator.stop();
  });
});

describe('4. per-app lock (blockOps: deploy, destroy, release)', () => {
  it('runs one destroy per (workspace, project, app) at a time, but an up beside it and other apps and workspaces freely', async () => {
    const { stub } = await setup({ stepMs: 150 });
    const first = await queue(stub, destroyJob('web'));
    const second = await queue(stub, destroyJob('web'));
    const up = await queue(stub, upJob('acme', 'web'));
    const otherApp = await queue(stub, destroyJob('api'));
    const otherWorkspace = await queue(stub, destroyJob('web', { workspace: { workspace: 'staging' } }));
    const [a, b, ...beside] = await Promise.all([first, second, up, otherApp, otherWorkspace].map((id) => waitForJob(stub, id)));
    expect(ms(b!.assign_time)).toBeGreaterThanOrEqual(ms(a!.complete_time));
    for (const job of beside) expect(ms(job.assign_time)).toBeLessThan(ms(a!.complete_time));
  });
});

describe('5. job output ring (32 chunks x 164 entries, in memory)', () => {
  const [chunkSize, ringSize] = [164, 32 * 164];
  const line = (i: number) => ({ timestamp: { seconds: '0', nanos: 0 }, line: { msg: String(i), style: '' } });

  it('drops the whole set of chunks when the last fills, and reads at most 64 entries within one chunk', () => {
    const ring = createRing();
    writeRing(ring, Array.from({ length: ringSize - 1 }, (_, i) => line(i)));
    expect(readAll(ring)).toHaveLength(5247);
    const reader = openReader(ring);
    expect([1, 2, 3, 4].map(() => readBatch(reader)!.length)).toEqual([64, 64, 36, 64]);
    writeRing(ring, [line(5247), line(5248)]);
    expect(readAll(ring).map((e) => e.line!.msg)).toEqual(['5248']);
  });

  it('has no buffer for a job until it runs: output before that is dropped', () => {
    const state = createState({});
    const job = { id: 'J1', depends_on: [], application: { project: 'acme', application: 'web' }, workspace: { workspace: 'default' }, expire_time: null } as unknown as Job;
    const record = addJob(state, job);
    appendLines(record, [line(1)]);
    updateJob(state, record, { state: 'RUNNING' });
    appendLines(record, [line(2)]);
    expect(readAll(record.output).map((e) => e.line!.msg)).toEqual(['2']);
  });

  it('gives a late reader only what is still in the ring, live readers batches that never cross a chunk', { timeout: 60_000 }, async () => {
    const { stub } = await setup({ stepMs: 30, logLines: 3000 });
    const id = await queue(stub, upJob('acme', 'web'));
    const live = await stub.stream(id);
    const batches = live.events.filter((e) => e.kind === 'terminal').map((e) => e.body.events.length as number);
    let position = 0;
    for (const size of batches) {
      expect(size).toBeLessThanOrEqual(64);
      expect(Math.floor(position / chunkSize)).toBe(Math.floor((position + size - 1) / chunkSize));
      position += size;
    }
    const all = terminalLines(live.events);
    expect(all.length).toBeGreaterThan(ringSize);
    const late = await stub.stream(id);
    expect(late.events.filter((e) => e.kind === 'terminal')).toHaveLength(1);
    expect(terminalLines(late.events)).toEqual(all.slice(all.length - (all.length % ringSize)));
  });

  it('with completeBeforeOutput, a live stream completes before the last lines, which a late stream still gets', async () => {
    const { emulator, stub } = await setup();
    const drained = await queue(stub, upJob('acme', 'web'));
    const drainedLines = terminalLines((await stub.stream(drained)).events);
    expect(drainedLines).toEqual(terminalLines((await stub.stream(drained)).events));
    emulator.faults.completeBeforeOutput();
    const id = await queue(stub, upJob('acme', 'web'));
    const raced = await stub.stream(id);
    expect(raced.events.at(-1)!.kind).toBe('complete');
    const [racedLines, lateLines] = [terminalLines(raced.events), terminalLines((await stub.stream(id)).events)];
    expect(racedLines.length).toBeLessThan(lateLines.length);
    expect(lateLines.slice(0, racedLines.length)).toEqual(racedLines);
  });
});

describe('6. config scopes', () => {
  const variable = (name: string, value: string, target: object) => ({ name, static: value, target });
  const app = (application: string, extra: object = {}) => ({ application: { project: 'acme', application }, ...extra });
  const names = (reply: { variables: { name: string; static?: string }[] }) => reply.variables.map((v) => `${v.name}=${v.static ?? ''}`);

  it('merges global, project and app sets in that order, each ordered by workspace, scope and selector length', async () => {
    const { stub } = await setup();
    await stub.call('SetConfig', {
      variables: [
        variable('A', 'global', { global: {} }),
        variable('A', 'project-staging', { project: { project: 'acme' }, workspace: { workspace: 'staging' } }),
        variable('A', 'web', app('web')),
        variable('B', 'project', { project: { project: 'ACME' } }),
        variable('B', 'web', app('web')),
        variable('B', 'web-staging', app('web', { workspace: { workspace: 'STAGING' } })),
        variable('C', 'api', app('api')),
        variable('D', 'prod', app('web', { label_selector: 'env == prod' })),
        variable('E', 'not-prod', app('web', { label_selector: 'env != prod' })),
        variable('F', 'runner', app('web', { runner: { any: {} } })),
      ],
    });
    const forWeb = (extra: object) => stub.call('GetConfig', { application: { project: 'acme', application: 'web' }, ...extra });
    expect(names(await forWeb({ workspace: { workspace: 'staging' } }))).toEqual(['A=web', 'B=web-staging', 'C=api']);
    expect(names(await forWeb({ workspace: { workspace: 'default' }, labels: { env: 'prod' } }))).toEqual(['A=web', 'B=web', 'C=api', 'D=prod']);
    expect(names(await forWeb({ workspace: { workspace: 'default' }, labels: { env: 'dev' } }))).toContain('E=not-prod');
    expect(names(await forWeb({ runner: { id: 'R1' } }))).toEqual(['F=runner']);
    expect(names(await forWeb({ prefix: 'b', workspace: { workspace: 'default' } }))).toEqual(['B=web']);
    const project = await stub.call('GetConfig', { project: { project: 'acme' }, workspace: { workspace: 'default' } });
    expect(names(project)).toEqual(['A=global', 'A=web', 'B=project', 'B=web', 'C=api']);
  });

  it('deletes with unset or an empty value, deletes before writes, and refuses a variable without a scope', async () => {
    const { stub } = await setup();
    await stub.call('SetConfig', { variables: [variable('X', '1', app('web')), variable('Y', '1', app('web'))] });
    await stub.call('SetConfig', { variables: [variable('X', '2', app('web')), { name: 'X', unset: {}, target: app('web') }, variable('Y', '', app('web'))] });
    expect(names(await stub.call('GetConfig', { application: { project: 'acme', application: 'web' } }))).toEqual(['X=2']);
    expect(await failure(stub.call('SetConfig', { variables: [{ name: 'Z', static: '1', target: { workspace: { workspace: 'default' } } }] }))).toMatchObject({ code: 'INTERNAL' });
    expect(await failure(stub.call('GetConfig', {}))).toEqual({ code: 'INVALID_ARGUMENT', details: 'Scope: cannot be blank.' });
  });
});

describe('7. WaypointHclFmt', () => {
  it.each(hclwriteCases)('formats like hclwrite: %j', ({ input, want }) => {
    const tokens = lexHcl(input);
    formatTokens(tokens);
    expect(tokensText(tokens)).toBe(want);
  });

  it.each([
    ['unwraps an attribute that is only "${...}", not one with text or two sequences', 'a = "${var.x}"\nb = "x${y}"\nc = "${y}${z}"\n', 'a = var.x\nb = "x${y}"\nc = "${y}${z}"\n'],
    ['leaves "${...}" inside an object value alone', 'a = { b = "${c}" }\n', 'a = { b = "${c}" }\n'],
    ['quotes labels, and drops comments between them', 'app web /* a */ "x" {\n}\n', 'app "web" "x" {\n}\n'],
    ['drops a quoted label the scanner splits at a $ (Labels() does not return it)', 'app "a$b" "c" {\n}\n', 'app "c" {\n}\n'],
    ['validates no schema', 'nonsense "x" {\n  y=1\n}\napp {\n}\n', 'nonsense "x" {\n  y = 1\n}\napp {\n}\n'],
    ['keeps CRLF, blank lines and a missing final newline', 'a=1\r\n\n\n\nb=2', 'a = 1\r\n\n\n\nb = 2'],
  ])('%s', async (_, input, want) => {
    const { stub } = running[0] ?? (await setup());
    const reply = await stub.call('WaypointHclFmt', { waypoint_hcl: Buffer.from(input) });
    expect(Buffer.from(reply.waypoint_hcl).toString()).toBe(want);
  });

  it('refuses what does not parse with INTERNAL and a fixed message', async () => {
    const { stub } = running[0] ?? (await setup());
    expect(await failure(stub.call('WaypointHclFmt', { waypoint_hcl: Buffer.from('a = 1\na = 2\n') }))).toEqual({ code: 'INTERNAL', details: 'failed to format waypoint hcl' });
  });
});

describe('8. bad tokens (decodeToken)', () => {
  const transport = (keyId: string) => Buffer.concat([Buffer.from([0x0a, 1, 0x41, 0x12, 1, 0x42, 0x1a, keyId.length]), Buffer.from(keyId)]);
  const base58 = (bytes: Buffer) => {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    let value = BigInt(`0x${bytes.toString('hex')}`);
    let text = '';
    for (; value > 0n; value /= 58n) text = alphabet[Number(value % 58n)]! + text;
    return text;
  };

  it.each([
    ['not base58', 'not-the-token', "failed to base58 decode token: Invalid base58 digit ('-')"],
    ['base58 without the magic', 'nope', 'Failed to decode authentication token. The magic string embedded in the token does not match what was expected. This is likely due to the token string being an invalid auth token.'],
    ['the magic and no protobuf', base58(Buffer.from('wp24\x0f', 'latin1')), 'failed to proto unmarshal token: proto: cannot parse invalid wire-format data'],
    ['an unknown key id', base58(Buffer.concat([Buffer.from('wp24'), transport('k2')])), 'unknown key id "k2": invalid authentication token'],
    ['a wrong signature', generateToken(), 'bad token signature: invalid authentication token'],
  ])('answers UNKNOWN for %s, in the real words', async (_, bad, message) => {
    const { stub } = running[0] ?? (await setup());
    expect(await failure(stub.call('ListProjects', {}, auth(bad)))).toEqual({ code: 'UNKNOWN', details: message });
    expect((await stub.stream('01HZZZZZZZZZZZZZZZZZZZZZZZ', { metadata: auth(bad) })).error).toMatchObject({ code: grpc.status.UNKNOWN, details: message });
  });

  it('has no key at all before the first token exists', async () => {
    const emulator = await startEmulator({ initJobs: false });
    const stub = createStub(emulator.address, undefined);
    running.push({ emulator, stub });
    expect(await failure(stub.call('ListProjects', {}, auth(generateToken())))).toEqual({ code: 'UNKNOWN', details: 'unknown key id "k1": invalid authentication token' });
  });
});
