// Brings a bucket to the site: upload what is new or changed, then delete what the site no longer has.

import type { Bucket } from './bucket.js';
import { cacheControlFor } from './cache-rules.js';
import { contentTypeFor } from './content-type.js';
import { step, SyncError } from './errors.js';
import { plural, type Say } from './log.js';
import { mapLimit } from './map-limit.js';
import type { SiteFile } from './site.js';
import { planSync, uploadPhases } from './sync-plan.js';

export interface SyncResult {
  uploaded: number;
  deleted: number;
  unchanged: number;
}

export async function syncSite(files: readonly SiteFile[], bucket: Bucket, concurrency: number, say: Say): Promise<SyncResult> {
  // An empty build would delete the whole live site; that is never what a deploy means.
  if (files.length === 0) throw new SyncError(`the site has no files; refusing to empty ${bucket.url}`);
  const remote = await step(`listing ${bucket.url}`, () => bucket.list());
  const plan = planSync(files, remote);
  say(`${plural(files.length, 'file')} in the site; ${plan.upload.length} to upload, ${plan.remove.length} to delete, ${plan.unchanged} unchanged`);

  let done = 0;
  const every = Math.max(1, Math.ceil(plan.upload.length / 10));
  for (const phase of uploadPhases(plan.upload)) {
    await mapLimit(phase, concurrency, (file) =>
      step(`uploading ${file.key} to ${bucket.url}`, async () => {
        await bucket.upload(file, { contentType: contentTypeFor(file.key), cacheControl: cacheControlFor(file.key) });
        done++;
        if (done % every === 0 || done === plan.upload.length) say(`uploaded ${done}/${plan.upload.length}`);
      }),
    );
  }

  // Deleted only after every upload succeeded, so a failed deploy leaves the old site whole.
  if (plan.remove.length > 0) {
    await step(`deleting stale objects from ${bucket.url}`, () => bucket.remove(plan.remove, concurrency));
    say(`deleted ${plural(plan.remove.length, 'stale object')}`);
  }
  return { uploaded: plan.upload.length, deleted: plan.remove.length, unchanged: plan.unchanged };
}
