// Reliability: the manifest repository's remote goes away, refused then missing, under a
// daemon that prunes, and across a restart (test/support/reliability/git-outage.ts;
// `npm run soak` lets 30 fetches fail each time). Readiness while the fetch fails is
// daemon-readiness.test.ts's.

import { afterAll, describe, expect, it } from 'vitest';
import { removeTemporaryFolders } from './support/git-repos.js';
import { gitOutageSizes, runGitOutage } from './support/reliability/git-outage.js';

afterAll(async () => {
  await removeTemporaryFolders();
});

describe('the manifest repository unreachable', () => {
  it('keeps the applied revision, says why, deletes nothing, and applies what was pushed meanwhile once back', { timeout: 150_000 }, async () => {
    const size = gitOutageSizes.small;
    const result = await runGitOutage(size);
    const context = JSON.stringify(result.phases, null, 1);
    expect(result.violations, context).toEqual([]);
    expect(result.phases.map((p) => p.kind)).toEqual(['refused', 'missing']);
    expect(result.phases[0]!.rejected?.reason, context).toMatch(/Couldn't connect to server|Failed to connect/);
    expect(result.phases[1]!.rejected?.reason, context).toMatch(/not found/);
    for (const phase of result.phases) {
      expect(phase.revisionShown, context).toBe(phase.applied);
      expect(phase.failedFetches, context).toBeGreaterThanOrEqual(size.failedFetches);
      expect(phase.changingCalls, context).toBe(0);
      expect(phase.restart?.changingCalls, context).toBe(0);
      expect(phase.recovered, context).toBe(true);
    }
    expect(result.destroyJobs).toBe(0);
    expect(result.upJobs).toBe(result.expectedUpJobs);
    expect(result.tokenShown).toBe(false);
  });
});
