// The daemon around an opened runtime: the HTTP server, the triggers feeding two lanes
// (apply: the tracked branch; plan: pull request heads), one worker per lane, and the
// reporters every run's outcome goes to. The composition root (src/app/serve.ts)
// opens the runtime and chooses the source and triggers.

import { statfs } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../app/runtime.js';
import type { ApplyProgress } from '../reconciler/apply.js';
import type { Reporter, RunReport, Trigger } from '../reconciler/reporting.js';
import { request, type Request } from '../reconciler/requests.js';
import { startElection, type ElectionTiming } from './election.js';
import { createHttpServer } from './http.js';
import { consumeInbox, type InboxConsumer, type InboxItem } from './inbox-consumer.js';
import { watchAsStandby } from './standby.js';
import { requestForItem } from './triggers/webhooks.js';
import { exposedWithoutToken, httpAccess } from './http-access.js';
import { drain, Lanes } from './lanes.js';
import type { PinoLogger } from './logger.js';
import type { ManifestSource } from './manifest-source.js';
import { createMetrics, type Metrics } from './metrics.js';
import { logReporter } from './reporters/log-reporter.js';
import { metricsReporter } from './reporters/metrics-reporter.js';
import { statusReporter } from './reporters/status-reporter.js';
import { restoreStatus, storeReporter } from './reporters/store-reporter.js';
import { runBranch } from './run-branch.js';
import { runPlan } from './run-plan.js';
import { RunMemory } from './run-report.js';
import { newStatus, type DaemonStatus } from './status.js';
import type { AppSource } from './triggers/webhooks.js';

export interface TriggerContext {
  http: FastifyInstance;
  metrics: Metrics;
  appSources(): AppSource[];
}

export interface DaemonOptions {
  runtime: Runtime;
  logger: PinoLogger;
  source: ManifestSource;
  /** Made once the HTTP server exists (webhooks add a route to it), started once it listens. */
  triggers(context: TriggerContext): Trigger[];
  /** Beyond the status page, the log and metrics (GitHub); made with the status they may add to. */
  reporters?: Reporter[] | ((status: DaemonStatus) => Reporter[]);
  /** Sees every request any trigger makes, before it joins its lane. */
  onRequest?(request: Request): void;
  /** How long stop() waits for the running reconcile to reach a safe point (default 30 s). */
  stopTimeoutMs?: number;
  /** Bytes free on the state directory's disk, for /readyz (default: statfs of the state directory; tests: a full disk). */
  diskFree?(): Promise<number>;
  /** Daemons sharing a store: who this one is in the lease, and the election's pace. */
  election?: { self: string; timing?: Partial<ElectionTiming> };
}

export interface Daemon {
  url: string;
  status: DaemonStatus;
  queue: Lanes;
  /** Resolves with the reason if this daemon led a shared store and lost the lock: it has stopped acting; stop it and exit. */
  lostLeadership: Promise<string>;
  stop(reason?: string): Promise<void>;
}

function extraReporters(reporters: DaemonOptions['reporters'], status: DaemonStatus): Reporter[] {
  return typeof reporters === 'function' ? reporters(status) : reporters ?? [];
}

function urlOf(http: FastifyInstance): string {
  const address = http.server.address();
  return typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : String(address);
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { runtime, logger, source } = options;
  const { client, waypoint } = runtime;
  if (!client || !waypoint) throw new Error('the daemon needs a Waypoint server: set waypoint.address in pilot.config.yaml, PILOT_WAYPOINT_ADDR or --waypoint');
  const status = newStatus();
  status.ready.store = true;
  // Until the first run says more, the page shows what was deployed before this start.
  await restoreStatus(status, runtime.store).catch((error: unknown) => logger.warn({ err: { message: String(error) } }, 'the status page could not read the store'));
  const metrics = createMetrics();
  const lanes = new Lanes();
  const memory = new RunMemory();
  const controller = new AbortController();
  const reporters = [statusReporter(status, () => memory.appSources.map((a) => a.key), runtime.settings.selfHeal), storeReporter(status, runtime.store), metricsReporter(metrics), logReporter(logger), ...extraReporters(options.reporters, status)];
  const push = (next: Request) => {
    options.onRequest?.(next);
    lanes.push(next);
  };
  const shared = runtime.store.shared;
  // Sharing a store, what the HTTP server accepts goes to whichever daemon leads.
  const accept = shared
    ? (next: Request) => void shared.inbox.post({ kind: 'request', request: next } satisfies InboxItem).catch((error: unknown) => logger.error({ err: { message: String(error) } }, 'a request could not be handed to the leader'))
    : push;
  let ranOnce: () => void = () => undefined;
  const firstRun = new Promise<void>((resolve) => { ranOnce = resolve; });
  const report = async (done: RunReport | undefined) => {
    if (!done) return;
    memory.note(done);
    for (const reporter of reporters) await Promise.resolve(reporter.report(done)).catch((error: unknown) => logger.warn({ err: { message: String(error) } }, 'a reporter failed'));
  };
  const onError = (error: unknown) => logger.error({ err: { message: String(error) } }, 'reconcile loop error');
  const fetched = (next: Request) => (revision: string) => reporters.forEach((r) => r.fetched?.(next, revision));
  const started = (next: Request) => (revision: string, at: string) => reporters.forEach((r) => r.started?.(next, revision, at));
  const progress = (next: Request) => (revision: string, event: ApplyProgress) => reporters.forEach((r) => r.progress?.(next, revision, event));
  const branch = drain(lanes.apply, async (next) => {
    try {
      await report(await runBranch(next, { runtime, source, logger, signal: controller.signal, memory, fetched: fetched(next), started: started(next), progress: progress(next) }));
    } finally {
      ranOnce();
    }
  }, onError);
  const plans = drain(lanes.plan, async (next) => report(await runPlan(next, { runtime, source, logger, started: started(next) })), onError);

  const http = createHttpServer({
    status, metrics, push: accept, waypointReachable: () => client.versionInfo().then(() => true, () => false),
    // bavail: what an unprivileged process (the daemon) may still write.
    diskFree: options.diskFree ?? (() => statfs(runtime.stateDir).then((s) => s.bavail * s.bsize)),
    access: httpAccess(runtime.settings.http), paths: { stateDir: runtime.stateDir, home: homedir() }, syncPending: () => lanes.apply.size > 0,
  });
  const triggers = options.triggers({ http, metrics, appSources: () => memory.appSources });
  const stopTriggers = async () => {
    for (const trigger of triggers) await trigger.stop();
  };
  try {
    await http.listen({ host: runtime.settings.http.host, port: runtime.settings.http.port });
  } catch (error) {
    lanes.close();
    await http.close();
    throw error;
  }
  const url = urlOf(http);
  let consumer: InboxConsumer | undefined;
  let acting = true;
  const lead = () => {
    for (const trigger of triggers) trigger.start(push);
    push(request('startup', { full: true }));
    // What other daemons took waits for the first run: a push to an app's repository or a
    // release is mapped to apps, which a new leader knows once it has read the manifests.
    if (shared) {
      void firstRun.then(() => {
        if (acting) consumer = consumeInbox({ inbox: shared.inbox, logger, handle: (item) => { const next = requestForItem(item, runtime.settings, memory.appSources); if (next) push(next); } });
      });
    }
  };
  let lost: (reason: string) => void = () => undefined;
  const lostLeadership = new Promise<string>((resolve) => { lost = resolve; });
  // Stops acting at once: no new run, no job followed, no inbox item taken.
  const stopActing = async () => {
    acting = false;
    await consumer?.stop();
    await stopTriggers();
    lanes.close();
    controller.abort();
  };
  const election = shared
    ? startElection({
      leadership: shared.leadership, self: options.election?.self ?? 'pilot', logger, ...(options.election?.timing ? { timing: options.election.timing } : {}),
      onLead: lead,
      onLost: (reason) => void stopActing().finally(() => lost(reason)),
    })
    : undefined;
  const standby = election ? watchAsStandby(status, election, runtime.store, logger) : undefined;
  if (!election) lead();
  logger.info({ url, source: source.describe, stateDir: runtime.stateDir, ...(election ? { store: runtime.store.describe, role: 'standby until elected' } : {}) }, 'pilot daemon started');
  if (exposedWithoutToken(runtime.settings.http)) {
    logger.warn({ host: runtime.settings.http.host }, 'listening beyond loopback without an API token: the status page, /api/status, /metrics and /api/sync answer only this machine; set http.apiToken (or PILOT_API_TOKEN)');
  }

  let stopping: Promise<void> | undefined;
  return {
    url, status, queue: lanes, lostLeadership,
    stop(reason = 'stop') {
      stopping ??= (async () => {
        logger.info({ reason }, 'pilot daemon stopping');
        standby?.stop();
        // Following jobs stops at once; the jobs go on in Waypoint and the next start (or leader) follows them.
        await stopActing();
        const timeout = new Promise((resolve) => setTimeout(resolve, options.stopTimeoutMs ?? 30_000).unref());
        await Promise.race([Promise.all([branch, plans]), timeout]);
        for (const reporter of reporters) await reporter.stop?.();
        // The lock goes last: a standby takes over once this one has stopped acting.
        await election?.stop();
        await http.close();
        logger.info({}, 'pilot daemon stopped');
      })();
      return stopping;
    },
  };
}
