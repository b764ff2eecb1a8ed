// The bucket the project stacks keep their Terraform state in: private (uniform
// access, public access prevention enforced), versioned so a bad apply can be rolled
// back. Cloud Storage encrypts every object at rest with Google-managed keys, always;
// there is nothing to turn on. The GCS backend locks with a lock object of its own.

import type { TerraformStack } from 'cdktf';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';
import type { VmServices } from './services.js';

export function stateBucket(scope: TerraformStack, options: BootstrapOptions, member: string, services: VmServices): StorageBucket {
  const bucket = new StorageBucket(scope, 'state-bucket', {
    name: options.stateBucket,
    // Upper case, as the API returns it, so plans show no change.
    location: options.region.toUpperCase(),
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    versioning: { enabled: true },
    // `pilot bootstrap destroy` keeps the state of every project unless asked otherwise.
    forceDestroy: false,
    dependsOn: [services.storage],
  });
  // State and lock objects, in this bucket: the backend reads, writes and deletes them.
  new StorageBucketIamMember(scope, 'state-bucket-vm', { bucket: bucket.name, role: 'roles/storage.objectUser', member });
  return bucket;
}
