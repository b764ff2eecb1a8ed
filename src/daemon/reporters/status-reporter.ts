// The status page (/api/status, /readyz) as a Reporter: what the tracked branch's
// runs did, per app and per stack, the revision applied or refused, and the errors.

import { isFailure } from '../../reconciler/apply.js';
import { formatPlan } from '../../reconciler/plan-text.js';
import type { Reporter, RunReport } from '../../reconciler/reporting.js';
import { fail, fetchFailed, manifestsAfter, pass } from '../readiness.js';
import { appStatuses, stackStatuses, type DaemonStatus } from '../status.js';

/** Failures, and what needs a person (a stack that could not be planned, a refused plan); not what they block. */
function failures(report: RunReport): string[] {
  const errors = (report.results ?? []).filter((r) => r.status === 'failed' || (r.status === 'reported' && isFailure(r)));
  return errors.map((r) => `${r.id}: ${r.error ?? r.reasons.join('; ')}`.split('\n')[0]!);
}

function applied(status: DaemonStatus, report: RunReport, declared: readonly string[], selfHeal: boolean): void {
  const { plan, results, stacks, request } = report;
  if (plan) status.apps = appStatuses(plan, results, status.apps, declared);
  if (plan && stacks) status.stacks = stackStatuses(stacks, plan, results, status.stacks);
  if (request.kind === 'branch' && request.triggers.every((t) => t === 'drift')) {
    status.drift = { at: report.finishedAt, changes: plan?.actions.length ?? 0, healed: selfHeal };
  }
  status.revision = report.revision;
  status.ready.waypoint = true;
  const manifests = manifestsAfter(report, declared.length);
  if (manifests?.ok === true) pass(status.ready, 'manifests');
  else if (manifests) fail(status.ready, 'manifests', manifests.detail);
  delete status.rejected;
  status.lastErrors = failures(report);
}

/** Pull requests whose plans the page keeps. */
const pullRequestsKept = 20;

/** The newest plan of a pull request replaces its earlier one. */
function planned(status: DaemonStatus, report: RunReport): void {
  if (report.request.kind !== 'pull-request') return;
  const { repository, number, headSha, htmlUrl, fork } = report.request;
  const others = status.pullRequests.filter((p) => p.repository !== repository || p.number !== number);
  // A closed pull request leaves the page; its merge shows with the revision that applied it.
  if (report.outcome === 'closed') {
    status.pullRequests = others;
    return;
  }
  const lines = report.plan ? formatPlan(report.plan).trimEnd().split('\n') : report.errors;
  const url = htmlUrl ? { url: `${htmlUrl}/pull/${number}` } : {};
  status.pullRequests = [{ repository, number, headSha, outcome: report.outcome, lines, at: report.finishedAt, ...url, ...(fork ? { fork } : {}) }, ...others].slice(0, pullRequestsKept);
}

/** `declared`: the app keys of the last valid revision (apps that left it drop off the page). */
export function statusReporter(status: DaemonStatus, declared: () => readonly string[], selfHeal: boolean): Reporter {
  return {
    fetched(request) {
      if (request.kind !== 'branch') return;
      pass(status.ready, 'source');
      if (status.rejected?.revision === 'fetch') delete status.rejected;
    },
    started(request, revision, at) {
      if (request.kind === 'branch') status.running = { revision, triggers: request.triggers, startedAt: at };
    },
    report(report) {
      if (report.request.kind !== 'branch') return planned(status, report);
      const run = { revision: report.revision, triggers: report.request.triggers, startedAt: report.startedAt };
      delete status.running;
      if (report.outcome === 'unavailable') {
        // Not ready even with an earlier revision applied: it no longer follows the branch.
        fail(status.ready, 'source', fetchFailed((report.errors[0] ?? 'unavailable').split('\n')[0]!, status.revision));
        status.rejected = { revision: 'fetch', reason: report.errors[0] ?? 'unavailable' };
        status.lastErrors = report.errors;
        return;
      }
      pass(status.ready, 'source');
      if (report.outcome === 'invalid') {
        status.rejected = { revision: report.revision, reason: `${report.errors.length} manifest error(s); nothing from it is applied` };
        status.lastErrors = report.errors.slice(0, 20);
        return;
      }
      if (report.outcome === 'failed' && report.errorCode !== undefined) {
        if (report.errorCode.startsWith('waypoint.')) status.ready.waypoint = false;
        status.lastErrors = report.errors;
        status.lastRun = { ...run, finishedAt: report.finishedAt, outcome: 'failed' };
        return;
      }
      applied(status, report, declared(), selfHeal);
      status.lastRun = { ...run, finishedAt: report.finishedAt, durationMs: Date.parse(report.finishedAt) - Date.parse(report.startedAt), outcome: report.outcome, jobsQueued: report.jobsQueued };
    },
  };
}
