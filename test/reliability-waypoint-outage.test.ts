// Reliability: Waypoint unavailable in the middle of an apply and at the start of the
// next run (test/support/reliability/waypoint-outage.ts; `npm run soak` holds each
// outage 30 s). The calls of each outage are counted on the wire and held to the most
// the backoff of src/reconciler/backoff.ts allows.

import { afterAll, describe, expect, it } from 'vitest';
import { backoffMs, defaultRetry } from '../src/reconciler/backoff.js';
import { removeTemporaryFolders } from './support/git-repos.js';
import { outageCallBound, retryCallsWithin, streamCallsWithin } from './support/reliability/call-bound.js';
import { outageSizes, runWaypointOutage } from './support/reliability/waypoint-outage.js';

afterAll(async () => {
  await removeTemporaryFolders();
});

describe('the most calls a backoff allows in an outage', () => {
  it('follows the shortest delays of the retry policy, then of the job stream reconnects', () => {
    const shortest = [1, 2, 3, 4, 5].map((attempt) => backoffMs(defaultRetry, attempt, () => 0));
    expect(shortest).toEqual([250, 500, 1000, 2000, 4000]);
    // Calls at 0, 250, 750, 1750: the next is at 3750.
    expect(retryCallsWithin(1_749)).toBe(3);
    expect(retryCallsWithin(2_000)).toBe(4);
    // Six attempts by 7750 ms; a new loop starts at once and waits 250 ms again.
    expect(retryCallsWithin(7_750)).toBe(7);
    expect(retryCallsWithin(8_000)).toBe(8);
    // Reconnects at 0, 200, 600, 1400, 3000, 6200, then every 5 s.
    expect(streamCallsWithin(2_000)).toBe(4);
    expect(streamCallsWithin(30_000)).toBe(10);
    expect(outageCallBound(2_000, 4).bound).toBe(5 * 4 + 4 * 4);
  });
});

describe('Waypoint unavailable for a while', () => {
  it('is waited out with a bounded number of calls, then the daemon converges without queueing twice', { timeout: 150_000 }, async () => {
    const size = outageSizes.small;
    const result = await runWaypointOutage(size);
    const context = JSON.stringify(result.windows);
    expect(result.violations, context).toEqual([]);
    expect(result.windows.map((w) => w.at)).toEqual(['apply', 'observe']);
    for (const window of result.windows) {
      expect(window.callsTotal, context).toBeGreaterThan(0);
      expect(window.callsTotal, context).toBeLessThanOrEqual(window.callBound);
      expect(window.converged, context).toBe(true);
    }
    // The outage of the apply began on a QueueJob, which was refused and asked again.
    expect(result.windows[0]!.calls.QueueJob, context).toBeGreaterThanOrEqual(1);
    expect(result.duplicates).toEqual([]);
    expect(result.upJobs).toBe(result.expectedUpJobs);
  });
});
