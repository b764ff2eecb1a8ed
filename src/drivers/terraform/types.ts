// The executor's public shapes: what the reconciler and the cloud drivers are written against.

import type { Logger } from '../../reconciler/logger.js';
import type { TerraformJson } from '../contract.js';
import type { StackOutputs } from '../outputs.js';

export type BackendSettings =
  | { kind: 'local' }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      dynamodbTable?: string;
      keyPrefix?: string;
      /** An S3-compatible server (MinIO, Ceph, R2) instead of AWS's S3, e.g. https://minio.internal:9000. */
      endpoint?: string;
      /** Buckets as the first path segment (https://host/bucket/key), which most S3-compatible servers need. */
      usePathStyle?: boolean;
    }
  | {
      kind: 'gcs';
      bucket: string;
      prefix?: string;
      /**
       * Cloud Storage's JSON API somewhere else than storage.googleapis.com (a Private Service
       * Connect endpoint, a GCS-compatible server), e.g. https://storage-acme.p.googleapis.com/storage/v1/.
       */
      endpoint?: string;
    };

export interface TerraformSettings {
  /** Root folder: stack working dirs at <dir>/stacks/<id>/, the CLI config at <dir>/terraformrc. */
  dir: string;
  /** Default 'terraform', looked up in PATH. */
  binary?: string;
  /** Filesystem mirror of providers for offline VMs (provider_installation { filesystem_mirror }). */
  mirror?: string;
  /** Default <dir>/plugin-cache (created). */
  pluginCache?: string;
  /** Default local (state in the stack dir). */
  backend?: BackendSettings;
  /** Per command; defaults: apply/destroy 60 min, others 10 min. */
  timeoutMs?: { plan?: number; apply?: number; init?: number };
  /**
   * How long to wait for a stack held by another process before giving up with a
   * 'waiting' error; default 60 s. Callers in this process queue without a bound.
   */
  lockWaitMs?: number;
  /** After SIGTERM on a timeout, how long terraform gets to stop before SIGKILL; default 10 s. */
  killGraceMs?: number;
  /**
   * A workspace that only plans (pull requests), beside the one that applies: before each
   * plan a local state is copied from this root's stacks/<id>/terraform.tfstate, and no
   * state lock is taken (a remote state is read where it lives). Its plans are never applied.
   */
  readStateFrom?: string;
  /** Base environment (default process.env); cloud credentials come through it. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Progress lines from terraform's machine-readable UI (e.g. "aws_db_instance.main: Creating..."). */
  onProgress?: (event: { stack: string; message: string }) => void;
}

export interface AttributeChange {
  name: string;
  before?: unknown;
  after?: unknown;
}

export interface ResourceChange {
  /** e.g. aws_db_instance.main (module paths kept as terraform gives them). */
  address: string;
  type: string;
  name: string;
  action: 'create' | 'update' | 'delete' | 'replace';
  /** delete or replace */
  destructive: boolean;
  /** Top-level attributes that change. Sensitive values become '(sensitive)', unknown after-values '(known after apply)'. */
  attributes: AttributeChange[];
  /** For replace: the attribute paths that force it (replace_paths), dotted. */
  replaceBecause?: string[];
}

export interface StackPlan {
  stack: string;
  /** No-op and read actions left out. */
  changes: ResourceChange[];
  /** Names of outputs that will change (never their values). */
  outputChanges: string[];
  /** No resource and no output changes. */
  empty: boolean;
  /** Path of the saved plan file; apply runs exactly this. */
  file: string;
  destroy: boolean;
}

export interface Stack {
  readonly id: string;
  readonly dir: string;
  /** Writes the configuration (main.tf.json), with the backend block set from settings. */
  write(config: TerraformJson): Promise<void>;
  /** `terraform init`; skipped when neither providers nor backend changed since the last successful init. */
  init(): Promise<void>;
  plan(options?: { destroy?: boolean }): Promise<StackPlan>;
  /** Applies exactly `plan` (its saved file); a stale plan is an error, never re-planned silently. */
  apply(plan: StackPlan): Promise<void>;
  /** `terraform output -json`. Values stay in memory: never logged, never written anywhere by the executor. */
  outputs(): Promise<StackOutputs>;
  destroy(): Promise<void>;
  /**
   * `terraform state rm`: Terraform forgets these resources and leaves them where they
   * are (the Pilot VM's state bucket outlives `pilot bootstrap destroy`). Addresses as
   * terraform names them; one that is not in the state is an error.
   */
  forget(addresses: readonly string[]): Promise<void>;
}

export interface Terraform {
  stack(id: string): Stack;
  /** `terraform version -json` -> "1.11.4"; throws the 'terraform.missing' error when the binary is absent. */
  version(): Promise<string>;
}
