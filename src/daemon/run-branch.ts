// The apply lane's work: one branch request. Read the tracked branch's manifests,
// reconcile the projects that changed, and say what happened as a RunReport.

import type { Runtime } from '../app/runtime.js';
import { reconcile } from '../reconcile/reconcile.js';
import { isPilotError } from '../reconciler/errors.js';
import type { ApplyProgress } from '../reconciler/apply.js';
import type { RunReport } from '../reconciler/reporting.js';
import type { BranchRequest } from '../reconciler/requests.js';
import type { SourcePort } from '../reconciler/ports.js';
import { loadDesiredStateFromDirectory } from '../sources/manifests/load.js';
import { formatProblem, reportProblems } from '../sources/manifests/problem.js';
import type { PinoLogger } from './logger.js';
import type { ManifestSource } from './manifest-source.js';
import { reportOf, type RunMemory } from './run-report.js';

export interface BranchContext {
  runtime: Runtime;
  source: ManifestSource;
  logger: PinoLogger;
  signal: AbortSignal;
  memory: RunMemory;
  /** Told when the source was read, whether or not a run follows. */
  fetched?(revision: string): void;
  /** Told when the run begins, with the revision it runs. */
  started(revision: string, at: string): void;
  /** Told as each action of the apply starts and ends. */
  progress?(revision: string, event: ApplyProgress): void;
}

/** Records each released tag against the commit its branch is at now (see ReleasePin). */
async function pinReleases(request: BranchRequest, context: BranchContext, source: SourcePort): Promise<void> {
  for (const [key, tag] of Object.entries(request.refs)) {
    const app = context.memory.appSources.find((a) => a.key === key);
    if (!app) continue;
    const [project, name] = key.split('/') as [string, string];
    try {
      const baseCommit = await source.resolveCommit(app.repo, app.ref);
      await context.runtime.store.pinRelease({ project, app: name, tag, trackedRef: app.ref, baseCommit });
      context.logger.info({ app: key, tag }, 'release pinned: deploying its tag until the branch moves');
    } catch (error) {
      context.logger.warn({ app: key, tag, err: { message: isPilotError(error) ? error.message : String(error) } }, 'release not pinned');
    }
  }
}

const failed = (error: unknown) => ({ errors: [isPilotError(error) ? error.message : String(error)], errorCode: isPilotError(error) ? error.code : 'internal' });

/** Undefined when there was nothing to do (the same revision, already applied). */
export async function runBranch(request: BranchRequest, context: BranchContext): Promise<RunReport | undefined> {
  const startedAt = new Date().toISOString();
  const { memory, runtime } = context;
  let snapshot;
  try {
    snapshot = await context.source.next();
  } catch (error) {
    return { request, revision: 'fetch', outcome: 'unavailable', jobsQueued: 0, startedAt, finishedAt: new Date().toISOString(), ...failed(error) };
  }
  context.fetched?.(snapshot.revision);
  const changed = memory.changedSinceApplied(snapshot.changed);
  const sameRevision = snapshot.revision === memory.revision && snapshot.revision === memory.lastRun?.revision;
  if (sameRevision && !request.full && request.apps.length === 0 && !memory.unfinished) return undefined;

  const loaded = await loadDesiredStateFromDirectory(snapshot.dir);
  if (!loaded.state) {
    await runtime.store.recordRevision(snapshot.revision, 'invalid');
    const errors = loaded.problems.filter((p) => p.severity === 'error').map(formatProblem);
    return { request, revision: snapshot.revision, outcome: 'invalid', jobsQueued: 0, startedAt, finishedAt: new Date().toISOString(), errors, problems: reportProblems(loaded.problems) };
  }
  const only = memory.remember(loaded.state, changed, request);
  // One source per run: a ref resolved for a pin is not asked for again when planning.
  const source = runtime.source();
  await pinReleases(request, context, source);
  context.started(snapshot.revision, startedAt);
  const driftOnly = request.triggers.every((t) => t === 'drift');
  const { selfHeal, concurrency } = runtime.settings;
  try {
    const outcome = await reconcile(
      {
        loaded, revision: snapshot.revision, trigger: request.triggers.join(','), source, store: runtime.store,
        waypoint: runtime.waypoint!, clouds: runtime.clouds, logger: context.logger.child({ revision: snapshot.revision }), ...(only ? { onlyProjects: only } : {}),
        // Drift checks with self-heal retry failed deployments; other runs leave them to a person.
        retryFailed: driftOnly && selfHeal,
      },
      {
        concurrency, signal: context.signal, planOnly: driftOnly && !selfHeal,
        ...(context.progress ? { onProgress: (event: ApplyProgress) => context.progress?.(snapshot.revision, event) } : {}),
      },
    );
    return reportOf(request, outcome, startedAt);
  } catch (error) {
    return { request, revision: snapshot.revision, outcome: 'failed', jobsQueued: 0, startedAt, finishedAt: new Date().toISOString(), ...failed(error) };
  }
}
