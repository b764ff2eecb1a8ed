// Where a stack keeps its state: the `terraform.backend` block Pilot writes into every stack.

import type { TerraformJson } from '../contract.js';
import type { BackendSettings } from './types.js';

const defaultPrefix = 'pilot';

/** The backend block for one stack; each stack gets its own state key. */
export function backendBlock(settings: BackendSettings, stack: string): Record<string, unknown> {
  switch (settings.kind) {
    case 'local':
      // Relative to the stack dir, which is terraform's working directory.
      return { local: { path: 'terraform.tfstate' } };
    case 's3':
      return {
        s3: {
          bucket: settings.bucket,
          key: `${settings.keyPrefix ?? defaultPrefix}/${stack}/terraform.tfstate`,
          region: settings.region,
          encrypt: true,
          // S3's own lock file (Terraform 1.10 and later) unless a DynamoDB table is named:
          // without either, two applies of a stack could write its state at once.
          ...(settings.dynamodbTable ? { dynamodb_table: settings.dynamodbTable } : { use_lockfile: true }),
          ...(settings.endpoint ? s3CompatibleServer(settings.endpoint) : {}),
          ...(settings.usePathStyle ? { use_path_style: true } : {}),
        },
      };
    case 'gcs':
      return {
        gcs: {
          bucket: settings.bucket,
          prefix: `${settings.prefix ?? defaultPrefix}/${stack}`,
          ...(settings.endpoint ? { storage_custom_endpoint: jsonApiBase(settings.endpoint) } : {}),
        },
      };
  }
}

/**
 * Terraform resolves the JSON API's paths against storage_custom_endpoint, so it must be
 * the API's base and end in "/": given https://host/storage/v1 it asks for
 * /storage/b/<bucket>/o and init fails saying the bucket does not exist. A bare host gets
 * /storage/v1/, where Cloud Storage serves the JSON API.
 */
function jsonApiBase(endpoint: string): string {
  if (/^https?:\/\/[^/]+\/?$/.test(endpoint)) return `${endpoint.replace(/\/$/, '')}/storage/v1/`;
  return endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
}

/**
 * An S3-compatible server (MinIO, Ceph, R2) has no STS: without the first two skips,
 * init fails asking STS who the caller is and then for its account id (terraform 1.11
 * does both before it touches the bucket). Names like R2's "auto" are not AWS regions:
 * the region check is skipped too. skip_metadata_api_check is left false on purpose: it
 * only stops terraform looking for credentials in the instance metadata service, and a
 * VM on EC2 that reaches S3 through an endpoint URL (a VPC endpoint) gets them there.
 */
function s3CompatibleServer(endpoint: string): Record<string, unknown> {
  return { endpoints: { s3: endpoint }, skip_credentials_validation: true, skip_requesting_account_id: true, skip_region_validation: true };
}

/**
 * A copy of `config` whose backend is exactly ours: whatever backend the synthesizer put
 * there (cdktf writes a local one) is replaced, so state never lands somewhere unplanned.
 */
export function withBackend(config: TerraformJson, settings: BackendSettings, stack: string): TerraformJson {
  const copy = structuredClone(config);
  const backend = backendBlock(settings, stack);
  const block = copy.terraform;
  if (Array.isArray(block)) {
    // JSON syntax allows a block to repeat as a list: one backend, in the first.
    const blocks = block.map((b) => withoutBackend(b));
    blocks[0] = { ...blocks[0], backend };
    copy.terraform = blocks.length > 0 ? blocks : [{ backend }];
  } else {
    copy.terraform = { ...withoutBackend(block), backend };
  }
  return copy;
}

function withoutBackend(block: unknown): Record<string, unknown> {
  if (block === null || typeof block !== 'object' || Array.isArray(block)) return {};
  const { backend: _dropped, ...rest } = block as Record<string, unknown>;
  return rest;
}
