// The reliability scenarios by name, each at the size of the tests (small) or of the
// soak (full), for bench/soak.ts.

import { killSizes, runKillDuringApply } from './kill-during-apply.js';
import { gitOutageSizes, runGitOutage } from './git-outage.js';
import { invalidSizes, runInvalidCommits } from './invalid-commits.js';
import { runSecretScan, secretSizes } from './secret-scan.js';
import { outageSizes, runWaypointOutage } from './waypoint-outage.js';
import { floodSizes, runWebhookFlood } from './webhook-flood.js';

export type SizeName = 'small' | 'full';

export interface ScenarioResult {
  violations: string[];
}

/** `seed` replaces the size's own, for the scenarios that draw at random. */
type Scenario = (size: SizeName, seed?: number) => Promise<ScenarioResult>;

const withSeed = <T extends { seed: number }>(size: T, seed: number | undefined): T => (seed === undefined ? size : { ...size, seed });

export const scenarios = {
  kill: (size, seed) => runKillDuringApply(withSeed(killSizes[size], seed)),
  'waypoint-outage': (size) => runWaypointOutage(outageSizes[size]),
  'git-outage': (size) => runGitOutage(gitOutageSizes[size]),
  webhooks: (size, seed) => runWebhookFlood(withSeed(floodSizes[size], seed)),
  'invalid-manifests': (size, seed) => runInvalidCommits(withSeed(invalidSizes[size], seed)),
  secrets: (size) => runSecretScan(secretSizes[size]),
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof scenarios;
