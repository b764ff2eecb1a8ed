// One request from the queue: read the manifests, reconcile what changed, record the outcome.

import type { Clouds } from '../drivers/clouds.js';
import type { PinoLogger } from './logger.js';
import { reconcile } from '../reconcile.js';
import { isFailure } from '../reconciler/apply.js';
import { isPilotError } from '../reconciler/errors.js';
import type { SourcePort, StateStore, WaypointPort } from '../reconciler/ports.js';
import { projectsTouched } from '../sources/git/changed-paths.js';
import { gitSource } from '../sources/git/resolve-commit.js';
import { loadDesiredStateFromDirectory } from '../sources/manifests/load.js';
import { formatProblem } from '../sources/manifests/problem.js';
import type { DaemonConfig } from './config.js';
import type { ManifestSource } from './manifest-source.js';
import type { Metrics } from './metrics.js';
import type { ReconcileRequest } from './queue.js';
import { appStatuses, stackStatuses, type DaemonStatus } from './status.js';

export interface RunContext {
  config: DaemonConfig;
  source: ManifestSource;
  store: StateStore;
  waypoint: WaypointPort;
  clouds: Clouds;
  status: DaemonStatus;
  metrics: Metrics;
  logger: PinoLogger;
  signal: AbortSignal;
  /** Projects declared by file, from the last valid load: to know which a change touched. */
  projectsByFile: Map<string, string[]>;
  /** The apps of the last valid revision and where their code lives (for webhooks). */
  appSources: { key: string; repo: string; ref: string }[];
}

/** Records each released tag against the commit its branch is at now (see ReleasePin). */
async function pinReleases(request: ReconcileRequest, context: RunContext, source: SourcePort, log: PinoLogger): Promise<void> {
  for (const [key, tag] of Object.entries(request.refs)) {
    const app = context.appSources.find((a) => a.key === key);
    if (!app) continue;
    const [project, name] = key.split('/') as [string, string];
    try {
      const baseCommit = await source.resolveCommit(app.repo, app.ref);
      context.store.pinRelease({ project, app: name, tag, trackedRef: app.ref, baseCommit });
      log.info({ app: key, tag }, 'release pinned: deploying its tag until the branch moves');
    } catch (error) {
      log.warn({ app: key, tag, err: { message: isPilotError(error) ? error.message : String(error) } }, 'release not pinned');
    }
  }
}

export async function runOnce(request: ReconcileRequest, context: RunContext): Promise<void> {
  const { status, logger, metrics } = context;
  let snapshot;
  try {
    snapshot = await context.source.next();
    status.ready.source = true;
  } catch (error) {
    const message = isPilotError(error) ? error.message : String(error);
    status.ready.source = status.revision !== undefined;
    status.rejected = { revision: 'fetch', reason: message };
    status.lastErrors = [message];
    logger.warn({ err: { message }, triggers: request.triggers }, 'manifest source unavailable; the last good revision stays applied');
    return;
  }
  const sameRevision = snapshot.revision === status.revision && snapshot.revision === status.lastRun?.revision;
  if (sameRevision && !request.full && request.apps.length === 0 && status.lastRun?.outcome !== 'failed') return;

  const loaded = await loadDesiredStateFromDirectory(snapshot.dir);
  const log = logger.child({ revision: snapshot.revision, triggers: request.triggers });
  if (!loaded.state) {
    const errors = loaded.problems.filter((p) => p.severity === 'error').map(formatProblem);
    status.rejected = { revision: snapshot.revision, reason: `${errors.length} manifest error(s); nothing from it is applied` };
    status.lastErrors = errors.slice(0, 20);
    context.store.recordRevision(snapshot.revision, 'invalid');
    log.warn({ errors: errors.length }, 'invalid manifests; the last good revision stays applied');
    return;
  }
  const byFile = new Map<string, string[]>();
  for (const project of loaded.state.projects) byFile.set(project.origin.file, [...(byFile.get(project.origin.file) ?? []), project.name]);
  // A project is touched when its file changed, before the change (moved or deleted) or after it.
  const files = [...context.projectsByFile, ...byFile].flatMap(([file, projects]) => projects.map((project) => ({ project, file })));
  const touched = projectsTouched(snapshot.changed, files);
  let only = request.full || request.apps.length > 0 || touched === 'all' ? undefined : touched;
  if (request.apps.length > 0 && !request.full) only = new Set(request.apps.map((key) => key.split('/')[0]!));
  context.projectsByFile = byFile;
  context.appSources = loaded.state.projects.flatMap((p) => p.apps.map((a) => ({ key: `${p.name}/${a.name}`, repo: a.source.repo, ref: a.source.ref })));

  // One source per run: a ref resolved for a pin is not asked for again when planning.
  const source = gitSource(process.env, context.config.sources);
  await pinReleases(request, context, source, log);
  const started = Date.now();
  status.running = { revision: snapshot.revision, triggers: request.triggers, startedAt: new Date(started).toISOString() };
  const driftOnly = request.triggers.every((t) => t === 'drift');
  try {
    const outcome = await reconcile(
      {
        loaded, revision: snapshot.revision, trigger: request.triggers.join(','), source, store: context.store,
        waypoint: context.waypoint, clouds: context.clouds, logger: log, ...(only ? { onlyProjects: only } : {}),
        // Drift checks with self-heal retry failed deployments; other runs leave them to a person.
        retryFailed: driftOnly && context.config.selfHeal,
      },
      { concurrency: context.config.concurrency, signal: context.signal, planOnly: driftOnly && !context.config.selfHeal },
    );
    const results = outcome.applied?.results;
    const runOutcome = outcome.applied?.outcome ?? (outcome.plan?.actions.length ? 'drift-reported' : 'no-changes');
    const seconds = (Date.now() - started) / 1000;
    metrics.reconcileSeconds.observe({ outcome: runOutcome }, seconds);
    for (const r of results ?? []) if (r.jobId && (r.kind === 'deploy' || r.kind === 'attach')) metrics.jobs.inc({ outcome: r.status });
    if (runOutcome === 'converged' || runOutcome === 'no-changes') metrics.markSuccess();
    metrics.revision.reset();
    metrics.revision.set({ revision: snapshot.revision }, 1);
    if (outcome.plan) status.apps = appStatuses(outcome.plan, results, status.apps, context.appSources.map((a) => a.key));
    if (outcome.plan && outcome.stacks) status.stacks = stackStatuses(outcome.stacks, outcome.plan, results, status.stacks);
    if (driftOnly) status.drift = { at: new Date().toISOString(), changes: outcome.plan?.actions.length ?? 0, healed: context.config.selfHeal };
    status.revision = snapshot.revision;
    status.ready.waypoint = true;
    delete status.rejected;
    // Failures, and what needs a person (a stack that could not be planned, a refused plan); not what they block.
    const errors = (results ?? []).filter((r) => r.status === 'failed' || (r.status === 'reported' && isFailure(r)));
    status.lastErrors = errors.map((r) => `${r.id}: ${r.error ?? r.reasons.join('; ')}`.split('\n')[0]!);
    status.lastRun = { ...status.running, finishedAt: new Date().toISOString(), durationMs: Date.now() - started, outcome: runOutcome, jobsQueued: outcome.applied?.jobsQueued ?? 0 };
    log.info({ outcome: runOutcome, jobsQueued: outcome.applied?.jobsQueued ?? 0, actions: outcome.plan?.actions.length ?? 0, seconds }, 'reconcile finished');
  } catch (error) {
    const message = isPilotError(error) ? error.message : String(error);
    if (isPilotError(error) && error.code.startsWith('waypoint.')) status.ready.waypoint = false;
    status.lastErrors = [message];
    status.lastRun = { ...status.running, finishedAt: new Date().toISOString(), outcome: 'failed' };
    metrics.reconcileSeconds.observe({ outcome: 'failed' }, (Date.now() - started) / 1000);
    log.error({ err: { message } }, 'reconcile failed');
  } finally {
    delete status.running;
  }
}
