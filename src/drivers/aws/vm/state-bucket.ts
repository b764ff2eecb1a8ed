// The bucket the project stacks keep their Terraform state in. Private, versioned (a
// bad apply can be rolled back to the previous state), TLS only. Encrypted with
// SSE-S3 (AES256): a KMS key would add a cost and grants to manage but no protection
// the bucket policy and the role do not already give. Locking is S3's own lock file
// (backend "s3" with use_lockfile, Terraform >= 1.10), so there is no DynamoDB table.

import type { TerraformStack } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';
import { nameTag } from './names.js';

export function stateBucket(stack: TerraformStack, options: BootstrapOptions): S3Bucket {
  const bucket = new S3Bucket(stack, 'state-bucket', {
    bucket: options.stateBucket,
    // `pilot bootstrap destroy` keeps the state of every project unless asked otherwise;
    // Terraform then refuses to delete a bucket that still holds it.
    forceDestroy: false,
    tags: nameTag(options, 'state'),
  });
  new S3BucketVersioningA(stack, 'state-bucket-versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketServerSideEncryptionConfigurationA(stack, 'state-bucket-encryption', {
    bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  });
  new S3BucketPublicAccessBlock(stack, 'state-bucket-public-access', {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
  // ACLs off: who may read state is decided by IAM and the policy below alone.
  new S3BucketOwnershipControls(stack, 'state-bucket-ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  // A Deny on every S3 action (the one wildcard of the stack, and a Deny): state holds
  // database passwords, so it never travels without TLS, whoever asks.
  const tlsOnly = new DataAwsIamPolicyDocument(stack, 'state-bucket-tls-only', {
    statement: [{
      sid: 'DenyWithoutTls',
      effect: 'Deny',
      actions: ['s3:*'],
      resources: [bucket.arn, `${bucket.arn}/*`],
      principals: [{ type: '*', identifiers: ['*'] }],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    }],
  });
  new S3BucketPolicy(stack, 'state-bucket-policy', { bucket: bucket.id, policy: tlsOnly.json });
  return bucket;
}
