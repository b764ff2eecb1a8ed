// The GitHub webhook receiver: signature, payloads (GitHub's own examples), the
// status of every rejection, deduplication across restarts, on a real server.

import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../src/reconciler/logger.js';
import {
  MalformedPayloadError,
  normalizeRepoUrl,
  parseEvent,
  registerGithubWebhooks,
  repoMatches,
  verifySignature,
  type Delivery,
  type WebhookEvent,
} from '../src/sources/github/index.js';
import { openSqliteStore, stateDbPath, type SqliteStore, type SqliteStoreOptions } from '../src/store/index.js';

const secret = 'current-secret';
const previousSecret = 'previous-secret';

type Payload = Record<string, any>;

// The package is CommonJS JSON; a default import types it as a namespace, so require it.
const webhookExamples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

function examples(name: string, action?: string): Payload[] {
  const definition = webhookExamples.find((d) => d.name === name);
  if (definition === undefined) throw new Error(`no examples for ${name}`);
  const all = definition.examples as Payload[];
  return action === undefined ? all : all.filter((e) => e.action === action);
}

let dir: string;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-webhooks-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** The store on this test's state.db, closed after the test. */
function openState(options: SqliteStoreOptions = {}): SqliteStore {
  const store = openSqliteStore(stateDbPath(dir), options);
  cleanups.push(() => store.close());
  return store;
}

interface LogLine {
  level: string;
  data: Record<string, unknown>;
  message: string;
}

function captureLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (data: object, message: string) => lines.push({ level, data: { ...data }, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

interface Server {
  app: FastifyInstance;
  url: string;
  events: { event: WebhookEvent; delivery: Delivery }[];
  lines: LogLine[];
  store: SqliteStore;
}

async function startServer(options: {
  secrets?: string[];
  store?: SqliteStore;
  onEvent?: (event: WebhookEvent, delivery: Delivery) => void | Promise<void>;
  logger?: Logger;
} = {}): Promise<Server> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const events: Server['events'] = [];
  const lines: LogLine[] = [];
  const store = options.store ?? openState();
  // A route outside the plugin: it must keep Fastify's normal JSON parsing.
  app.post('/echo', async (request) => ({ parsed: request.body }));
  registerGithubWebhooks(app, {
    secrets: () => options.secrets ?? [secret, previousSecret],
    deliveries: store.deliveries,
    logger: options.logger ?? captureLogger(lines),
    onEvent: (event, delivery) => {
      events.push({ event, delivery });
      return options.onEvent?.(event, delivery);
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => app.close());
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { app, url: `http://127.0.0.1:${address.port}`, events, lines, store };
}

let deliveryCounter = 0;
function newDeliveryId(): string {
  deliveryCounter += 1;
  return `72d3162e-cc78-11e3-81ab-${String(deliveryCounter).padStart(12, '0')}`;
}

async function signedHeaders(event: string, body: string, options: { key?: string; delivery?: string } = {}) {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': options.delivery ?? newDeliveryId(),
    'x-github-hook-id': '109948940',
    'x-hub-signature-256': await sign(options.key ?? secret, body),
    'user-agent': 'GitHub-Hookshot/044aadd',
  };
}

async function post(server: Server, headers: Record<string, string>, body: string) {
  const response = await fetch(`${server.url}/webhooks/github`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Lets every setImmediate queued by the route run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(await check()).toBe(true);
}

/** The result recorded for the newest delivery. */
async function lastResult(server: Server): Promise<string | undefined> {
  return (await server.store.history.recentDeliveries(1))[0]?.result;
}

describe('verifySignature', () => {
  const body = Buffer.from('{"zen":"Keep it logically awesome."}');

  it('accepts the signature @octokit/webhooks-methods makes, under any configured secret', async () => {
    expect(verifySignature([secret], body, await sign(secret, body.toString()))).toBe(true);
    expect(verifySignature([secret, previousSecret], body, await sign(previousSecret, body.toString()))).toBe(true);
  });

  it('refuses another secret, another body and an empty secret', async () => {
    expect(verifySignature([secret], body, await sign('other', body.toString()))).toBe(false);
    expect(verifySignature([secret], Buffer.from(`${body} `), await sign(secret, body.toString()))).toBe(false);
    expect(verifySignature([], body, await sign(secret, body.toString()))).toBe(false);
    const underEmptyKey = `sha256=${createHmac('sha256', '').update(body).digest('hex')}`;
    expect(verifySignature([''], body, underEmptyKey)).toBe(false);
  });

  it('checks the raw bytes, not a re-serialisation of them', async () => {
    const spaced = Buffer.from('{ "zen" : "Keep it logically awesome." }');
    expect(verifySignature([secret], spaced, await sign(secret, spaced.toString()))).toBe(true);
    expect(verifySignature([secret], spaced, await sign(secret, JSON.stringify(JSON.parse(spaced.toString()))))).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no prefix', createHmac('sha256', secret).update(body).digest('hex')],
    ['sha1', `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`],
    ['too short', 'sha256=abc'],
    ['prefix only', 'sha256='],
    ['one digit too many', `sha256=${createHmac('sha256', secret).update(body).digest('hex')}0`],
    ['odd hex', `sha256=${'z'.repeat(64)}`],
    ['multi-byte', `sha256=${'é'.repeat(64)}`],
  ])('refuses a %s signature without throwing', (_name, header) => {
    expect(() => verifySignature([secret], body, header)).not.toThrow();
    expect(verifySignature([secret], body, header)).toBe(false);
  });
});

describe('parseEvent', () => {
  it.each(examples('push').map((e, i) => [i, e] as const))('reads push example %i', (_i, example) => {
    const event = parseEvent('push', example);
    const changed = new Set<string>(example.commits.flatMap((c: Payload) => [...c.added, ...c.modified, ...c.removed]));
    expect(event).toEqual({
      kind: 'push',
      repoUrls: [example.repository.clone_url, example.repository.html_url, example.repository.ssh_url, example.repository.git_url],
      fullName: example.repository.full_name,
      ref: example.ref,
      before: example.before,
      after: example.after,
      deleted: example.deleted,
      forced: example.forced,
      changedPaths: [...changed].sort(),
    });
  });

  it('joins the files of every commit, once each, sorted', () => {
    const example = structuredClone(examples('push').find((e) => e.commits.length > 0)!);
    example.commits = [
      { ...example.commits[0], added: ['b.txt'], modified: ['pilot.yaml'], removed: [] },
      { ...example.commits[0], added: [], modified: ['pilot.yaml', 'a/x.yaml'], removed: ['old.yaml'] },
      { ...example.commits[0], added: undefined, modified: undefined, removed: undefined },
    ];
    expect((parseEvent('push', example) as { changedPaths: string[] }).changedPaths).toEqual(['a/x.yaml', 'b.txt', 'old.yaml', 'pilot.yaml']);
  });

  it.each(examples('pull_request').map((e) => [e.action, e] as const))('reads a pull_request %s example', (action, example) => {
    expect(parseEvent('pull_request', example)).toEqual({
      kind: 'pull_request',
      action,
      number: example.number,
      headSha: example.pull_request.head.sha,
      headRef: example.pull_request.head.ref,
      baseRef: example.pull_request.base.ref,
      repoUrls: [example.repository.clone_url, example.repository.html_url, example.repository.ssh_url, example.repository.git_url],
      fullName: example.repository.full_name,
      htmlUrl: example.repository.html_url,
      headRepo: example.pull_request.head.repo?.full_name ?? undefined,
      merged: example.pull_request.merged ?? false,
    });
  });

  it('reads a merged pull request, and a head whose repository was deleted', () => {
    const example = examples('pull_request', 'closed')[0]!;
    const merged = { ...example, pull_request: { ...example.pull_request, merged: true, head: { ...example.pull_request.head, repo: null } } };
    expect(parseEvent('pull_request', merged)).toMatchObject({ action: 'closed', merged: true, headRepo: undefined });
    expect(() => parseEvent('pull_request', { ...example, pull_request: { ...example.pull_request, merged: 'yes' } })).toThrow(/pull_request\.merged must be true or false/);
  });

  it.each(examples('release').map((e) => [e.action, e] as const))('reads release %s, keeping only published', (action, example) => {
    const event = parseEvent('release', example);
    if (action !== 'published') return expect(event).toBeUndefined();
    expect(event).toEqual({
      kind: 'release',
      repoUrls: [example.repository.clone_url, example.repository.html_url, example.repository.ssh_url, example.repository.git_url],
      fullName: example.repository.full_name,
      tag: example.release.tag_name,
      target: example.release.target_commitish,
    });
  });

  it.each(examples('ping').map((e, i) => [i, e] as const))('reads ping example %i', (_i, example) => {
    expect(parseEvent('ping', example)).toEqual({ kind: 'ping', zen: example.zen, hookId: example.hook_id });
  });

  it('ignores events Pilot has no use for', () => {
    expect(parseEvent('issues', examples('issues')[0])).toBeUndefined();
    expect(parseEvent('star', {})).toBeUndefined();
  });

  it('lists every malformed field at once', () => {
    const example = structuredClone(examples('push')[0]!);
    example.ref = 42;
    delete example.after;
    example.repository.clone_url = null;
    example.commits = [{ added: 'pilot.yaml' }];
    let error: unknown;
    try {
      parseEvent('push', example);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MalformedPayloadError);
    expect((error as MalformedPayloadError).problems).toEqual([
      'repository.clone_url must be a string',
      'ref must be a string',
      'after must be a string',
      'commits.0.added must be a list of strings',
    ]);
    expect(() => parseEvent('push', [])).toThrow('the push payload is malformed: the payload must be a JSON object');
    expect(() => parseEvent('pull_request', { action: 'opened', number: 1.5 })).toThrow(/number must be a whole number/);
  });
});

describe('repoMatches', () => {
  const github = ['https://github.com/Codertocat/Hello-World.git', 'https://github.com/Codertocat/Hello-World'];
  it.each([
    ['https://github.com/Codertocat/Hello-World', true],
    ['https://github.com/codertocat/hello-world.git', true],
    ['https://GitHub.com/Codertocat/Hello-World/', true],
    ['https://x-access-token:ghs_secret@github.com/Codertocat/Hello-World.git', true],
    ['https://user@github.com/Codertocat/Hello-World.git/', true],
    ['git@github.com:Codertocat/Hello-World.git', true],
    ['git@github.com:codertocat/hello-world', true],
    ['ssh://git@github.com/Codertocat/Hello-World.git', true],
    ['ssh://git@github.com:22/Codertocat/Hello-World.git', true],
    ['git://github.com/Codertocat/Hello-World.git', true],
    ['  https://github.com/Codertocat/Hello-World.git  ', true],
    ['https://github.com/Codertocat/Hello-World-2', false],
    ['https://github.com/Octocoders/Hello-World', false],
    ['https://gitlab.com/Codertocat/Hello-World', false],
    ['git@gitlab.com:Codertocat/Hello-World.git', false],
    ['https://github.com/Codertocat', false],
    ['/srv/git/Hello-World.git', false],
    ['not a url', false],
    ['', false],
  ])('%s -> %s', (url, expected) => {
    expect(repoMatches(url, github)).toBe(expected);
  });

  it('matches the URLs a real push carries against each other', () => {
    const { repository } = examples('push')[0]!;
    const urls = [repository.clone_url, repository.html_url, repository.ssh_url, repository.git_url];
    for (const url of urls) expect(repoMatches(url, [repository.ssh_url])).toBe(true);
    expect(new Set(urls.map(normalizeRepoUrl))).toEqual(new Set(['github.com/codertocat/hello-world']));
  });
});

describe('delivery log', () => {
  it('claims an id once, across a reopen of state.db', async () => {
    const first = openSqliteStore(stateDbPath(dir));
    expect(await first.deliveries.claim('d-1', 'push')).toBe(true);
    expect(await first.deliveries.claim('d-1', 'push')).toBe(false);
    await first.deliveries.finish('d-1', 'dispatched');
    await first.close();

    const second = openState();
    expect(await second.deliveries.claim('d-1', 'push')).toBe(false);
    expect(await second.history.recentDeliveries(10)).toEqual([{ id: 'd-1', event: 'push', result: 'dispatched', receivedAt: expect.any(String) }]);
  });

  it('keeps only the newest deliveries', async () => {
    let tick = 0;
    const store = openState({ keepDeliveries: 3, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
    for (const id of ['a', 'b', 'c', 'd', 'e']) expect(await store.deliveries.claim(id, 'push')).toBe(true);
    expect((await store.history.recentDeliveries(10)).map((d) => d.id)).toEqual(['e', 'd', 'c']);
    // A pruned id is forgotten; GitHub does not redeliver that far back.
    expect(await store.deliveries.claim('a', 'push')).toBe(true);
    await expect(async () => store.history.recentDeliveries(-1)).rejects.toThrow(RangeError);
  });
});

describe('POST /webhooks/github', () => {
  const accepted: [string, Payload][] = [
    ...examples('push').map((e, i) => [`push #${i} (${e.ref}${e.deleted ? ', deleted' : ''})`, e] as [string, Payload]),
    ...examples('pull_request', 'opened').map((e, i) => [`pull_request opened #${i}`, e] as [string, Payload]),
    ...examples('release', 'published').map((e, i) => [`release published #${i}`, e] as [string, Payload]),
    ...examples('ping').map((e, i) => [`ping #${i}`, e] as [string, Payload]),
  ];

  it.each(accepted)('accepts %s and hands the parsed event to onEvent', async (label, example) => {
    const server = await startServer();
    const name = label.split(' ')[0]!;
    const body = JSON.stringify(example);
    const headers = await signedHeaders(name, body);
    const response = await post(server, headers, body);

    expect(response).toEqual({ status: 202, body: { status: 'accepted', event: name } });
    await until(() => server.events.length === 1);
    const [{ event, delivery }] = server.events as [Server['events'][0]];
    expect(delivery).toEqual({ id: headers['x-github-delivery'], name });
    expect(event).toEqual(parseEvent(name, example));
    if (event.kind === 'push') {
      expect(event.repoUrls).toContain(example.repository.clone_url);
      expect(event.repoUrls).toContain(example.repository.ssh_url);
      expect(event.ref).toBe(example.ref);
      expect(event.after).toBe(example.after);
    }
    if (event.kind === 'pull_request') expect(event).toMatchObject({ action: 'opened', number: example.number, headSha: example.pull_request.head.sha });
    if (event.kind === 'release') expect(event).toMatchObject({ tag: example.release.tag_name, repoUrls: expect.arrayContaining([example.repository.html_url]) });
    if (event.kind === 'ping') expect(event.hookId).toBe(example.hook_id);
    await until(async () => (await lastResult(server)) === 'dispatched');
  });

  it('accepts the previous secret during a rotation, and a charset in Content-Type', async () => {
    const server = await startServer();
    const body = JSON.stringify(examples('ping')[0]);
    const headers = { ...(await signedHeaders('ping', body, { key: previousSecret })), 'content-type': 'application/json; charset=utf-8' };
    expect((await post(server, headers, body)).status).toBe(202);
    await until(() => server.events.length === 1);
  });

  it('acknowledges an event or action Pilot ignores without calling onEvent', async () => {
    const server = await startServer();
    for (const [name, example] of [['issues', examples('issues')[0]], ['release', examples('release', 'created')[0]]] as const) {
      const body = JSON.stringify(example);
      expect(await post(server, await signedHeaders(name, body), body)).toEqual({ status: 202, body: { status: 'ignored' } });
    }
    await settle();
    expect(server.events).toEqual([]);
    expect((await server.store.history.recentDeliveries(10)).map((d) => [d.event, d.result])).toEqual([['release', 'ignored'], ['issues', 'ignored']]);
  });

  describe('refuses, without calling onEvent or recording the delivery', () => {
    const body = JSON.stringify(examples('push')[4]);
    const cases: [string, number, () => Promise<Record<string, string>>, string?][] = [
      ['a signature under another secret', 401, async () => signedHeaders('push', body, { key: 'attacker' })],
      ['a signature of another body', 401, async () => ({ ...(await signedHeaders('push', body)), 'x-hub-signature-256': await sign(secret, `${body} `) })],
      ['a missing signature', 401, async () => without(await signedHeaders('push', body), 'x-hub-signature-256')],
      ['a SHA-1 signature only', 401, async () => ({
        ...without(await signedHeaders('push', body), 'x-hub-signature-256'),
        'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
      })],
      ['a missing X-GitHub-Event', 400, async () => without(await signedHeaders('push', body), 'x-github-event')],
      ['a missing X-GitHub-Delivery', 400, async () => without(await signedHeaders('push', body), 'x-github-delivery')],
      ['a malformed X-GitHub-Delivery', 400, async () => ({ ...(await signedHeaders('push', body)), 'x-github-delivery': '../../etc/passwd' })],
      ['text/plain', 415, async () => ({ ...(await signedHeaders('push', body)), 'content-type': 'text/plain' })],
      ['a form-encoded body', 415, async () => ({ ...(await signedHeaders('push', body)), 'content-type': 'application/x-www-form-urlencoded' })],
      ['a signed body that is not JSON', 400, async () => signedHeaders('push', '{"ref": '), '{"ref": '],
      ['a signed push without its fields', 400, async () => signedHeaders('push', '{"ref": "refs/heads/main"}'), '{"ref": "refs/heads/main"}'],
    ];

    it.each(cases)('%s: %i', async (_name, status, headers, sentBody) => {
      const server = await startServer();
      const response = await post(server, await headers(), sentBody ?? body);
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ error: expect.any(String) });
      await settle();
      expect(server.events).toEqual([]);
      expect(await server.store.history.recentDeliveries(10)).toEqual([]);
    });

    it('a body over 25 MB: 413', async () => {
      const server = await startServer();
      const big = Buffer.alloc(25 * 1024 * 1024 + 1, 0x20);
      const headers = await signedHeaders('push', big.toString());
      const response = await server.app.inject({ method: 'POST', url: '/webhooks/github', headers, payload: big });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({ error: 'the body is over 25 MB, more than GitHub sends' });
      await settle();
      expect(server.events).toEqual([]);
      expect(await server.store.history.recentDeliveries(10)).toEqual([]);
    });

    it('a malformed payload, with a message naming the fields', async () => {
      const server = await startServer();
      const sent = '{"ref": 1}';
      const response = await post(server, await signedHeaders('push', sent), sent);
      expect(response.body.error).toMatch(/^the push payload is malformed: .*ref must be a string/);
    });
  });

  it('answers 404 to everything when no secret is configured', async () => {
    for (const secrets of [[], ['']]) {
      const server = await startServer({ secrets });
      const body = JSON.stringify(examples('ping')[0]);
      const response = await post(server, await signedHeaders('ping', body, { key: 'anything' }), body);
      expect(response.status).toBe(404);
      expect(response.body.error).toMatch(/no webhook secret is configured/);
      await settle();
      expect(server.events).toEqual([]);
    }
  });

  it('processes a delivery once, also after a restart', async () => {
    const body = JSON.stringify(examples('push')[4]);
    const headers = await signedHeaders('push', body);
    const first = await startServer({ store: openSqliteStore(stateDbPath(dir)) });
    expect((await post(first, headers, body)).status).toBe(202);
    expect(await post(first, headers, body)).toEqual({ status: 200, body: { status: 'duplicate' } });
    await settle();
    expect(first.events).toHaveLength(1);
    await first.app.close();
    await first.store.close();

    const second = await startServer();
    expect(await post(second, headers, body)).toEqual({ status: 200, body: { status: 'duplicate' } });
    await settle();
    expect(second.events).toEqual([]);
  });

  it('answers before onEvent finishes, and records a failing handler', async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    const server = await startServer({
      onEvent: (event) => (event.kind === 'ping' ? slow : Promise.reject(new Error('reconcile queue full'))),
    });
    const ping = JSON.stringify(examples('ping')[0]);
    expect((await post(server, await signedHeaders('ping', ping), ping)).status).toBe(202);
    await until(() => server.events.length === 1);
    expect(await lastResult(server)).toBe('accepted');
    release();
    await until(async () => (await lastResult(server)) === 'dispatched');

    const push = JSON.stringify(examples('push')[4]);
    expect((await post(server, await signedHeaders('push', push), push)).status).toBe(202);
    await until(async () => (await lastResult(server)) === 'failed');
    expect(server.lines.at(-1)).toMatchObject({ level: 'error', message: 'github webhook handler failed', data: { error: 'reconcile queue full' } });
  });

  it('logs one line per delivery with its id and event, never the body or the signature', async () => {
    const server = await startServer();
    const body = JSON.stringify(examples('push')[4]);
    const good = await signedHeaders('push', body);
    const bad = await signedHeaders('push', body, { key: 'attacker' });
    await post(server, good, body);
    await post(server, bad, body);
    await settle();
    expect(server.lines).toEqual([
      { level: 'info', message: 'github webhook delivery', data: { delivery: good['x-github-delivery'], event: 'push', status: 202, outcome: 'accepted' } },
      { level: 'warn', message: 'github webhook delivery refused', data: { delivery: bad['x-github-delivery'], event: 'push', status: 401, outcome: 'bad-signature' } },
    ]);
    const logged = JSON.stringify(server.lines);
    for (const secretText of [good['x-hub-signature-256'], bad['x-hub-signature-256'], secret, 'Codertocat']) {
      expect(logged).not.toContain(secretText.replace(/^sha256=/, ''));
    }
  });

  it('binds the delivery and event through a pino child logger', async () => {
    const written: string[] = [];
    const logger = pino({ base: null }, { write: (line: string) => void written.push(line) });
    const server = await startServer({ logger });
    const body = JSON.stringify(examples('ping')[0]);
    const headers = await signedHeaders('ping', body);
    await post(server, headers, body);
    await until(() => written.length === 1);
    expect(JSON.parse(written[0]!)).toMatchObject({
      delivery: headers['x-github-delivery'], event: 'ping', status: 202, outcome: 'accepted', msg: 'github webhook delivery',
    });
  });

  it('leaves JSON parsing of the other routes alone', async () => {
    const server = await startServer();
    const response = await fetch(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await response.json()).toEqual({ parsed: { a: 1 } });
  });
});

function without(headers: Record<string, string>, name: string): Record<string, string> {
  const copy = { ...headers };
  delete copy[name];
  return copy;
}
