// A run's report as the comment's model: its plan, its problems, what it applied.

import type { ActionResult } from '../../../reconciler/apply.js';
import type { RunReport } from '../../../reconciler/reporting.js';
import type { AppliedResult, AppliedSection, CommentProblem, PlanSection } from '../../../sources/github/comment/model.js';

export function planSection(report: RunReport): PlanSection {
  const problems: CommentProblem[] = report.problems ?? [];
  // Invalid runs list their problems as errors too; the comment shows them once, as problems.
  const errors = report.outcome === 'invalid' ? [] : report.errors;
  return { outcome: report.outcome, revision: report.revision, ...(report.plan ? { plan: report.plan } : {}), problems, errors, notes: report.notes ?? [], plannedAt: report.finishedAt };
}

/** What an app's deploy made reachable: the release URL, else the deployment's. */
export function urlOf(result: Pick<ActionResult, 'urls'>): string | undefined {
  return result.urls?.release ?? result.urls?.app ?? result.urls?.deploy;
}

export function appliedSection(report: RunReport, durations: ReadonlyMap<string, number>): AppliedSection {
  const results: AppliedResult[] = (report.results ?? []).map((r) => {
    const url = urlOf(r);
    const durationMs = durations.get(r.id);
    return {
      target: r.target, kind: r.kind, status: r.status,
      ...(url ? { url } : {}), ...(durationMs !== undefined ? { durationMs } : {}),
      ...(r.error ? { error: r.error } : {}), ...(r.status === 'failed' && r.lastLines?.length ? { lastLines: r.lastLines } : {}),
    };
  });
  return { revision: report.revision, outcome: report.outcome, results, errors: report.errors, startedAt: report.startedAt, finishedAt: report.finishedAt };
}
