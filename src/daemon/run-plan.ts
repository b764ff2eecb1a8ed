// The plan lane's work: plan one pull request's head against what runs now, apply
// nothing, and report the plan (or that the pull request closed). Cloud stacks are
// planned in a workspace of their own (never the apply lane's folders, which may be
// applying at the same moment). A fork's head is planned without credentials: no source
// credentials, and no cloud stacks, whose plans need the clouds' credentials.

import type { Runtime } from '../app/runtime.js';
import { reconcile } from '../reconcile/reconcile.js';
import { isPilotError } from '../reconciler/errors.js';
import type { ReportProblem, RunReport } from '../reconciler/reporting.js';
import type { PullRequestPlan } from '../reconciler/requests.js';
import { loadDesiredStateFromDirectory } from '../sources/manifests/load.js';
import { formatProblem, reportProblems } from '../sources/manifests/problem.js';
import type { PinoLogger } from './logger.js';
import type { ManifestSource } from './manifest-source.js';
import { reportOf } from './run-report.js';

export interface PlanContext {
  runtime: Runtime;
  source: ManifestSource;
  logger: PinoLogger;
  /** Told when planning begins, with the commit planned. */
  started?(revision: string, at: string): void;
}

export const forkNote = 'From a fork: planned without source credentials; nothing from the pull request was run.';
export const forkStacksNote = 'Cloud stacks are not planned for a fork: that needs cloud credentials. They are planned when the change is applied.';

export async function runPlan(request: PullRequestPlan, context: PlanContext): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const notes = request.fork ? [forkNote, forkStacksNote] : [];
  const ended = (revision: string, outcome: RunReport['outcome'], errors: string[], problems: ReportProblem[] = []): RunReport =>
    ({ request, revision, outcome, jobsQueued: 0, startedAt, finishedAt: new Date().toISOString(), errors, notes, ...(problems.length ? { problems } : {}) });
  if (request.action === 'closed') return ended(request.headSha, 'closed', []);
  context.started?.(request.headSha, startedAt);
  if (!context.source.at) return ended(request.headSha, 'unavailable', [`${context.source.describe} has no pull requests: plans need a git manifest repository`]);
  let snapshot;
  try {
    snapshot = await context.source.at(request.headSha, `refs/pull/${request.number}/head`);
  } catch (error) {
    return ended(request.headSha, 'unavailable', [isPilotError(error) ? error.message : String(error)]);
  }
  const loaded = await loadDesiredStateFromDirectory(snapshot.dir);
  const problems = reportProblems(loaded.problems);
  if (!loaded.state) return ended(snapshot.revision, 'invalid', loaded.problems.filter((p) => p.severity === 'error').map(formatProblem), problems);
  const { runtime } = context;
  try {
    const outcome = await reconcile(
      {
        loaded, revision: snapshot.revision, trigger: `pull-request:${request.number}`, source: runtime.source({ credentials: !request.fork }), store: runtime.store,
        ...(runtime.waypoint ? { waypoint: runtime.waypoint } : {}), logger: context.logger.child({ pullRequest: request.number }), readOnly: true,
        ...(request.fork ? {} : { clouds: runtime.planClouds }),
      },
      {},
    );
    return { ...reportOf(request, outcome, startedAt), notes, ...(problems.length ? { problems } : {}) };
  } catch (error) {
    return ended(snapshot.revision, 'failed', [isPilotError(error) ? error.message : String(error)], problems);
  }
}
