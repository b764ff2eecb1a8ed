// The plan lane's work: plan one pull request's head against what runs now, apply
// nothing, and report the plan. Cloud stacks are not planned here: their working
// folders belong to the apply lane, which may be applying them at the same moment.

import type { Runtime } from '../app/runtime.js';
import { reconcile } from '../reconcile/reconcile.js';
import { isPilotError } from '../reconciler/errors.js';
import type { RunReport } from '../reconciler/reporting.js';
import type { PullRequestPlan } from '../reconciler/requests.js';
import { loadDesiredStateFromDirectory } from '../sources/manifests/load.js';
import { formatProblem } from '../sources/manifests/problem.js';
import type { PinoLogger } from './logger.js';
import type { ManifestSource } from './manifest-source.js';
import { reportOf } from './run-report.js';

export interface PlanContext {
  runtime: Runtime;
  source: ManifestSource;
  logger: PinoLogger;
}

export async function runPlan(request: PullRequestPlan, context: PlanContext): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const ended = (revision: string, outcome: RunReport['outcome'], errors: string[]): RunReport =>
    ({ request, revision, outcome, jobsQueued: 0, startedAt, finishedAt: new Date().toISOString(), errors });
  if (!context.source.at) return ended(request.headSha, 'unavailable', [`${context.source.describe} has no pull requests: plans need a git manifest repository`]);
  let snapshot;
  try {
    snapshot = await context.source.at(request.headSha);
  } catch (error) {
    return ended(request.headSha, 'unavailable', [isPilotError(error) ? error.message : String(error)]);
  }
  const loaded = await loadDesiredStateFromDirectory(snapshot.dir);
  if (!loaded.state) return ended(snapshot.revision, 'invalid', loaded.problems.filter((p) => p.severity === 'error').map(formatProblem));
  const { runtime } = context;
  const outcome = await reconcile(
    {
      loaded, revision: snapshot.revision, trigger: `pull-request:${request.number}`, source: runtime.source(), store: runtime.store,
      ...(runtime.waypoint ? { waypoint: runtime.waypoint } : {}), logger: context.logger.child({ pullRequest: request.number }), readOnly: true,
    },
    {},
  );
  return reportOf(request, outcome, startedAt);
}
