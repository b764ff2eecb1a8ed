// Reliability: `pilot apply --once` killed with SIGKILL at seeded random points and run
// again until it converges (test/support/reliability/kill-during-apply.ts; `npm run
// soak` runs the same at 50 apps and 50 kill points). The fixed points of the same
// story are in reconcile-crash.test.ts.

import { afterAll, describe, expect, it } from 'vitest';
import { removeTemporaryFolders } from './support/git-repos.js';
import { killAllChildren } from './support/reconcile-child.js';
import { killSizes, runKillDuringApply } from './support/reliability/kill-during-apply.js';

afterAll(async () => {
  await killAllChildren();
  await removeTemporaryFolders();
});

describe('an apply killed with SIGKILL at random points', () => {
  it('converges, every app on its commit, no (app, config, commit) queued twice', { timeout: 120_000 }, async () => {
    const size = killSizes.small;
    const result = await runKillDuringApply(size);
    const context = `seed ${size.seed}, kill points ${JSON.stringify(result.points)}`;
    expect(result.violations, context).toEqual([]);
    expect(result.kills, context).toBe(size.kills);
    expect(result.duplicates, context).toEqual([]);
    expect(result.missing, context).toEqual([]);
    expect(result.notSucceeded, context).toEqual([]);
    expect(result.idempotent, context).toBe(true);
    // Every app was queued once per round; a process was started per kill and per round.
    expect(result.queueJobs, context).toBe(size.apps * result.rounds);
    expect(result.runs, context).toBe(result.kills + result.rounds);
  });
});
