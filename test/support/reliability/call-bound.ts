// How many calls to Waypoint a client that backs off can make in an outage of a given
// length, at most: the calls of the fastest schedule its backoff allows, with every
// random part of a delay at its minimum. A busy loop exceeds it by orders of magnitude.

import { backoffMs, defaultRetry, type RetryPolicy } from '../../../src/reconciler/backoff.js';

/**
 * Calls one retry slot can make in `windowMs`: withRetry's attempts (src/reconciler/backoff.ts)
 * at their shortest delays, and, once a loop has used its attempts, a new one at once (the next
 * action in the slot, or the next run).
 */
export function retryCallsWithin(windowMs: number, policy: RetryPolicy = defaultRetry): number {
  let calls = 0;
  for (let at = 0, attempt = 1; at <= windowMs; ) {
    calls += 1;
    if (attempt >= policy.attempts) {
      attempt = 1;
      continue;
    }
    at += backoffMs(policy, attempt, () => 0);
    attempt += 1;
  }
  return calls;
}

/**
 * The reconnects of a broken job stream (streamJob in src/waypoint/client/jobs.ts, which has
 * its own policy: min(200 ms * 2^n, 5 s), no jitter, for up to 60 s, then its action's retry).
 */
export const streamReconnect = { firstMs: 200, maxMs: 5_000, forMs: 60_000 };

export function streamCallsWithin(windowMs: number): number {
  if (windowMs > streamReconnect.forMs) throw new RangeError('the bound assumes an outage shorter than the stream reconnect window');
  let calls = 0;
  for (let at = 0, n = 0; at <= windowMs; n++) {
    calls += 1;
    at += Math.min(streamReconnect.firstMs * 2 ** n, streamReconnect.maxMs);
  }
  return calls;
}

/**
 * The most calls a daemon applying with `concurrency` can make in the window: one retry slot per
 * action running at once plus one for the run itself (observe, or the next run), and one job
 * stream per action.
 */
export function outageCallBound(windowMs: number, concurrency: number, policy: RetryPolicy = defaultRetry): { bound: number; retrySlot: number; streamSlot: number } {
  const retrySlot = retryCallsWithin(windowMs, policy);
  const streamSlot = streamCallsWithin(windowMs);
  return { bound: (concurrency + 1) * retrySlot + concurrency * streamSlot, retrySlot, streamSlot };
}
