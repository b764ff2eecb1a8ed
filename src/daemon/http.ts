// The daemon's HTTP server: health, readiness, metrics, status (JSON and a page), sync.
// /healthz and /readyz are open (health checks); the status, metrics and sync routes
// go through http-access.ts, and the sync through sync-guard.ts as well.

import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.js';
import { request, type Request } from '../reconciler/requests.js';
import { accessRefusal, same, sessionCookie, type HttpAccess, type Refusal } from './http-access.js';
import type { DaemonStatus } from './status.js';
import { diskProblem, fail, notReadyReason, pass } from './readiness.js';
import { renderStatusPage } from './status-page.js';
import { pathRedactions, redactText, statusView, type LocalPaths } from './status-view.js';
import { pace, syncRefusal } from './sync-guard.js';

export interface HttpOptions {
  status: DaemonStatus;
  metrics: Metrics;
  /** Where `pilot sync` (POST /api/sync) sends its request. */
  push(request: Request): void;
  /** Checks Waypoint now, for /readyz. */
  waypointReachable(): Promise<boolean>;
  /** Bytes free on the state directory's disk, read for /readyz, /api/status and the page; absent: not checked. */
  diskFree?(): Promise<number>;
  /** Who may read the status and sync (see http-access.ts). */
  access: HttpAccess;
  /** Folders the status shows as <state> and ~. */
  paths: LocalPaths;
  /** Whether a branch request waits in the apply lane: a sync then merges into it, whatever the pace. */
  syncPending?(): boolean;
  /** Syncs accepted at most once per this many milliseconds (default 1000). */
  syncIntervalMs?: number;
}

/** Long enough for any request of a person or GitHub; a connection idle this long is closed. */
const requestTimeoutMs = 30_000;
const connectionTimeoutMs = 60_000;

export function createHttpServer(options: HttpOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, requestTimeout: requestTimeoutMs, connectionTimeout: connectionTimeoutMs });
  const { status, access } = options;
  const redactions = pathRedactions(options.paths);
  const nextSync = pace(options.syncIntervalMs ?? 1000);

  const refuse = (reply: FastifyReply, refused: Refusal) => reply.code(refused.status).headers(refused.headers ?? {}).send({ error: refused.error });
  const refusalOf = (req: FastifyRequest, cookie: boolean) => accessRefusal({ remoteAddress: req.socket.remoteAddress, headers: req.headers }, access, cookie);
  const reader = {
    onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
      const refused = refusalOf(req, true);
      if (refused) return refuse(reply, refused);
    },
  };

  // A statfs is cheap: every read of the readiness looks at the disk as it is now.
  const dirName = (options.paths.stateDir && path.basename(path.resolve(options.paths.stateDir))) || 'the state directory';
  const checkDisk = async () => {
    if (!options.diskFree) return;
    try {
      const problem = diskProblem(await options.diskFree(), dirName);
      if (problem) fail(status.ready, 'disk', problem);
      else pass(status.ready, 'disk');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      fail(status.ready, 'disk', `cannot read the free space of the disk holding ${dirName} (${code}): check that the state directory exists and is readable by the user running pilot`);
    }
  };
  const settle = () => {
    const reason = notReadyReason(status.ready);
    if (reason) status.ready.reason = reason;
    else delete status.ready.reason;
    return reason;
  };
  const current = async () => {
    await checkDisk();
    settle();
    return statusView(status, redactions);
  };

  app.get('/healthz', async () => ({ status: 'alive' }));

  app.get('/readyz', async (_request, reply) => {
    const [waypoint] = await Promise.all([options.waypointReachable(), checkDisk()]);
    status.ready.waypoint = waypoint;
    const reason = settle();
    // Open to anyone: the reason says what is wrong without local paths (git's errors carry no credentials).
    return reply.code(reason ? 503 : 200).send({ ready: !reason, ...(reason ? { reason: redactText(reason, redactions) } : {}) });
  });

  app.get('/metrics', reader, async (_request, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  app.get('/api/status', reader, async () => current());

  // A browser cannot send a bearer token: it opens /?token=... once and gets a cookie,
  // and the address bar, history and Referer lose the token at the redirect.
  app.get('/', {
    onRequest: async (req, reply) => {
      const token = (req.query as { token?: unknown }).token;
      if (typeof token !== 'string' || !access.apiToken) return reader.onRequest(req, reply);
      if (!same(token, access.apiToken)) return reply.code(401).send({ error: 'that is not the daemon\'s API token (http.apiToken)' });
      return reply.code(303).header('set-cookie', sessionCookie(access)).header('location', '/').send();
    },
  }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(renderStatusPage(await current())));

  /** `pilot sync`: reconcile everything now. */
  app.post('/api/sync', {
    onRequest: async (req, reply) => {
      // The page's cookie does not count here: a browser would send it along with another site's post.
      const refused = refusalOf(req, false) ?? syncRefusal(req.headers, access);
      if (refused) return refuse(reply, refused);
    },
  }, async (_request, reply) => {
    // A branch request already waiting takes this one in: no extra run, so no need to pace it.
    const wait = options.syncPending?.() ? 0 : nextSync();
    if (wait > 0) return reply.code(429).header('retry-after', String(Math.ceil(wait / 1000))).send({ error: 'one sync a second: this one was not queued' });
    options.push(request('sync', { full: true }));
    return reply.code(202).send({ status: 'queued' });
  });

  return app;
}
