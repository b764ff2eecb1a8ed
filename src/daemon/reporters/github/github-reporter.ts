// Runs reported to GitHub, as one Reporter: pull request plans (comment and pilot/plan
// check) and the tracked branch's applies (pilot/apply check, deployments, the merged
// pull request's comment). Every call goes through one outbox, off the lanes' path.

import type { Logger } from '../../../reconciler/logger.js';
import type { Reporter } from '../../../reconciler/reporting.js';
import { checks } from '../../../sources/github/api/checks.js';
import type { GithubClient } from '../../../sources/github/api/client.js';
import type { MergedPullRequest } from '../../../sources/github/api/pulls.js';
import { applyReports, type ApplyTarget } from './apply-reports.js';
import { outbox } from './outbox.js';
import { planPublisher } from './pull-request-plans.js';

export interface GithubReporterOptions {
  client: GithubClient;
  /** The manifest repository on GitHub; without it, applies are not reported (plans still are). */
  repository?: ApplyTarget;
  comments: boolean;
  deployments: boolean;
  /** The daemon's status page, linked from checks and deployments. */
  statusUrl?: () => string | undefined;
  onMerged?(revision: string, pullRequest: MergedPullRequest): void;
  logger: Logger;
  /** How long a stop waits for reports under way (default 5 s). */
  stopGraceMs?: number;
}

export interface GithubReporter extends Reporter {
  /** Resolves once everything reported so far has been sent (or has failed and been logged). */
  idle(): Promise<void>;
}

export function githubReporter(options: GithubReporterOptions): GithubReporter {
  const { client, logger } = options;
  const box = outbox(logger);
  const published = checks(client);
  const detailsUrl = options.statusUrl ?? (() => undefined);
  const plans = planPublisher(client, published, { comments: options.comments, detailsUrl });
  const target = options.repository;
  const applies = target
    ? applyReports(client, published, target, {
      comments: options.comments, deployments: options.deployments, detailsUrl, logger,
      takeInput: (number) => plans.takeInput(target.repository, number),
      ...(options.onMerged ? { onMerged: options.onMerged } : {}),
    })
    : undefined;

  return {
    idle: () => box.idle(),
    async stop() {
      await box.close(options.stopGraceMs ?? 5_000);
      client.close();
    },
    started(request, revision) {
      if (request.kind === 'pull-request') return box.send(`plan check of #${request.number}`, () => plans.started(request, revision));
      if (!applies) return;
      applies.begin();
      // A drift check says nothing on the commit unless it changes something (see report).
      if (request.triggers.every((t) => t === 'drift')) return;
      box.send(`apply check of ${revision.slice(0, 7)}`, () => applies.started(revision));
    },
    progress(request, revision, event) {
      if (request.kind === 'branch') applies?.progress(revision, event, box.send);
    },
    report(report) {
      const { request } = report;
      if (request.kind === 'pull-request') return box.send(`plan of #${request.number}`, () => plans.report(request, report));
      if (!applies || report.outcome === 'unavailable') return;
      const driftOnly = request.triggers.every((t) => t === 'drift');
      if (driftOnly && (report.outcome === 'no-changes' || report.outcome === 'drift-reported')) return;
      const took = applies.durationsNow();
      box.send(`apply of ${report.revision.slice(0, 7)}`, () => applies.report(report, driftOnly, took));
    },
  };
}
