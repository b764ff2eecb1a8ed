// `pilot sync` against a stand-in daemon: it posts JSON, sends PILOT_API_TOKEN as a
// bearer token when set, and turns a refusal into a message that says what to do.

import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';

interface Seen { headers: http.IncomingHttpHeaders; body: string }

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A daemon stand-in answering every POST /api/sync with `status` and `body`. */
async function daemon(status: number, body: object, headers: Record<string, string> = {}): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/api/sync') seen.push({ headers: request.headers, body: text });
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

describe('pilot sync', () => {
  it('posts JSON with the token from PILOT_API_TOKEN', async () => {
    const { url, seen } = await daemon(202, { status: 'queued' });
    const result = await cli(['sync', '--url', url], { env: { PILOT_API_TOKEN: 'tok-123' } });
    expect(result).toMatchObject({ code: 0, stdout: `reconcile queued at ${url}; watch ${url}/ or ${url}/api/status\n` });
    expect(seen).toEqual([{ headers: expect.objectContaining({ 'content-type': 'application/json', authorization: 'Bearer tok-123' }), body: '{}' }]);
  });

  it('prints one JSON document with --format json, and a refusal as a line on stderr', async () => {
    const { url } = await daemon(202, { status: 'queued' });
    const result = await cli(['sync', '--url', url, '--format', 'json'], { env: {} });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ queued: true, url, status: `${url}/api/status` });
    const refused = await cli(['sync', '--url', (await daemon(429, { error: 'one sync a second' })).url, '--format', 'json'], { env: {} });
    expect(refused).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('answered 429: one sync a second') });
  });

  it('sends no authorization without PILOT_API_TOKEN', async () => {
    const { url, seen } = await daemon(202, { status: 'queued' });
    expect((await cli(['sync', '--url', url], { env: {} })).code).toBe(0);
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.headers['content-type']).toBe('application/json');
  });

  it("says to set PILOT_API_TOKEN when the daemon asks for a token, and never prints the token", async () => {
    const { url } = await daemon(401, { error: 'an API token is required: send Authorization: Bearer <http.apiToken>' });
    for (const env of [{}, { PILOT_API_TOKEN: 'wrong-tok-456' }] as Record<string, string>[]) {
      const result = await cli(['sync', '--url', url], { env });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/answered 401: an API token is required.*PILOT_API_TOKEN/s);
      expect(result.stderr).not.toContain('wrong-tok-456');
    }
  });

  it('passes on why a sync was refused, and when to try again', async () => {
    const { url } = await daemon(429, { error: 'one sync a second: this one was not queued' }, { 'retry-after': '1' });
    const result = await cli(['sync', '--url', url], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('answered 429: one sync a second: this one was not queued (try again in 1 s)');
  });
});
