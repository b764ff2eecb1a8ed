// GitHub deliveries -> reconcile requests. A push to the manifest repository's tracked
// branch reconciles now; a push to an app's source repository redeploys the apps that
// track that branch; a published release deploys its tag; pull requests are recorded (the pull request feature plans them).

import type { FastifyInstance } from 'fastify';
import { registerGithubWebhooks } from '../sources/github/route.js';
import { repoMatches } from '../sources/github/repo-url.js';
import type { WebhookEvent } from '../sources/github/events.js';
import { openDeliveryLog } from '../store/deliveries.js';
import type { SqliteStore } from '../store/index.js';
import type { DaemonConfig } from './config.js';
import type { PinoLogger } from './logger.js';
import type { Metrics } from './metrics.js';
import { request, type ReconcileQueue } from './queue.js';

export interface AppSource {
  key: string;
  repo: string;
  ref: string;
}

export interface WebhookContext {
  config: DaemonConfig;
  logger: PinoLogger;
  store: SqliteStore;
  stateFile: string;
  metrics: Metrics;
  /** The apps of the last valid revision and where their code lives. */
  appSources(): AppSource[];
}

/** Which request, if any, a delivery asks for. Pure, so it is tested on its own. */
export function requestFor(event: WebhookEvent, config: DaemonConfig, apps: readonly AppSource[]): ReturnType<typeof request> | undefined {
  if (event.kind === 'push') {
    const manifests = config.repository;
    if (manifests && repoMatches(manifests.url, event.repoUrls)) {
      return event.ref === `refs/heads/${manifests.branch}` ? request('webhook') : undefined;
    }
    const branch = event.ref.replace(/^refs\/(heads|tags)\//, '');
    const hit = apps.filter((a) => repoMatches(a.repo, event.repoUrls) && a.ref === branch).map((a) => a.key);
    return hit.length && !event.deleted ? request('webhook', { apps: hit }) : undefined;
  }
  if (event.kind === 'release') {
    // Apps tracking the tag redeploy it; apps tracking the branch it was cut from deploy
    // the tag in its place until that branch moves (see ReleasePin).
    const mine = apps.filter((a) => repoMatches(a.repo, event.repoUrls));
    const onTag = mine.filter((a) => a.ref === event.tag).map((a) => a.key);
    const onBranch = mine.filter((a) => event.target !== undefined && a.ref === event.target).map((a) => a.key);
    const hit = [...onTag, ...onBranch];
    return hit.length ? request('webhook', { apps: hit, refs: Object.fromEntries(onBranch.map((key) => [key, event.tag])) }) : undefined;
  }
  return undefined;
}

/** Returns what closes the delivery log when the daemon stops. */
export function registerWebhooks(app: FastifyInstance, queue: ReconcileQueue, context: WebhookContext): () => void {
  const deliveries = openDeliveryLog(context.stateFile);
  registerGithubWebhooks(app, {
    secrets: () => context.config.webhookSecrets,
    deliveries,
    logger: context.logger,
    onEvent(event, delivery) {
      const next = requestFor(event, context.config, context.appSources());
      context.metrics.deliveries.inc({ result: next ? 'queued' : event.kind === 'pull_request' ? 'recorded' : 'ignored' });
      context.logger.info({ delivery: delivery.id, event: delivery.name, queued: next !== undefined }, 'webhook delivery handled');
      if (next) queue.push(next);
    },
  });
  return () => deliveries.close();
}
