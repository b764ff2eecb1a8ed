// What every cloud driver offers and takes: the stack of one project in one provider
// and region, synthesized from the desired state into Terraform JSON, and how the
// stack's outputs become database connections and app wiring.

import type { VmStackInput } from '../bootstrap/options.js';
import type { DesiredApp, DesiredDatabase, Provider } from '../reconciler/desired-state.js';

/** Settings from pilot.config.yaml that the manifests do not carry (the Pilot VM's network). */
export interface DriverSettings {
  aws?: {
    /**
     * Reuse this network (the Pilot VM's VPC) instead of creating one. All three are
     * given together: Pilot does not carve subnets out of a VPC it does not own.
     */
    network?: { vpcId: string; appSubnetIds: string[]; databaseSubnetIds: string[] };
  };
  gcp?: {
    /** Reuse this VPC network (self link or name) instead of creating one. */
    network?: string;
    /**
     * The service account Cloud Run apps run as (a Pilot VM's `<name>-apps`, which its
     * identity may act as). Without it Cloud Run uses the project's default compute account.
     */
    appsServiceAccount?: string;
  };
  /** Any other registered cloud's section, named after it and read by its own driver. */
  [provider: string]: object | undefined;
}

/** One stack: every cloud resource of one project in one provider and region. */
export interface StackInput {
  /** e.g. "pilot-shop-aws-us-east-1": the stack's folder and state key. */
  id: string;
  project: string;
  provider: Provider;
  region: string;
  /** The account field of the provider's facts, when it has one: the GCP project id on gcp. */
  gcpProject?: string;
  /** The project's apps placed in this provider and region (sorted by name). */
  apps: DesiredApp[];
  /** The project's databases placed in this provider and region (sorted by name). */
  databases: DesiredDatabase[];
  settings: DriverSettings;
}

/** Terraform JSON configuration syntax, as `cdk.tf.json` holds it. */
export type TerraformJson = Record<string, unknown>;

/** Its `resource` blocks: type -> name -> body. */
export type ResourceBlocks = Record<string, Record<string, Record<string, unknown>>>;

export function resourcesOf(config: TerraformJson): ResourceBlocks {
  return (config.resource ?? {}) as ResourceBlocks;
}

export function countResources(config: TerraformJson): number {
  return Object.values(resourcesOf(config)).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

export interface CloudDriver {
  provider: Provider;
  /** Pure: the same input gives the same JSON, byte for byte once serialized. */
  synth(input: StackInput): TerraformJson;
  /** The Pilot VM's own stack (`pilot bootstrap`), for the clouds that can host it. Pure, like `synth`. */
  synthVm?(input: VmStackInput): TerraformJson;
}

/** What an app reads from a database through `fromDatabase`. */
export interface DatabaseConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}
