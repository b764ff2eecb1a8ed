// The log as a Reporter: one line per run with its outcome, what it deployed and, for a
// failure, why. A failure that repeats unchanged (an invalid commit seen on every poll)
// is logged once, then at debug until the outcome changes.

import type { ActionResult } from '../../reconciler/apply.js';
import type { Reporter, RunReport } from '../../reconciler/reporting.js';
import type { PinoLogger } from '../logger.js';

const deploys = new Set(['deploy', 'attach']);

/** What the run deployed, and what failed with the first line of why. */
function summary(results: readonly ActionResult[] = []) {
  const deployed = results.filter((r) => deploys.has(r.kind) && r.status === 'done').map((r) => r.target);
  const failed = results.filter((r) => r.status === 'failed').map((r) => ({ action: r.id, reason: (r.error ?? r.reasons.join('; ')).split('\n')[0] }));
  return { ...(deployed.length ? { deployed } : {}), ...(failed.length ? { failed } : {}) };
}

/** Same lane, same outcome, same revision, same errors: the same failure as last time. */
function fingerprint(report: RunReport): string {
  const lane = report.request.kind === 'branch' ? 'branch' : `pr:${report.request.number}`;
  return JSON.stringify([lane, report.outcome, report.revision, report.errors, summary(report.results).failed ?? []]);
}

export function logReporter(logger: PinoLogger): Reporter {
  const lastFailure = new Map<string, string>();
  return {
    report(report) {
      const { request } = report;
      const log = logger.child(request.kind === 'branch'
        ? { revision: report.revision, triggers: request.triggers }
        : { revision: report.revision, pullRequest: request.number });
      const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
      const data = { outcome: report.outcome, jobsQueued: report.jobsQueued, actions: report.plan?.actions.length ?? 0, seconds, ...summary(report.results) };
      const lane = request.kind === 'branch' ? 'branch' : `pr:${request.number}`;
      const failing = ['unavailable', 'invalid', 'failed', 'partial'].includes(report.outcome);
      if (!failing) lastFailure.delete(lane);
      const repeated = failing && lastFailure.get(lane) === fingerprint(report);
      if (failing) lastFailure.set(lane, fingerprint(report));
      const warn = repeated ? log.debug.bind(log) : log.warn.bind(log);
      const error = repeated ? log.debug.bind(log) : log.error.bind(log);
      const again = repeated ? { repeated: true } : {};
      if (report.outcome === 'unavailable') warn({ err: { message: report.errors[0] }, ...again }, 'manifest source unavailable; the last good revision stays applied');
      else if (report.outcome === 'invalid') warn({ errors: report.errors.length, first: report.errors[0], ...again }, 'invalid manifests; the last good revision stays applied');
      else if (report.outcome === 'failed' && report.errorCode !== undefined) error({ err: { message: report.errors[0] }, ...again }, 'reconcile failed');
      else if (request.kind === 'pull-request') log.info(data, 'pull request planned');
      else if (failing) error({ ...data, ...again }, 'reconcile finished with failures');
      else log.info(data, 'reconcile finished');
    },
  };
}
