// The Pilot package `pilot bootstrap` packed, uploaded beside the project stacks' state:
// the VM fetches it with its role (which may read the bucket) and checks its SHA-256.

import type { TerraformStack } from 'cdktf';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object/index.js';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';

export function pilotPackage(stack: TerraformStack, options: BootstrapOptions, bucket: S3Bucket): void {
  const bundle = options.pilotBundle;
  if (!bundle) return;
  new S3Object(stack, 'pilot-package', {
    bucket: bucket.id,
    key: bundle.key,
    source: bundle.file,
    // A new tarball under the same key uploads again (the key carries the hash anyway).
    sourceHash: bundle.sha256,
    contentType: 'application/gzip',
  });
}
