// The private S3 bucket that holds a static site's files: no public access of any
// kind (the original Pilot made it world-readable), objects owned by the account,
// encrypted at rest. Only CloudFront reads it, through the bucket policy.

import type { TerraformStack } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import { bucketName } from './names.js';
import { appTags } from './tags.js';

export function privateBucket(stack: TerraformStack, app: DesiredApp): S3Bucket {
  const id = `app-${app.name}`;
  const bucket = new S3Bucket(stack, `${id}-bucket`, {
    bucket: bucketName(app.project, app.name, app.region),
    // The files are a build output, synced again on every deploy: a pruned site
    // should not leave the apply stuck on a bucket that is not empty.
    forceDestroy: true,
    tags: appTags(app),
  });
  new S3BucketPublicAccessBlock(stack, `${id}-publicblock`, {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
  // ACLs off: access is decided by the bucket policy alone.
  new S3BucketOwnershipControls(stack, `${id}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  new S3BucketServerSideEncryptionConfigurationA(stack, `${id}-encryption`, {
    bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  });
  return bucket;
}
