// Reliability: no secret anywhere after a full run (test/support/reliability/secret-scan.ts;
// `npm run soak` runs it with more apps and revisions). What the log alone says is
// also daemon-process.test.ts's, with a database password from the cloud stand-in.

import { afterAll, describe, expect, it } from 'vitest';
import { removeTemporaryFolders } from './support/git-repos.js';
import { runSecretScan, secretSizes } from './support/reliability/secret-scan.js';

afterAll(async () => {
  await removeTemporaryFolders();
});

describe('every secret Pilot handles, after a full run', () => {
  it('is found nowhere Pilot wrote or answered, but where the runner needs it', { timeout: 150_000 }, async () => {
    const result = await runSecretScan(secretSizes.small);
    expect(result.violations).toEqual([]);
    expect(result.hits).toEqual([]);
    expect(result.controlFound).toBe(true);
    expect(Object.keys(result.places).sort()).toEqual(['CLI output', 'HTTP answers', 'daemon log', 'requests to Waypoint', 'state directory files', 'waypoint.hcl']);
    expect(result.places['state directory files']).toBeGreaterThan(1);
    expect(result.converged).toBe(true);
  });
});
