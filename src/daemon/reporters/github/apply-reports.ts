// A tracked-branch commit's apply on GitHub: the pilot/apply check on the commit, a
// deployment per app (in progress when its deploy starts, then success with its URL or
// failure), and, when the commit merged a pull request, that pull request's comment
// gains the "Applied in" section. Commits pushed directly get the check and deployments.

import type { ApplyProgress } from '../../../reconciler/apply.js';
import type { Logger } from '../../../reconciler/logger.js';
import type { RunReport } from '../../../reconciler/reporting.js';
import type { Checks } from '../../../sources/github/api/checks.js';
import type { GithubClient } from '../../../sources/github/api/client.js';
import { upsertPlanComment } from '../../../sources/github/api/comments.js';
import { finishDeployment, startDeployment } from '../../../sources/github/api/deployments.js';
import { mergedPullRequestOf, type MergedPullRequest } from '../../../sources/github/api/pulls.js';
import { renderComment } from '../../../sources/github/comment/index.js';
import type { CommentInput } from '../../../sources/github/comment/model.js';
import { appliedSection, planSection, urlOf } from './plan-input.js';
import { annotationsOf } from './pull-request-plans.js';

export const applyCheck = 'pilot/apply';

export interface ApplyTarget {
  /** owner/name of the manifest repository. */
  repository: string;
  htmlUrl: string;
}

export interface ApplyOptions {
  comments: boolean;
  deployments: boolean;
  detailsUrl?: () => string | undefined;
  /** The comment input of a pull request's last plan, if this daemon planned it (taken once). */
  takeInput(number: number): CommentInput | undefined;
  onMerged?(revision: string, pullRequest: MergedPullRequest): void;
  logger: Logger;
}

const conclusions: Partial<Record<RunReport['outcome'], 'success' | 'failure' | 'neutral'>> = {
  converged: 'success', 'no-changes': 'success', 'drift-reported': 'neutral', interrupted: 'neutral', partial: 'failure', failed: 'failure', invalid: 'failure',
};

const deploys = new Set(['deploy', 'attach']);

export function applyReports(client: GithubClient, checks: Checks, target: ApplyTarget, options: ApplyOptions) {
  const started = new Map<string, number>();
  const durations = new Map<string, number>();
  const deployments = new Map<string, number>();
  const details = () => {
    const url = options.detailsUrl?.();
    return url ? { detailsUrl: url } : {};
  };

  return {
    /** A run of the branch begins (called at once, not through the outbox). */
    begin(): void {
      started.clear();
      durations.clear();
    },

    async started(revision: string): Promise<void> {
      await checks.publish(target.repository, { name: applyCheck, sha: revision, status: 'in_progress', title: 'Applying', summary: `Applying ${revision.slice(0, 7)}.`, ...details() });
    },

    /** Deployment calls go through `send`, so they keep their order with the rest. */
    progress(revision: string, event: ApplyProgress, send: (what: string, task: () => Promise<void>) => void): void {
      const { action } = event;
      if (event.type === 'start') started.set(action.id, Date.now());
      if (event.type === 'end' && started.has(action.id)) durations.set(action.id, Date.now() - started.get(action.id)!);
      if (!options.deployments || !deploys.has(action.kind)) return;
      if (event.type === 'start') {
        // The outbox runs tasks in order: the deployment exists before its status is sent.
        send(`deployment of ${action.target}`, async () => {
          deployments.set(action.id, await startDeployment(client, target.repository, { sha: revision, environment: action.target, description: `Deploying ${action.target} at ${revision.slice(0, 7)}`, ...logUrl(details()) }));
        });
      } else if (event.type === 'end') {
        const { result } = event;
        const environmentUrl = urlOf(result);
        send(`deployment status of ${action.target}`, async () => {
          const id = deployments.get(action.id);
          if (id === undefined) return;
          const ok = result.status === 'done';
          await finishDeployment(client, target.repository, id, {
            state: ok ? 'success' : result.status === 'failed' ? 'failure' : 'error',
            description: ok ? `${action.target} is live` : `${action.target}: ${result.error ?? result.status}`,
            ...(environmentUrl ? { environmentUrl } : {}), ...logUrl(details()),
          });
        });
      }
    },

    /** How long each action of the current run took, as known now (the report is sent later, maybe after the next run began). */
    durationsNow(): ReadonlyMap<string, number> {
      return new Map(durations);
    },

    async report(report: RunReport, driftOnly: boolean, took: ReadonlyMap<string, number>): Promise<void> {
      const conclusion = conclusions[report.outcome];
      if (!conclusion) return;
      const input: CommentInput = { links: { repoHtmlUrl: target.htmlUrl }, plan: planSection(report), applied: appliedSection(report, took) };
      const body = renderComment(input)[0] ?? '';
      const failed = (report.results ?? []).filter((r) => r.status === 'failed').length;
      const done = (report.results ?? []).filter((r) => r.status === 'done').length;
      const title = report.outcome === 'invalid' ? 'Invalid manifests: nothing applied' : `${report.outcome}: ${done} done, ${failed} failed`;
      await checks.publish(target.repository, {
        name: applyCheck, sha: report.revision, status: 'completed', conclusion, title, summary: body.slice(0, 65_000), annotations: annotationsOf(report), ...details(),
      });
      if (driftOnly || !options.comments) return;
      const merged = await mergedPullRequestOf(client, target.repository, report.revision);
      if (!merged) return;
      options.onMerged?.(report.revision, merged);
      const last = options.takeInput(merged.number);
      const comment: CommentInput = last ? { ...last, applied: input.applied!, state: 'open' } : input;
      await upsertPlanComment(client, target.repository, merged.number, renderComment(comment));
    },
  };
}

function logUrl(details: { detailsUrl?: string }): { logUrl?: string } {
  return details.detailsUrl ? { logUrl: details.detailsUrl } : {};
}
