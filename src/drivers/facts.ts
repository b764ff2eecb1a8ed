// What a cloud says about itself, for the layers that must not load its stacks: the
// manifest checks, the waypoint.hcl renderer, the CLI's prompts and the stack planner
// read these facts (through the registry) instead of branching on a provider's name.
// Plain data and one lazy loader: importing a provider's facts never loads CDKTF.

import type { Platform } from '../reconciler/desired-state.js';
import type { AppWiring } from '../reconciler/wiring.js';
import type { CloudDriver } from './contract.js';

/** A cloud's limit on one kind of resource name (`pilot-<project>-<name>` must fit it). */
export interface NameLimit {
  what: string;
  max: number;
}

/**
 * The placement field naming the account resources live in, beyond the region
 * (`gcpProject` on gcp). The manifest's keys are fixed by the schema, so a cloud picks one of them.
 */
export interface AccountFacts {
  field: 'gcpProject';
  /** "GCP project": messages say "has no GCP project", prompts ask for the "GCP project id". */
  label: string;
  pattern: RegExp;
  /** What a prompt says until the answer matches. */
  hint: string;
}

/** How pilot-sync reaches a static site's bucket and CDN on this cloud. */
export interface StaticSyncFacts {
  /** The flag that scopes the bucket and the placement field it takes: `--region` region, `--project` gcpProject. */
  scope: { flag: string; from: 'region' | 'gcpProject' };
  /** The flag naming the CDN to invalidate, and the stack output (wiring) it takes. */
  cdn: { flag: string; wiring: keyof AppWiring };
}

export interface ProviderFacts {
  /** As manifests write it: `provider: aws`. */
  name: string;
  /** As prompts show it: "AWS". */
  displayName: string;
  regions: {
    pattern: RegExp;
    /** "an AWS region", for "x is not an AWS region". */
    label: string;
    example: string;
    /** What `pilot init` and the prompts offer. */
    default: string;
  };
  /** Platforms it hosts; the first is the one messages suggest instead of another cloud's. */
  platforms: readonly Platform[];
  account?: AccountFacts;
  names: { apps: Partial<Record<Platform, NameLimit>>; database: NameLimit };
  database: { product: string; minStorageGB: number };
  staticSync: StaticSyncFacts;
  /** Its stacks, loaded on first use (the CDKTF bindings take a while to import). */
  driver(): Promise<CloudDriver>;
}
