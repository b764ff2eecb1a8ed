// The Pilot package `pilot bootstrap` packed, uploaded beside the project stacks' state:
// the VM fetches it with its service account (an object user of the bucket) and checks
// its SHA-256.

import type { TerraformStack } from 'cdktf';
import { StorageBucketObject } from '@cdktf/provider-google/lib/storage-bucket-object/index.js';
import type { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';

export function pilotPackage(scope: TerraformStack, options: BootstrapOptions, bucket: StorageBucket): void {
  const bundle = options.pilotBundle;
  if (!bundle) return;
  new StorageBucketObject(scope, 'pilot-package', { bucket: bucket.name, name: bundle.key, source: bundle.file, contentType: 'application/gzip' });
}
