// `pilot serve`: wires the source, the queue, the triggers, Waypoint, the store and
// the HTTP server, runs one reconcile at a time, and stops cleanly.

import { openClouds } from '../drivers/clouds.js';
import { resolveClouds } from '../drivers/settings.js';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, stateDbPath, defaultStateDir, type SqliteStore } from '../store/index.js';
import { WaypointClient } from '../waypoint/client/client.js';
import { waypointPort } from '../waypoint/reconciler-port.js';
import { jobAuthFor } from '../sources/git/source-credentials.js';
import type { DaemonConfig } from './config.js';
import { createHttpServer } from './http.js';
import { lockStateDir } from './lock.js';
import type { PinoLogger } from './logger.js';
import type { ManifestSource } from './manifest-source.js';
import { createMetrics, type Metrics } from './metrics.js';
import { ReconcileQueue, request, type ReconcileRequest } from './queue.js';
import { runOnce } from './run-once.js';
import { newStatus, type DaemonStatus } from './status.js';
import type { AppSource } from './webhooks.js';

export interface DaemonOptions {
  config: DaemonConfig;
  logger: PinoLogger;
  /** Builds the manifest source once the state directory is known (it may cache a clone there). */
  source(stateDir: string): ManifestSource;
  /** A folder to watch for changes (development). */
  watchDir?: string;
  /** Lets webhooks (or anything else) plug into the HTTP server and the queue. */
  extendHttp?(app: FastifyInstance, queue: ReconcileQueue, context: { stateFile: string; store: SqliteStore; metrics: Metrics; appSources(): AppSource[] }): (() => void) | void;
  /** How long stop() waits for the running reconcile to reach a safe point (default 30 s). */
  stopTimeoutMs?: number;
}

export interface Daemon {
  url: string;
  status: DaemonStatus;
  queue: ReconcileQueue;
  stop(reason?: string): Promise<void>;
}

function every(ms: number, fire: () => void): () => void {
  if (ms <= 0) return () => {};
  let timer: NodeJS.Timeout;
  const schedule = () => {
    // ±10% jitter, so daemons and clocks do not line up.
    timer = setTimeout(() => {
      fire();
      schedule();
    }, ms * (0.9 + Math.random() * 0.2));
    timer.unref();
  };
  schedule();
  return () => clearTimeout(timer);
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { config, logger } = options;
  if (!config.waypoint) throw new Error('no Waypoint address: set waypoint.address in pilot.config.yaml, PILOT_WAYPOINT_ADDR or --waypoint');
  const stateDir = path.resolve(config.stateDir ?? defaultStateDir(process.env));
  const lock = lockStateDir(stateDir);
  const cleanup: (() => unknown)[] = [() => lock.release()];
  try {
    const store = openSqliteStore(stateDbPath(stateDir));
    cleanup.unshift(() => store.close());
    const client = await WaypointClient.connect({ ...config.waypoint, logger });
    cleanup.unshift(() => client.close());
    const status = newStatus();
    status.ready.store = true;
    const metrics = createMetrics();
    const queue = new ReconcileQueue();
    const controller = new AbortController();
    const source = options.source(stateDir);
    const clouds = openClouds(resolveClouds(config.clouds, stateDir), {
      onProgress: (stack, message) => logger.debug({ stack, message }, 'terraform progress'),
    });
    const context = {
      config, source, store, waypoint: waypointPort(client, { sourceAuth: (repo) => jobAuthFor(config.sources, repo) }), clouds, status, metrics, logger, signal: controller.signal,
      projectsByFile: new Map<string, string[]>(), appSources: [] as AppSource[],
    };

    const loop = (async () => {
      for (let next: ReconcileRequest | undefined; (next = await queue.take()); ) {
        await runOnce(next, context).catch((error: unknown) => logger.error({ err: { message: String(error) } }, 'reconcile loop error'));
      }
    })();

    const app = createHttpServer({
      status, metrics, queue,
      waypointReachable: () => client.versionInfo().then(() => true, () => false),
    });
    const closeExtensions = options.extendHttp?.(app, queue, { stateFile: stateDbPath(stateDir), store, metrics, appSources: () => context.appSources });
    if (closeExtensions) cleanup.unshift(closeExtensions);
    await app.listen({ host: config.http.host, port: config.http.port });
    cleanup.unshift(() => app.close());
    const address = app.server.address();
    const url = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : String(address);

    const stopPoll = every(config.pollMs, () => queue.push(request('poll')));
    const stopDrift = every(config.driftMs, () => queue.push(request('drift', { full: true })));
    let watcher: FSWatcher | undefined;
    if (options.watchDir) {
      let debounce: NodeJS.Timeout | undefined;
      watcher = watch(options.watchDir, {
        ignoreInitial: true,
        ignored: (file) => /(^|[/\\])(\.[^/\\]+|node_modules)([/\\]|$)/.test(path.relative(options.watchDir!, file)),
        awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 50 },
      });
      watcher.on('all', () => {
        clearTimeout(debounce);
        debounce = setTimeout(() => queue.push(request('watch')), 300);
      });
    }
    queue.push(request('startup', { full: true }));
    logger.info({ url, source: source.describe, stateDir }, 'pilot daemon started');

    let stopping: Promise<void> | undefined;
    return {
      url,
      status,
      queue,
      stop(reason = 'stop') {
        stopping ??= (async () => {
          logger.info({ reason }, 'pilot daemon stopping');
          stopPoll();
          stopDrift();
          await watcher?.close();
          queue.close();
          // Following jobs stops at once; the jobs go on in Waypoint and the next start follows them.
          controller.abort();
          const timeout = new Promise((resolve) => setTimeout(resolve, options.stopTimeoutMs ?? 30_000).unref());
          await Promise.race([loop, timeout]);
          for (const step of cleanup) await step();
          logger.info({}, 'pilot daemon stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const step of cleanup) await step();
    throw error;
  }
}
