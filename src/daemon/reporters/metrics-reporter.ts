// Prometheus metrics as a Reporter: run durations by outcome, jobs by outcome, the
// revision applied, and the time of the last successful run.

import type { Reporter } from '../../reconciler/reporting.js';
import type { Metrics } from '../metrics.js';

export function metricsReporter(metrics: Metrics): Reporter {
  return {
    report(report) {
      if (report.request.kind !== 'branch' || report.outcome === 'unavailable' || report.outcome === 'invalid') return;
      const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
      metrics.reconcileSeconds.observe({ outcome: report.outcome }, seconds);
      if (report.outcome === 'failed' && report.errorCode !== undefined) return;
      for (const r of report.results ?? []) if (r.jobId && (r.kind === 'deploy' || r.kind === 'attach')) metrics.jobs.inc({ outcome: r.status });
      if (report.outcome === 'converged' || report.outcome === 'no-changes') metrics.markSuccess();
      metrics.revision.reset();
      metrics.revision.set({ revision: report.revision }, 1);
    },
  };
}
