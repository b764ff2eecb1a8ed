// GitHub deliveries -> requests. A push to the manifest repository's tracked branch
// reconciles now; a push to an app's source repository redeploys the apps that track
// that branch; a published release deploys its tag; a pull request against the tracked
// branch is planned in the plan lane.

import type { FastifyInstance } from 'fastify';
import type { Settings } from '../../app/settings.js';
import type { Trigger } from '../../reconciler/reporting.js';
import { request, type Request } from '../../reconciler/requests.js';
import type { Deliveries } from '../../reconciler/store-port.js';
import type { WebhookEvent } from '../../sources/github/events.js';
import { repoMatches } from '../../sources/github/repo-url.js';
import { registerGithubWebhooks } from '../../sources/github/route.js';
import type { InboxItem } from '../inbox-consumer.js';
import type { PinoLogger } from '../logger.js';
import type { Metrics } from '../metrics.js';

export interface AppSource {
  key: string;
  repo: string;
  ref: string;
}

export interface WebhookContext {
  settings: Settings;
  logger: PinoLogger;
  deliveries: Deliveries;
  metrics: Metrics;
  /** The apps of the last valid revision and where their code lives. */
  appSources(): AppSource[];
  /**
   * Daemons sharing a store: hand each accepted event to the leader (the shared inbox)
   * instead of acting on it here; the leader maps it with its own apps (requestForItem).
   */
  forward?(event: WebhookEvent, delivery: { id: string; name: string }): Promise<void>;
}

/** Actions that change what a pull request would apply (edited: its base branch may have changed). */
const planned = new Set(['opened', 'synchronize', 'reopened', 'edited']);

/** Which request, if any, a delivery asks for. Pure, so it is tested on its own. */
export function requestFor(event: WebhookEvent, settings: Pick<Settings, 'repository'>, apps: readonly AppSource[]): Request | undefined {
  const manifests = settings.repository;
  if (event.kind === 'push') {
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
  if (event.kind === 'pull_request' && manifests && repoMatches(manifests.url, event.repoUrls)) {
    if (event.baseRef !== manifests.branch) return undefined;
    const action = planned.has(event.action) ? 'plan' : event.action === 'closed' ? 'closed' : undefined;
    if (!action) return undefined;
    const { number, headSha, headRef, baseRef, fullName, htmlUrl, headRepo, merged } = event;
    // A head in another repository (or in one since deleted) is a fork's: planned without credentials.
    const fork = headRepo === undefined || headRepo.toLowerCase() !== fullName.toLowerCase();
    return { kind: 'pull-request', action, repository: fullName, htmlUrl, number, headSha, headRef, baseRef, fork, ...(action === 'closed' ? { merged } : {}) };
  }
  return undefined;
}

/** The request an inbox item asks of the leader: a forwarded event mapped with the leader's apps, or a request as posted. */
export function requestForItem(item: InboxItem, settings: Pick<Settings, 'repository'>, apps: readonly AppSource[]): Request | undefined {
  return item.kind === 'event' ? requestFor(item.event, settings, apps) : item.request;
}

/** Registers the route on `app` now (before it listens); requests flow once started. */
export function webhookTrigger(app: FastifyInstance, context: WebhookContext): Trigger {
  let push: ((next: Request) => void) | undefined;
  registerGithubWebhooks(app, {
    secrets: () => context.settings.webhookSecrets,
    deliveries: context.deliveries,
    logger: context.logger,
    async onEvent(event, delivery) {
      if (context.forward) {
        try {
          await context.forward(event, { id: delivery.id, name: delivery.name });
        } catch (error) {
          // Claimed but not handed on: without the claim, GitHub's redelivery is let in.
          await context.deliveries.forget?.(delivery.id).catch(() => undefined);
          throw error;
        }
        context.logger.info({ delivery: delivery.id, event: delivery.name }, 'webhook delivery handed to the leader');
        return;
      }
      const next = requestFor(event, context.settings, context.appSources());
      context.metrics.deliveries.inc({ result: next ? 'queued' : 'ignored' });
      context.logger.info({ delivery: delivery.id, event: delivery.name, queued: next !== undefined }, 'webhook delivery handled');
      if (next) push?.(next);
    },
  });
  return {
    name: 'webhooks',
    start(next) {
      push = next;
    },
    stop() {
      push = undefined;
    },
  };
}
