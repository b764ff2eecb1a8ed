// The daemon's HTTP server: health, readiness, metrics, status (JSON and a page), sync.

import Fastify, { type FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';
import { request, type Request } from '../reconciler/requests.js';
import type { DaemonStatus } from './status.js';
import { renderStatusPage } from './status-page.js';

export interface HttpOptions {
  status: DaemonStatus;
  metrics: Metrics;
  /** Where `pilot sync` (POST /api/sync) sends its request. */
  push(request: Request): void;
  /** Checks Waypoint now, for /readyz. */
  waypointReachable(): Promise<boolean>;
}

export function createHttpServer(options: HttpOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const { status } = options;

  app.get('/healthz', async () => ({ status: 'alive' }));

  app.get('/readyz', async (_request, reply) => {
    status.ready.waypoint = await options.waypointReachable();
    const missing = Object.entries(status.ready).filter(([key, ok]) => key !== 'reason' && ok === false).map(([key]) => key);
    const reason = missing.map((m) => ({ source: 'the manifest repository has not been read yet', waypoint: 'Waypoint is not reachable', store: 'the state store is not open' })[m]).join('; ');
    status.ready.reason = reason || undefined;
    if (!reason) delete status.ready.reason;
    return reply.code(reason ? 503 : 200).send({ ready: !reason, ...(reason ? { reason } : {}) });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  app.get('/api/status', async () => status);

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(renderStatusPage(status)));

  /** `pilot sync`: reconcile everything now. */
  app.post('/api/sync', async (_request, reply) => {
    options.push(request('sync', { full: true }));
    return reply.code(202).send({ status: 'queued' });
  });

  return app;
}
