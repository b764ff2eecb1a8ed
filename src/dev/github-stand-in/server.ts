// The stand-in's HTTP server on a loopback port: records every API request with its
// answer, serves the demo page at /_stand-in/, and hands the rest to answerRequest.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerRequest, type Deps, type Outcome } from './answer-request.js';
import { newAppIdentity, publicAppInfo, type PublicAppInfo } from './app-identity.js';
import { Credentials } from './credentials.js';
import { routingOnlyDocument } from './endpoints.js';
import { loadOpenApi, missingOpenApiMessage } from './openapi-document.js';
import { RateLimits, type RateLimitKind } from './rate-limits.js';
import { applySetup } from './setup-route.js';
import { stateHtml, stateJson } from './state-page.js';
import type { RecordedRequest, StandInOptions } from './stand-in-options.js';
import { World } from './world.js';

export interface GithubStandIn {
  /** The API base URL, GHES prefix included. */
  url: string;
  webUrl: string;
  /** False when started with openapi: 'if-installed' and @octokit/openapi is missing. */
  validating: boolean;
  requests: RecordedRequest[];
  invalid(): RecordedRequest[];
  world: World;
  app: PublicAppInfo;
  /** The next `count` API requests are refused as GitHub refuses over-limit ones. */
  rateLimit(count: number, kind: RateLimitKind): void;
  close(): Promise<void>;
}

let requestCounter = 0;

export async function startGithubStandIn(options: StandInOptions = {}): Promise<GithubStandIn> {
  const loaded = loadOpenApi();
  if (!loaded && (options.openapi ?? 'required') === 'required') throw new Error(missingOpenApiMessage());
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  if (prefix && !/^\/[\w./-]+$/.test(prefix)) throw new Error(`pathPrefix must look like /api/v3, not ${prefix}`);
  const world = new World(newAppIdentity());
  const requests: RecordedRequest[] = [];
  const deps: Deps = {
    document: loaded?.document ?? routingOnlyDocument(), validating: loaded !== undefined, checkAnswers: options.checkAnswers === true, prefix, world,
    credentials: new Credentials(world, options.installationTokenTtlMs ?? 3_600_000), limits: new RateLimits(), urls: { api: '', web: '' },
  };

  const server = createServer((req, res) => {
    serve(req, res, deps, requests).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`GitHub stand-in failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const webUrl = `http://${host}:${port}`;
  deps.urls = { api: `${webUrl}${prefix}`, web: webUrl };

  return {
    url: deps.urls.api,
    webUrl,
    validating: deps.validating,
    requests,
    invalid: () => requests.filter((r) => r.invalid !== undefined),
    world,
    app: publicAppInfo(world.app),
    rateLimit: (count, kind) => deps.limits.refuseNext(count, kind),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: Deps, requests: RecordedRequest[]): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', deps.urls.web);
  if (req.method === 'GET' && (url.pathname === '/_stand-in/' || url.pathname === '/_stand-in')) return send(res, 200, 'text/html; charset=utf-8', stateHtml(deps.world));
  if (req.method === 'POST' && url.pathname === '/_stand-in/setup') {
    const { status, message } = applySetup(deps.world, rawBody);
    return send(res, status, 'application/json; charset=utf-8', JSON.stringify({ message }));
  }
  if (req.method === 'GET' && url.pathname === '/_stand-in/state.json') return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(stateJson(deps.world), null, 2));

  const authorization = req.headers.authorization;
  const outcome: Outcome = answerRequest(deps, { method: req.method ?? 'GET', url, authorization, rawBody });
  const record: RecordedRequest = {
    method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: recordedHeaders(req),
    body: parseOrUndefined(rawBody), rawBody, status: outcome.status,
    ...(outcome.operationId ? { operationId: outcome.operationId } : {}),
    ...(outcome.invalid ? { invalid: outcome.invalid } : {}),
    ...(outcome.rateLimited ? { rateLimited: outcome.rateLimited } : {}),
  };
  requests.push(record);
  requestCounter += 1;
  const headers = { ...outcome.headers, 'x-github-request-id': `STANDIN:${requestCounter}`, 'x-github-api-version-selected': '2022-11-28' };
  if (outcome.status === 204 || outcome.body === undefined) {
    res.writeHead(outcome.status, headers);
    res.end();
    return;
  }
  send(res, outcome.status, 'application/json; charset=utf-8', JSON.stringify(outcome.body), headers);
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Headers as sent, the credential cut to its scheme ('token', 'bearer'). */
function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = name === 'authorization' ? (String(value).split(/\s+/)[0] ?? '').toLowerCase() : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseOrUndefined(raw: string): unknown {
  try {
    return raw.trim() === '' ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}
