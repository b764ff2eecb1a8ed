// Pairs the built site with the bucket's objects into what to upload, delete and leave alone.

import { cacheControlFor, noCache } from './cache-rules.js';
import type { RemoteObject, SiteFile } from './site.js';

export interface SyncPlan {
  upload: SiteFile[];
  remove: string[];
  unchanged: number;
}

export function planSync(site: readonly SiteFile[], remote: readonly RemoteObject[]): SyncPlan {
  const remoteMd5 = new Map(remote.map((object) => [object.key, object.md5]));
  const upload: SiteFile[] = [];
  let unchanged = 0;
  for (const file of site) {
    // An object with no usable MD5 (multipart or KMS ETag) cannot be proven equal, so it is sent again.
    const md5 = remoteMd5.get(file.key);
    if (md5 !== undefined && md5 === file.md5.toString('hex')) unchanged++;
    else upload.push(file);
  }
  const keys = new Set(site.map((file) => file.key));
  const remove = remote.filter((object) => !keys.has(object.key)).map((object) => object.key).sort();
  upload.sort((a, b) => a.key.localeCompare(b.key));
  return { upload, remove, unchanged };
}

/**
 * Assets in a first phase, entry files (HTML, service worker, manifests) in a second, so that a
 * visitor who gets the new HTML mid-deploy finds every asset it names already in place.
 */
export function uploadPhases(files: readonly SiteFile[]): [assets: SiteFile[], entries: SiteFile[]] {
  const isEntry = (file: SiteFile) => cacheControlFor(file.key) === noCache;
  return [files.filter((file) => !isEntry(file)), files.filter(isEntry)];
}
