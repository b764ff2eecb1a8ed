// The log as a Reporter: one line per run, with its outcome and what it did.

import type { Reporter } from '../../reconciler/reporting.js';
import type { PinoLogger } from '../logger.js';

export function logReporter(logger: PinoLogger): Reporter {
  return {
    report(report) {
      const { request } = report;
      const log = logger.child(request.kind === 'branch'
        ? { revision: report.revision, triggers: request.triggers }
        : { revision: report.revision, pullRequest: request.number });
      const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
      const data = { outcome: report.outcome, jobsQueued: report.jobsQueued, actions: report.plan?.actions.length ?? 0, seconds };
      if (report.outcome === 'unavailable') log.warn({ err: { message: report.errors[0] } }, 'manifest source unavailable; the last good revision stays applied');
      else if (report.outcome === 'invalid') log.warn({ errors: report.errors.length }, 'invalid manifests; the last good revision stays applied');
      else if (report.outcome === 'failed' && report.errorCode !== undefined) log.error({ err: { message: report.errors[0] } }, 'reconcile failed');
      else if (request.kind === 'pull-request') log.info(data, 'pull request planned');
      else log.info(data, 'reconcile finished');
    },
  };
}
