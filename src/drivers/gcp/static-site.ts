// Static sites: a private Cloud Storage bucket per app, served only through Cloud
// CDN behind a global external Application Load Balancer (load-balancer.ts).
//
// How the CDN reads a private bucket. What holds: Google documents "private bucket
// access" for Cloud CDN backend buckets, where the bucket's IAM policy lets the
// load balancer read objects without signed URLs or signed cookies, and a bucket
// with public access prevention still accepts grants to service accounts (it refuses
// only allUsers and allAuthenticatedUsers). What I could not confirm from the text
// at hand: the exact identity that step names (the fill account
// service-<project number>@cloud-cdn-fill.iam.gserviceaccount.com is what the
// signed-URL guide grants objectViewer to), and that Google creates that account
// only when a first signed-request key is added to a backend bucket of the project
// (from memory of that guide). Hence the key below: it makes sure the account exists
// before the grant. The key signs nothing; unsigned requests are served as before
// (Cloud CDN does not block requests without a signature), so leaking it from state
// would only let someone sign URLs for content that is public through the CDN anyway.

import { TerraformOutput } from 'cdktf';
import { ComputeBackendBucket } from '@cdktf/provider-google/lib/compute-backend-bucket/index.js';
import { ComputeBackendBucketSignedUrlKey } from '@cdktf/provider-google/lib/compute-backend-bucket-signed-url-key/index.js';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { Id } from '@cdktf/provider-random/lib/id/index.js';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import { appOutput } from '../outputs.js';
import type { GcpStack } from './context.js';
import { appLabels } from './labels.js';
import { loadBalancer } from './load-balancer.js';
import { bucketName, computeName } from './names.js';
import { staticApps } from './shape.js';

export function staticSites(stack: GcpStack): void {
  const apps = staticApps(stack.input);
  if (apps.length === 0) return;
  const project = new DataGoogleProject(stack.scope, 'project', {
    projectId: stack.gcpProject,
    dependsOn: stack.services.need('cloudresourcemanager'),
  });
  const fillAccount = `serviceAccount:service-${project.number}@cloud-cdn-fill.iam.gserviceaccount.com`;
  for (const app of apps) staticSite(stack, app, fillAccount);
}

function staticSite(stack: GcpStack, app: DesiredApp, fillAccount: string): void {
  const { scope, input } = stack;
  const id = `app-${app.name}`;
  const bucket = new StorageBucket(scope, `${id}-bucket`, {
    name: bucketName(stack.gcpProject, input.project, app.name),
    // Upper case, as the API returns it, so plans show no change.
    location: input.region.toUpperCase(),
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    // The load balancer serves index.html for "/" and for folder paths.
    website: { mainPageSuffix: 'index.html' },
    // Build output, uploaded again on every deploy: removing the app may remove it.
    forceDestroy: true,
    labels: appLabels(app),
    dependsOn: stack.services.need('storage'),
  });
  const backend = new ComputeBackendBucket(scope, `${id}-backend`, {
    name: computeName([input.project, app.name, 'backend']),
    bucketName: bucket.name,
    enableCdn: true,
    dependsOn: stack.services.need('compute'),
  });
  const keyBytes = new Id(scope, `${id}-cdn-key-bytes`, { byteLength: 16 });
  const key = new ComputeBackendBucketSignedUrlKey(scope, `${id}-cdn-key`, {
    name: 'pilot-cdn-fill',
    backendBucket: backend.name,
    // The 128-bit key in RFC 4648 section 5 base64url, padded: the form gcloud's own
    // recipe (`head -c 16 /dev/random | base64 | tr +/ -_`) produces. random_id leaves the padding off.
    keyValue: `${keyBytes.b64Url}==`,
  });
  new StorageBucketIamMember(scope, `${id}-cdn-reader`, {
    bucket: bucket.name,
    role: 'roles/storage.objectViewer',
    member: fillAccount,
    dependsOn: [key],
  });
  const site = loadBalancer(stack, app, backend);
  new TerraformOutput(scope, appOutput(app.name, 'bucket'), { value: bucket.name });
  new TerraformOutput(scope, appOutput(app.name, 'urlMap'), { value: site.urlMap.name });
  // Where the domain's DNS A record points.
  new TerraformOutput(scope, `app_${app.name}_siteAddress`, { value: site.address.address });
}
