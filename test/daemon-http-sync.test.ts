// POST /api/sync refuses what a browser page elsewhere could send (text/plain, a foreign
// Origin, a rebound Host) and more than one sync a second; /api/status and the page
// show no local paths; the server has connection and request timeouts.

import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpOptions } from '../src/daemon/http.js';
import { httpAccess } from '../src/daemon/http-access.js';
import { createMetrics } from '../src/daemon/metrics.js';
import { newStatus } from '../src/daemon/status.js';
import type { Request } from '../src/reconciler/requests.js';

const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(extra: Partial<HttpOptions> = {}, publicUrl?: string) {
  const pushed: Request[] = [];
  const status = newStatus();
  const app = createHttpServer({
    status, metrics: createMetrics(), push: (r) => pushed.push(r), waypointReachable: async () => true,
    access: httpAccess({ host: '127.0.0.1', port: 7900, ...(publicUrl ? { publicUrl, apiToken: 't0k3n' } : {}) }),
    paths: { stateDir: '/var/lib/pilot', home: '/home/ops' }, ...extra,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  return { app, pushed, status, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

const json = { 'content-type': 'application/json' };

describe('POST /api/sync', () => {
  it('refuses what a page on another site can send: text/plain, a foreign Origin, a foreign Host', async () => {
    const { app, pushed } = await start();
    const post = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/sync', headers, payload: '{}' });
    // The measured attack: a form-like text/plain post from another origin, through a rebound name.
    expect((await post({ 'content-type': 'text/plain', origin: 'http://evil.example', host: 'evil.example:7900' })).statusCode).toBe(403);
    expect((await post({ 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await post({ ...json, host: 'evil.example:7900' })).json()).toEqual({ error: expect.stringMatching(/Host evil\.example/) });
    expect((await post({ ...json, origin: 'http://evil.example' })).statusCode).toBe(403);
    expect((await post({ ...json, origin: 'null' })).statusCode).toBe(403);
    expect(pushed).toEqual([]);
    expect((await post({ ...json, host: 'localhost:7900', origin: 'http://localhost:7900' })).statusCode).toBe(202);
    expect(pushed).toHaveLength(1);
  });

  it("accepts the public URL's host, and a bracketed IPv6 loopback", async () => {
    const { app, pushed } = await start({ syncIntervalMs: 0 }, 'https://pilot.example.com');
    const auth = { ...json, authorization: 'Bearer t0k3n' };
    expect((await app.inject({ method: 'POST', url: '/api/sync', headers: { ...auth, host: 'pilot.example.com', origin: 'https://pilot.example.com' }, payload: '{}' })).statusCode).toBe(202);
    expect((await app.inject({ method: 'POST', url: '/api/sync', headers: { ...auth, host: '[::1]:7900' }, payload: '{}' })).statusCode).toBe(202);
    expect(pushed).toHaveLength(2);
  });

  it('accepts one sync a second, answering 429 with Retry-After to the rest; a sync still queued takes them in', async () => {
    let pending = false;
    const { url, pushed } = await start({ syncPending: () => pending });
    const post = () => fetch(`${url}/api/sync`, { method: 'POST', headers: json, body: '{}' });
    expect((await post()).status).toBe(202);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(pushed).toHaveLength(1);
    pending = true;
    expect(await (await post()).json()).toEqual({ status: 'queued' });
    expect(pushed).toHaveLength(2);
    pending = false;
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await post()).status).toBe(202);
    expect(pushed).toHaveLength(3);
  });
});

describe('what the status shows', () => {
  it('replaces the state directory and the home folder in /api/status and the page, leaving the status itself alone', async () => {
    const { url, status } = await start();
    const error = "cannot prepare the manifest cache in /var/lib/pilot/manifests (ENOTDIR: not a directory, mkdir '/var/lib/pilot/manifests/repo')";
    status.lastErrors = [error, 'key /home/ops/.ssh/id_ed25519 not readable; /var/lib/pilot-old and /home/opsx are other folders'];
    status.rejected = { revision: 'fetch', reason: error };
    const shown = await (await fetch(`${url}/api/status`)).json();
    expect(shown.lastErrors).toEqual([
      "cannot prepare the manifest cache in <state>/manifests (ENOTDIR: not a directory, mkdir '<state>/manifests/repo')",
      'key ~/.ssh/id_ed25519 not readable; /var/lib/pilot-old and /home/opsx are other folders',
    ]);
    expect(shown.rejected.reason).not.toContain('/var/lib/pilot/');
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('&#60;state&#62;/manifests');
    expect(page).not.toMatch(/\/var\/lib\/pilot\/|\/home\/ops\//);
    expect(status.lastErrors[0]).toBe(error);
  });

  it('has connection and request timeouts', async () => {
    const { app } = await start();
    expect(app.server.requestTimeout).toBeGreaterThan(0);
    expect(app.server.timeout).toBeGreaterThan(0);
  });
});
