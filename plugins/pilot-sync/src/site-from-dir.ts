// Reads a built site from a folder: every regular file, keyed by its "/"-separated path.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SyncError } from './errors.js';
import type { SiteFile } from './site.js';

async function md5Of(path: string): Promise<Buffer> {
  const hash = createHash('md5');
  await pipeline(createReadStream(path), hash);
  return hash.digest();
}

export interface SiteListing {
  files: SiteFile[];
  /** Symlinks, sockets and the like: never followed, since a link could point anywhere on the runner. */
  skipped: string[];
}

export async function readSiteDir(root: string): Promise<SiteListing> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new SyncError(`${root} is not a folder`);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: SiteFile[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    const key = relative(root, path).split(sep).join('/');
    if (!entry.isFile()) {
      skipped.push(key);
      continue;
    }
    const { size } = await stat(path);
    files.push({ key, path, size, md5: await md5Of(path) });
  }
  files.sort((a, b) => a.key.localeCompare(b.key));
  return { files, skipped: skipped.sort() };
}
