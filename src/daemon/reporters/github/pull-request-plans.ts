// A pull request's plan on GitHub: the one plan comment upserted, the pilot/plan check
// (in progress while planning, then its conclusion, each manifest problem annotated on
// its line), and, once the pull request closes unmerged, the comment marked outdated.

import type { RunReport } from '../../../reconciler/reporting.js';
import type { PullRequestPlan } from '../../../reconciler/requests.js';
import type { CheckAnnotation, Checks } from '../../../sources/github/api/checks.js';
import type { GithubClient } from '../../../sources/github/api/client.js';
import { markPlanCommentOutdated, upsertPlanComment } from '../../../sources/github/api/comments.js';
import { countComment } from '../../../sources/github/comment/counts.js';
import { renderComment, renderPlanSummary } from '../../../sources/github/comment/index.js';
import type { CommentInput } from '../../../sources/github/comment/model.js';
import { planSection } from './plan-input.js';

export const planCheck = 'pilot/plan';

export interface PlanPublisher {
  started(request: PullRequestPlan, revision: string): Promise<void>;
  report(request: PullRequestPlan, report: RunReport): Promise<void>;
  /** The newest comment input of a pull request, kept until its merge is applied (taken once). */
  takeInput(repository: string, number: number): CommentInput | undefined;
}

export function annotationsOf(report: RunReport): CheckAnnotation[] {
  return (report.problems ?? []).map((p) => ({ path: p.file, line: p.line, col: p.col, level: p.severity === 'error' ? 'failure' : 'warning', message: p.message, title: p.rule }));
}

/**
 * A plan that cannot be applied as it is fails its check: invalid manifests, a plan that
 * could not be made, or actions needing someone (a missing secret, an unreadable source).
 * A fork's plan, made without credentials, is neutral rather than failed for those.
 */
export function conclusionOf(report: RunReport, fork: boolean): 'success' | 'failure' | 'neutral' {
  if (report.outcome !== 'planned') return 'failure';
  if ((report.problems ?? []).some((p) => p.severity === 'error')) return 'failure';
  if (countComment(planSection(report)).errors === 0) return 'success';
  return fork ? 'neutral' : 'failure';
}

export function planPublisher(client: GithubClient, checks: Checks, options: { comments: boolean; detailsUrl?: () => string | undefined }): PlanPublisher {
  const inputs = new Map<string, CommentInput>();
  const key = (repository: string, number: number) => `${repository.toLowerCase()}#${number}`;
  const details = () => {
    const url = options.detailsUrl?.();
    return url ? { detailsUrl: url } : {};
  };
  return {
    takeInput(repository, number) {
      const input = inputs.get(key(repository, number));
      inputs.delete(key(repository, number));
      return input;
    },
    async started(request, revision) {
      await checks.publish(request.repository, { name: planCheck, sha: revision, status: 'in_progress', title: 'Planning', summary: `Planning ${revision.slice(0, 7)} against what runs now.`, ...details() });
    },
    async report(request, report) {
      const at = key(request.repository, request.number);
      if (request.action === 'closed') {
        const last = inputs.get(at);
        // A merged one keeps its plan for the apply's section (see takeInput).
        if (request.merged) return;
        inputs.delete(at);
        if (!options.comments) return;
        if (last) await upsertPlanComment(client, request.repository, request.number, renderComment({ ...last, state: 'closed' }));
        else await markPlanCommentOutdated(client, request.repository, request.number);
        return;
      }
      const input: CommentInput = { ...(request.htmlUrl ? { links: { repoHtmlUrl: request.htmlUrl } } : {}), plan: planSection(report), state: 'open' };
      inputs.set(at, input);
      if (options.comments) await upsertPlanComment(client, request.repository, request.number, renderComment(input));
      const { title, summary } = renderPlanSummary(input);
      await checks.publish(request.repository, {
        name: planCheck, sha: report.revision === 'fetch' ? request.headSha : report.revision, status: 'completed', conclusion: conclusionOf(report, request.fork),
        title, summary, annotations: annotationsOf(report), ...details(),
      });
    },
  };
}
