// Scenario: Waypoint answers UNAVAILABLE to everything for a while, twice in a daemon's
// life: in the middle of an apply (from the moment one of its QueueJob calls arrives,
// which is refused, while other jobs are followed), and at the start of the next run
// (from its first call, when it observes). Every call the daemon makes crosses a
// recording proxy, so the calls of each outage are counted and held to the most its
// backoff allows; once Waypoint is back the daemon converges, queueing no job twice.

import { startEmulator } from '../../../src/dev/waypoint-emulator/index.js';
import { defaultRetry } from '../../../src/reconciler/backoff.js';
import { convergedAt, startTestDaemon, statusWhere, waypointToken, type TestDaemon } from '../daemon-harness.js';
import { app, manifestRemote, upsOf } from '../daemon-scenario.js';
import { createSourceRepo } from '../git-repos.js';
import { duplicateUps } from '../reconcile-harness.js';
import { outageCallBound } from './call-bound.js';
import { startGrpcTap, type GrpcTap, type TappedCall } from './grpc-tap.js';

export interface OutageSize {
  apps: number;
  outageMs: number;
  /** The daemon's apply concurrency. */
  concurrency: number;
  /** Length of one runner phase of the emulator. */
  stepMs: number;
  /** The daemon's poll interval: it also starts the run after a failed one. */
  pollMs: number;
  /** How long convergence may take once Waypoint is back. */
  convergeMs: number;
}

export const outageSizes = {
  small: { apps: 8, outageMs: 2_000, concurrency: 4, stepMs: 100, pollMs: 500, convergeMs: 30_000 },
  full: { apps: 24, outageMs: 30_000, concurrency: 4, stepMs: 300, pollMs: 5_000, convergeMs: 180_000 },
} satisfies Record<string, OutageSize>;

export interface OutageWindow {
  /** apply: from a QueueJob's arrival, mid-apply; observe: from the first call of a run. */
  at: 'apply' | 'observe';
  /** How long Waypoint answered UNAVAILABLE, as measured. */
  outageMs: number;
  /** Calls that reached Waypoint during the outage, by method. */
  calls: Record<string, number>;
  callsTotal: number;
  /** The most calls the backoff allows in that window (call-bound.ts). */
  callBound: number;
  retrySlotCalls: number;
  streamSlotCalls: number;
  converged: boolean;
  /** From the end of the outage to every app converged at the revision. */
  convergeMs: number;
  /** Runs reported from the start of the outage to convergence, by outcome. */
  runs: Record<string, number>;
}

export interface OutageResult {
  apps: number;
  windows: OutageWindow[];
  upJobs: number;
  expectedUpJobs: number;
  duplicates: string[];
  durationMs: number;
  violations: string[];
}

const project = 'outage';

/** Starts an outage at the first call `when` picks, then ends it `ms` later; resolves with its window. */
function outageOn(tap: GrpcTap, emulator: Awaited<ReturnType<typeof startEmulator>>, ms: number, when: (call: TappedCall) => boolean): Promise<{ start: number; end: number }> {
  return new Promise((resolve) => {
    const off = tap.onCall((call) => {
      if (!when(call)) return;
      off();
      // Set before the call is forwarded: this call is refused too.
      emulator.faults.unavailable(10 * 60_000);
      // The window opens when the call that started it arrived, so that call is in it.
      const start = call.at;
      setTimeout(() => {
        emulator.faults.available();
        resolve({ start, end: Date.now() });
      }, ms);
    });
  });
}

/** Log lines of the runs of the tracked branch, by outcome ("reconcile failed" has none: failed). */
function runsSince(daemon: TestDaemon, since: number): Record<string, number> {
  const runs: Record<string, number> = {};
  for (const line of daemon.logs.lines()) {
    if (typeof line.time === 'number' && line.time < since) continue;
    if (!/^reconcile (finished|failed)/.test(String(line.msg))) continue;
    const outcome = typeof line.outcome === 'string' ? line.outcome : 'failed';
    runs[outcome] = (runs[outcome] ?? 0) + 1;
  }
  return runs;
}

export async function runWaypointOutage(size: OutageSize): Promise<OutageResult> {
  const started = Date.now();
  const emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: size.stepMs, concurrency: 4 });
  const tap = await startGrpcTap(emulator.address);
  let daemon: TestDaemon | undefined;
  const result: OutageResult = { apps: size.apps, windows: [], upJobs: 0, expectedUpJobs: 2 * size.apps, duplicates: [], durationMs: 0, violations: [] };
  try {
    const source = await createSourceRepo('outage-src');
    const names = Array.from({ length: size.apps }, (_, i) => `a${String(i).padStart(2, '0')}`);
    const keys = names.map((name) => `${project}/${name}`);
    const remote = await manifestRemote({ name: project, apps: names.map((name) => app(name, source.url)) });

    const measure = async (at: OutageWindow['at'], outage: Promise<{ start: number; end: number }>, revision: string) => {
      const { start, end } = await outage;
      const converged = await statusWhere(daemon!, convergedAt(revision, keys), `every app converged after the ${at} outage`, size.convergeMs).then(() => true, () => false);
      const calls: Record<string, number> = {};
      for (const call of tap.calls) if (call.at >= start && call.at <= end) calls[call.method] = (calls[call.method] ?? 0) + 1;
      const bound = outageCallBound(end - start, size.concurrency, defaultRetry);
      result.windows.push({
        at, outageMs: end - start, calls, callsTotal: Object.values(calls).reduce((a, b) => a + b, 0),
        callBound: bound.bound, retrySlotCalls: bound.retrySlot, streamSlotCalls: bound.streamSlot,
        converged, convergeMs: Date.now() - end, runs: runsSince(daemon!, start),
      });
    };

    // 1. Mid-apply: from the QueueJob of the app in the middle.
    let queued = 0;
    const midApply = outageOn(tap, emulator, size.outageMs, (call) => call.method === 'QueueJob' && ++queued === Math.ceil(size.apps / 2));
    daemon = await startTestDaemon({
      emulator, repository: { url: remote.url, branch: 'main' },
      config: { waypoint: { address: tap.address, tls: 'off', token: waypointToken }, pollMs: size.pollMs, concurrency: size.concurrency },
    });
    await measure('apply', midApply, remote.first);

    // 2. At the start of the next run: every app's memory changes, the poll finds it.
    const atObserve = outageOn(tap, emulator, size.outageMs, () => true);
    const next = await remote.push({ name: project, apps: names.map((name) => app(name, source.url, { memory: 1024 })) });
    await measure('observe', atObserve, next);

    const ups = upsOf(emulator, project);
    result.upJobs = ups.length;
    result.duplicates = duplicateUps(ups);
  } finally {
    await daemon?.stop();
    await tap.close();
    await emulator.stop();
  }
  result.durationMs = Date.now() - started;
  result.violations = outageViolations(result);
  return result;
}

export function outageViolations(r: OutageResult): string[] {
  const out: string[] = [];
  for (const w of r.windows) {
    if (w.callsTotal > w.callBound) out.push(`${w.at}: ${w.callsTotal} calls during a ${w.outageMs} ms outage, more than the ${w.callBound} the backoff allows`);
    if (w.callsTotal === 0) out.push(`${w.at}: no call reached Waypoint during the outage`);
    if (!w.converged) out.push(`${w.at}: not converged ${w.convergeMs} ms after Waypoint came back (runs: ${JSON.stringify(w.runs)})`);
  }
  if (r.windows.length !== 2) out.push(`${r.windows.length} outages measured instead of 2`);
  if (r.duplicates.length) out.push(`queued twice: ${r.duplicates.join(', ')}`);
  if (r.upJobs !== r.expectedUpJobs) out.push(`${r.upJobs} up jobs, expected ${r.expectedUpJobs}`);
  return out;
}
