// `pilot serve` composed: the Waypoint token made when the daemon is to make it, the
// runtime opened with the state lock, the manifest source (the repository, or a
// watched folder), the triggers (poll, drift, watch, webhooks) and the daemon;
// stopping the daemon closes the runtime.

import { startDaemon, type Daemon, type DaemonOptions } from '../daemon/daemon.js';
import { gitRepositorySource } from '../daemon/git-source.js';
import type { PinoLogger } from '../daemon/logger.js';
import { folderSource, type ManifestSource } from '../daemon/manifest-source.js';
import { driftTrigger, pollTrigger } from '../daemon/triggers/timers.js';
import { watchTrigger } from '../daemon/triggers/watch.js';
import { webhookTrigger, type WebhookContext } from '../daemon/triggers/webhooks.js';
import type { ElectionTiming } from '../daemon/election.js';
import type { InboxItem } from '../daemon/inbox-consumer.js';
import type { Store } from '../reconciler/store-port.js';
import type { GithubReporter } from '../daemon/reporters/github/github-reporter.js';
import type { GithubClientOptions } from '../sources/github/api/client.js';
import { githubReporterFor } from './github.js';
import { holderName, openRuntime } from './runtime.js';
import type { Settings } from './settings.js';
import { withWaypointToken } from './waypoint-token.js';

export interface ServeOptions extends Pick<DaemonOptions, 'reporters' | 'onRequest' | 'stopTimeoutMs' | 'diskFree'> {
  logger: PinoLogger;
  /** How the GitHub client paces its writes (tests: none) and waits after a rate limit. */
  github?: Pick<GithubClientOptions, 'pacing' | 'retryAfterUnitMs'>;
  /** Told of the GitHub reporter, when GitHub is set up (tests wait for it to go idle). */
  onGithub?(reporter: GithubReporter): void;
  /** Read manifests from this folder and reconcile when it changes (development). */
  watchDir?: string;
  /** A source of one's own (tests); else the folder, else settings.repository. */
  source?(stateDir: string): ManifestSource;
  /** Daemons sharing a store: the election's pace (tests: faster). */
  election?: Partial<ElectionTiming>;
}

/** Sharing a store, every daemon takes webhooks and hands the events to the leader. */
function forwarding(store: Store): Pick<WebhookContext, 'forward'> {
  const shared = store.shared;
  if (!shared) return {};
  return { forward: (event, delivery) => shared.inbox.post({ kind: 'event', delivery, event } satisfies InboxItem) };
}

function sourceOf(settings: Settings, stateDir: string, options: ServeOptions): ManifestSource {
  if (options.source) return options.source(stateDir);
  if (options.watchDir) return folderSource(options.watchDir);
  if (!settings.repository) throw new Error('no manifest repository: set repository.url in pilot.config.yaml, PILOT_REPO_URL or --repo');
  return gitRepositorySource(settings.repository, stateDir, options.logger);
}

export async function startServe(given: Settings, options: ServeOptions, env: NodeJS.ProcessEnv = process.env): Promise<Daemon> {
  const { logger, watchDir } = options;
  // On a fresh Waypoint server the daemon makes its own token first (waypoint-token.ts).
  const settings = await withWaypointToken(given, logger);
  const runtime = await openRuntime(settings, { command: 'pilot serve', lock: true, elect: true, waypoint: true, logger, onCloudProgress: (stack, message) => logger.debug({ stack, message }, 'terraform progress') }, env);
  try {
    const daemon = await startDaemon({
      runtime, logger, source: sourceOf(settings, runtime.stateDir, options),
      reporters: (status) => {
        const github = githubReporterFor(settings, logger, status, options.github);
        if (github) options.onGithub?.(github);
        const extra = typeof options.reporters === 'function' ? options.reporters(status) : options.reporters ?? [];
        return [...extra, ...(github ? [github] : [])];
      },
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      ...(options.stopTimeoutMs !== undefined ? { stopTimeoutMs: options.stopTimeoutMs } : {}),
      ...(options.diskFree ? { diskFree: options.diskFree } : {}),
      election: { self: holderName(), ...(options.election ? { timing: options.election } : {}) },
      triggers: ({ http, metrics, appSources }) => [
        pollTrigger(settings.pollMs),
        driftTrigger(settings.driftMs),
        ...(watchDir ? [watchTrigger(watchDir)] : []),
        webhookTrigger(http, { settings, logger, deliveries: runtime.store.deliveries, metrics, appSources, ...forwarding(runtime.store) }),
      ],
    });
    const stop = daemon.stop.bind(daemon);
    return { ...daemon, stop: async (reason) => {
      await stop(reason);
      await runtime.close();
    } };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
