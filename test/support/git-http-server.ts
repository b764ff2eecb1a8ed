// A git server over HTTP for tests: node:http in front of `git http-backend` (CGI),
// demanding HTTP Basic auth with one known user name and token.

import { spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** http://127.0.0.1:PORT/NAME for a bare repository NAME under the root. */
  url(name: string): string;
  /** Every Authorization header the server was sent (to check what git sent, and how often). */
  readonly attempts: { authorized: number; refused: number };
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** The folder holding the bare repositories (GIT_PROJECT_ROOT). */
  root: string;
  username: string;
  token: string;
  /** Serve HTTPS with this certificate (the manifest contract takes https:// sources only). */
  tls?: { cert: Buffer; key: Buffer };
  /** Listen on this port (to come back where a stopped server was); default: any free one. */
  port?: number;
}

/** Splits a CGI reply into its status, headers and body. */
function parseCgi(output: Buffer): { status: number; headers: Record<string, string>; body: Buffer } {
  let end = output.indexOf('\r\n\r\n');
  let gap = 4;
  if (end < 0) [end, gap] = [output.indexOf('\n\n'), 2];
  if (end < 0) return { status: 502, headers: {}, body: Buffer.from('no CGI headers') };
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of output.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else headers[name] = value;
  }
  return { status, headers, body: output.subarray(end + gap) };
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`${options.username}:${options.token}`).toString('base64')}`;
  const attempts = { authorized: 0, refused: 0 };

  const handler: http.RequestListener = (req, res) => {
    if (req.headers.authorization !== expected) {
      attempts.refused += 1;
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="pilot-test"', 'Content-Type': 'text/plain' }).end('authentication required\n');
      return;
    }
    attempts.authorized += 1;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : '';
    };
    const backend = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: header('content-type'),
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: header('content-length') } : {}),
        HTTP_CONTENT_ENCODING: header('content-encoding'),
        HTTP_GIT_PROTOCOL: header('git-protocol'),
        REMOTE_USER: options.username,
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      },
    });
    const output: Buffer[] = [];
    backend.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    backend.stderr.resume();
    backend.on('error', () => res.writeHead(500).end());
    backend.on('close', () => {
      const reply = parseCgi(Buffer.concat(output));
      res.writeHead(reply.status, reply.headers).end(reply.body);
    });
    req.pipe(backend.stdin);
    backend.stdin.on('error', () => undefined);
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/${name}`,
    attempts,
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
