// Who may read the daemon's status and ask it to sync: loopback only without an API
// token, everyone who shows it with one; health checks and webhooks stay open. Peers
// other than loopback are made with inject's remoteAddress, so no network is needed.

import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/daemon/http.js';
import { httpAccess } from '../src/daemon/http-access.js';
import { createMetrics } from '../src/daemon/metrics.js';
import { newStatus } from '../src/daemon/status.js';
import type { Request } from '../src/reconciler/requests.js';

const token = 'pilot-api-token-3f9a0c7e1b';
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(apiToken?: string) {
  const pushed: Request[] = [];
  const app = createHttpServer({
    status: newStatus(), metrics: createMetrics(), push: (r) => pushed.push(r), waypointReachable: async () => true,
    access: httpAccess({ host: '127.0.0.1', port: 0, ...(apiToken ? { apiToken } : {}) }), paths: { stateDir: '/var/lib/pilot', home: '/home/ops' },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  return { app, pushed, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

const reads = ['/', '/api/status', '/metrics'];
const foreign = '192.0.2.7';
const sync = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' } as const;

describe('without an API token', () => {
  it('answers loopback peers on the status, metrics and sync routes', async () => {
    const { url, app, pushed } = await start();
    for (const path of reads) expect((await fetch(`${url}${path}`)).status, path).toBe(200);
    expect((await fetch(`${url}/api/sync`, sync)).status).toBe(202);
    expect(pushed).toHaveLength(1);
    for (const remoteAddress of ['127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect((await app.inject({ url: '/api/status', remoteAddress })).statusCode, remoteAddress).toBe(200);
    }
  });

  it('refuses every other peer with 403 and says to set the token; health checks stay open', async () => {
    const { app, pushed } = await start();
    for (const url of reads) {
      const answer = await app.inject({ url, remoteAddress: foreign });
      expect(answer.statusCode, url).toBe(403);
      expect(answer.json().error).toMatch(/http\.apiToken.*PILOT_API_TOKEN/);
    }
    expect((await app.inject({ method: 'POST', url: '/api/sync', remoteAddress: foreign, headers: sync.headers, payload: '{}' })).statusCode).toBe(403);
    expect(pushed).toEqual([]);
    expect((await app.inject({ url: '/healthz', remoteAddress: foreign })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/readyz', remoteAddress: foreign });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ ready: false, reason: 'the manifest repository has not been read yet; the state store is not open' });
  });

  it('does not take a request a proxy forwarded from loopback for a local one', async () => {
    const { app } = await start();
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      expect((await app.inject({ url: '/api/status', headers: { [header]: '203.0.113.9' } })).statusCode, header).toBe(403);
    }
  });
});

describe('with an API token', () => {
  it('asks every peer, loopback too, for the bearer token', async () => {
    const { url, app, pushed } = await start(token);
    for (const path of reads) {
      const answer = await fetch(`${url}${path}`);
      expect(answer.status, path).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect((await fetch(`${url}${path}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    }
    expect((await fetch(`${url}/api/sync`, sync)).status).toBe(401);
    expect((await fetch(`${url}/api/sync`, { ...sync, headers: { ...sync.headers, authorization: `Bearer ${token}` } })).status).toBe(202);
    expect((await app.inject({ url: '/metrics', remoteAddress: foreign, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect(pushed).toHaveLength(1);
  });

  it('lets a browser in with ?token= once: a cookie for reading, never for a sync', async () => {
    const { url } = await start(token);
    expect((await fetch(`${url}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    const entry = await fetch(`${url}/?token=${token}`, { redirect: 'manual' });
    expect(entry.status).toBe(303);
    expect(entry.headers.get('location')).toBe('/');
    const cookie = entry.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pilot_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(cookie).not.toContain(token);
    const session = { cookie: cookie.split(';')[0]! };
    expect((await fetch(`${url}/`, { headers: session })).status).toBe(200);
    expect((await fetch(`${url}/api/status`, { headers: session })).status).toBe(200);
    expect((await fetch(`${url}/api/sync`, { ...sync, headers: { ...sync.headers, ...session } })).status).toBe(401);
  });
});
