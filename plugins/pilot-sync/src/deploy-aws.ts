import { cloudFrontClient, invalidateCloudFront } from './cloudfront-invalidation.js';
import type { Say } from './log.js';
import type { AwsOptions } from './options.js';
import { s3Bucket, s3Client } from './s3-bucket.js';
import type { SiteFile } from './site.js';
import { syncSite, type SyncResult } from './sync-site.js';

export async function deployToAws(options: AwsOptions, files: readonly SiteFile[], env: NodeJS.ProcessEnv, say: Say): Promise<SyncResult> {
  const bucket = s3Bucket(s3Client(options.region, env), options.bucket);
  say(`syncing to ${bucket.url} in ${options.region}`);
  const result = await syncSite(files, bucket, options.concurrency, say);
  // Invalidated even when nothing changed: a previous run may have uploaded and then failed before this step.
  if (options.distribution === undefined) say('no --distribution given; skipping CDN invalidation');
  else await invalidateCloudFront(cloudFrontClient(), options.distribution, { intervalMs: options.pollIntervalMs, timeoutMs: options.waitTimeoutMs }, say);
  return result;
}
