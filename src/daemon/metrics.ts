// Prometheus metrics of the daemon.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  reconcileSeconds: Histogram<'outcome'>;
  jobs: Counter<'outcome'>;
  deliveries: Counter<'result'>;
  lastSuccess: Gauge;
  revision: Gauge<'revision'>;
  /** Marks now as the time of the last converged reconcile. */
  markSuccess(): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let lastSuccessAt = 0;
  const metrics: Metrics = {
    registry,
    reconcileSeconds: new Histogram({ name: 'pilot_reconcile_duration_seconds', help: 'Duration of reconcile runs', labelNames: ['outcome'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900], registers: [registry] }),
    jobs: new Counter({ name: 'pilot_jobs_total', help: 'Waypoint jobs by outcome', labelNames: ['outcome'], registers: [registry] }),
    deliveries: new Counter({ name: 'pilot_webhook_deliveries_total', help: 'GitHub webhook deliveries by result', labelNames: ['result'], registers: [registry] }),
    lastSuccess: new Gauge({
      name: 'pilot_seconds_since_last_successful_reconcile',
      help: 'Seconds since the last reconcile that converged',
      registers: [registry],
      collect() {
        this.set(lastSuccessAt ? (Date.now() - lastSuccessAt) / 1000 : -1);
      },
    }),
    revision: new Gauge({ name: 'pilot_current_revision', help: 'The manifest revision last applied (value 1, revision as label)', labelNames: ['revision'], registers: [registry] }),
    markSuccess() {
      lastSuccessAt = Date.now();
    },
  };
  return metrics;
}
