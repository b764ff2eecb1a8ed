// Reads one manifest file from disk: a regular file only (a FIFO would block the read
// forever, a device would never end), and never more than the size limit.

import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { limits } from './limits.js';

export type ManifestRead =
  | { kind: 'read'; content: string }
  | { kind: 'not-regular'; what: string }
  | { kind: 'too-large'; bytes: number };

const chunkBytes = 64 * 1024;

/** "a FIFO (named pipe)", for messages about what a path is instead of a file. */
export function describeFileType(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  return 'a special file';
}

/**
 * Follows a symlink (callers decide which ones to allow) and checks the type and size
 * before opening. The open is non-blocking and the type checked again on the open file,
 * so a file swapped for a FIFO in between cannot block it either. Fs errors are thrown.
 */
export async function readManifestFile(file: string, options: { listedAsFile?: boolean } = {}): Promise<ManifestRead> {
  // A folder listing that said "regular file" stands for the first check (the open file is checked again).
  const checked = options.listedAsFile ? undefined : check(await stat(file));
  if (checked) return checked;
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    const changed = check(info);
    if (changed) return changed;
    // At most one byte past the limit: a file that grew since the stat is caught too.
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= limits.fileBytes) {
      // The first read asks for one byte more than the file has, so a short read is the end.
      const wanted = total === 0 ? info.size + 1 : chunkBytes;
      const chunk = Buffer.alloc(Math.min(wanted, limits.fileBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      // A regular file reads short only at its end.
      if (bytesRead < chunk.length) break;
    }
    if (total > limits.fileBytes) return { kind: 'too-large', bytes: Math.max(total, info.size) };
    return { kind: 'read', content: Buffer.concat(chunks, total).toString('utf8') };
  } finally {
    await handle.close();
  }
}

function check(info: Stats): ManifestRead | undefined {
  if (!info.isFile()) return { kind: 'not-regular', what: describeFileType(info) };
  if (info.size > limits.fileBytes) return { kind: 'too-large', bytes: info.size };
  return undefined;
}
