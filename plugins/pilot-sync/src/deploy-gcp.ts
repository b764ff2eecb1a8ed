import { GoogleAuth } from 'google-auth-library';
import { computeEndpoint, invalidateCloudCdn } from './cloud-cdn-invalidation.js';
import { step } from './errors.js';
import { gcsBucket, gcsStorage } from './gcs-bucket.js';
import type { Say } from './log.js';
import type { GcpOptions } from './options.js';
import type { SiteFile } from './site.js';
import { syncSite, type SyncResult } from './sync-site.js';

export async function deployToGcp(options: GcpOptions, files: readonly SiteFile[], env: NodeJS.ProcessEnv, say: Say): Promise<SyncResult> {
  // Application default credentials: a key file, gcloud's login, or the runner VM's metadata server.
  // One client for Storage and Compute, so that one token serves both.
  const auth = new GoogleAuth({ projectId: options.project, scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  // Asked for up front: without credentials the Storage SDK would quietly go on as an anonymous caller.
  await step('getting Google credentials (application default credentials)', () => auth.getAccessToken());
  const bucket = gcsBucket(gcsStorage(options.project, auth, env), options.bucket);
  say(`syncing to ${bucket.url} in project ${options.project}`);
  const result = await syncSite(files, bucket, options.concurrency, say);
  // Invalidated even when nothing changed: a previous run may have uploaded and then failed before this step.
  if (options.urlMap === undefined) say('no --url-map given; skipping CDN invalidation');
  else {
    const api = { auth, endpoint: computeEndpoint(env) };
    await invalidateCloudCdn(api, options.project, options.urlMap, { intervalMs: options.pollIntervalMs, timeoutMs: options.waitTimeoutMs }, say);
  }
  return result;
}
