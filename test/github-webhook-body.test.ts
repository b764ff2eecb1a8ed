// How the webhook route reads a body, on real sockets: hashed as it streams, held only
// within a cap on bytes in flight across every connection (503 past it), and cut off
// at a read deadline (408), so slow or bogus bodies cannot pile up in memory.

import http from 'node:http';
import { sign } from '@octokit/webhooks-methods';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyBudget, defaultBodyBudgetBytes, registerGithubWebhooks } from '../src/sources/github/index.js';

const secret = 'body-test-secret';
const MB = 1024 * 1024;
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function startServer(options: { budget: BodyBudget; bodyDeadlineMs?: number }) {
  const app = Fastify({ logger: false });
  const quiet = () => {};
  registerGithubWebhooks(app, {
    secrets: () => [secret], deliveries: { claim: async () => true, finish: async () => {} }, onEvent: quiet,
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet }, ...options,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  return (app.server.address() as { port: number }).port;
}

let counter = 0;
function headers(signature: string, length?: number): Record<string, string> {
  counter += 1;
  return {
    'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': `d0d0d0d0-${counter}`,
    'x-hub-signature-256': signature, ...(length === undefined ? {} : { 'content-length': String(length) }),
  };
}

interface Answer { status: number; retryAfter?: string; body: string }

/** A request whose body the test writes itself; `answer` settles when the server answers. */
function open(port: number, sent: Record<string, string>) {
  const request = http.request({ host: '127.0.0.1', port, path: '/webhooks/github', method: 'POST', headers: sent, agent: false });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, ...(response.headers['retry-after'] ? { retryAfter: String(response.headers['retry-after']) } : {}) }));
    });
    request.on('error', reject);
  });
  answer.catch(() => {});
  request.flushHeaders();
  return { request, answer, closed: new Promise<void>((resolve) => request.on('close', () => resolve())) };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const bogus = `sha256=${'0'.repeat(64)}`;

describe('reading a webhook body', () => {
  it('answers 408 and closes the connection when the body is not all sent by the deadline', async () => {
    const budget = new BodyBudget();
    const port = await startServer({ budget, bodyDeadlineMs: 300 });
    const slow = open(port, headers(bogus, 1000));
    slow.request.write('{"zen": "');
    const started = Date.now();
    const answer = await slow.answer;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.stringMatching(/not sent within/) });
    expect(Date.now() - started).toBeLessThan(5_000);
    await slow.closed;
    expect(budget.inFlight).toBe(0);
  });

  it('keeps bytes in flight under the cap across ten 24 MB bodies with a bad signature, refusing the rest with 503', async () => {
    const budget = new BodyBudget();
    expect(defaultBodyBudgetBytes).toBe(50 * MB);
    const port = await startServer({ budget });
    const size = 24 * MB;
    const all = Array.from({ length: 10 }, () => open(port, headers(bogus, size)));
    const refused: Answer[] = [];
    const answered = new Set<(typeof all)[number]>();
    for (const one of all) void one.answer.then((a) => (answered.add(one), refused.push(a)));
    // Only the bodies that fit are read; the others are refused before a byte of them is.
    await until(() => refused.length === 8 && budget.inFlight === 2 * size, 'eight refusals');
    expect(refused.map((a) => [a.status, a.retryAfter])).toEqual(Array(8).fill([503, expect.stringMatching(/^\d+$/)]));
    const admitted = all.filter((one) => !answered.has(one));
    expect(admitted).toHaveLength(2);
    const chunk = Buffer.alloc(MB, 0x20);
    for (const one of admitted) {
      for (let sent = 0; sent < size; sent += MB) if (!one.request.write(chunk)) await new Promise((resolve) => one.request.once('drain', resolve));
      one.request.end();
    }
    expect((await Promise.all(admitted.map((one) => one.answer))).map((a) => a.status)).toEqual([401, 401]);
    expect(budget.peak).toBe(2 * size);
    expect(budget.peak).toBeLessThanOrEqual(defaultBodyBudgetBytes);
    await until(() => budget.inFlight === 0, 'every byte released');
  });

  it('counts a body sent without Content-Length as it arrives, and verifies it across chunks', async () => {
    const budget = new BodyBudget(MB);
    const port = await startServer({ budget });
    const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 1, padding: 'x'.repeat(600 * 1024) });
    const first = open(port, headers(await sign(secret, body)));
    first.request.write(body.slice(0, 300 * 1024));
    await until(() => budget.inFlight >= 300 * 1024, 'the first half counted');

    const second = open(port, headers(bogus));
    second.request.write(Buffer.alloc(800 * 1024, 0x20));
    expect(await second.answer).toMatchObject({ status: 503, retryAfter: expect.any(String) });
    await until(() => budget.inFlight === 300 * 1024, 'the refused body released');

    first.request.end(body.slice(300 * 1024));
    expect(await first.answer).toMatchObject({ status: 202, body: JSON.stringify({ status: 'accepted', event: 'ping' }) });
    await until(() => budget.inFlight === 0, 'every byte released');
    expect(budget.peak).toBeLessThanOrEqual(MB);
  });

  it('releases the bytes of a body whose sender goes away', async () => {
    const budget = new BodyBudget();
    const port = await startServer({ budget });
    const gone = open(port, headers(bogus, 4 * MB));
    gone.request.write(Buffer.alloc(MB, 0x20));
    await until(() => budget.inFlight > 0, 'the body counted');
    gone.request.destroy();
    await until(() => budget.inFlight === 0, 'the body released');
  });

  it('refuses a malformed signature before reading the body', async () => {
    const budget = new BodyBudget();
    const port = await startServer({ budget });
    const bad = open(port, headers('sha256=not-hex', 10 * MB));
    expect((await bad.answer).status).toBe(401);
    expect(budget.peak).toBe(0);
  });
});
