// The daemon's log line per run: what was deployed, why a run failed, and a failure that
// repeats unchanged (an invalid commit seen on every poll) logged once until it changes.

import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/daemon/logger.js';
import { logReporter } from '../src/daemon/reporters/log-reporter.js';
import type { ActionResult } from '../src/reconciler/apply.js';
import type { RunReport } from '../src/reconciler/reporting.js';
import { request } from '../src/reconciler/requests.js';
import { captureLogs } from './support/daemon-harness.js';

const at = '2026-01-01T00:00:00.000Z';
const run = (outcome: RunReport['outcome'], revision: string, extra: Partial<RunReport> = {}): RunReport =>
  ({ request: request('poll'), revision, outcome, jobsQueued: 0, startedAt: at, finishedAt: '2026-01-01T00:00:02.000Z', errors: [], ...extra });
const result = (target: string, status: ActionResult['status'], error?: string): ActionResult =>
  ({ id: `deploy:${target}`, kind: 'deploy', target, status, reasons: ['memory 512 -> 1024'], ...(error ? { error } : {}) });

function lines() {
  const logs = captureLogs();
  return { reporter: logReporter(createLogger({ destination: logs.stream, level: 'debug' })), records: logs.lines };
}

describe('the log reporter', () => {
  it('names what a run deployed, and what failed and why', () => {
    const { reporter, records } = lines();
    reporter.report(run('converged', 'a'.repeat(40), { results: [result('shop/web', 'done'), result('shop/api', 'done')] }));
    reporter.report(run('partial', 'b'.repeat(40), { results: [result('shop/web', 'done'), result('shop/api', 'failed', 'the release failed: port 8080 is not open\nmore detail')] }));
    const [ok, partial] = records();
    expect(ok).toMatchObject({ level: 30, msg: 'reconcile finished', deployed: ['shop/web', 'shop/api'] });
    expect(partial).toMatchObject({ level: 50, msg: 'reconcile finished with failures', deployed: ['shop/web'], failed: [{ action: 'deploy:shop/api', reason: 'the release failed: port 8080 is not open' }] });
  });

  it('logs a failure that repeats unchanged once, then again once the outcome changed', () => {
    const { reporter, records } = lines();
    const invalid = () => run('invalid', 'c'.repeat(40), { errors: ['pilot.yaml:3:5: apps[0].deploy.memory: expected a whole number'] });
    reporter.report(invalid());
    reporter.report(invalid());
    reporter.report(invalid());
    reporter.report(run('no-changes', 'd'.repeat(40)));
    reporter.report(invalid());
    expect(records().map((r) => [r.level, r.msg, r.repeated ?? false])).toEqual([
      [40, 'invalid manifests; the last good revision stays applied', false],
      [20, 'invalid manifests; the last good revision stays applied', true],
      [20, 'invalid manifests; the last good revision stays applied', true],
      [30, 'reconcile finished', false],
      [40, 'invalid manifests; the last good revision stays applied', false],
    ]);
    expect(records()[0]).toMatchObject({ first: 'pilot.yaml:3:5: apps[0].deploy.memory: expected a whole number' });
  });
});
