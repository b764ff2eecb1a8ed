// An object as Cloud Storage describes it (the JSON API resource) and serves it (its bytes
// with the x-goog-* headers clients check).

import type { ServerResponse } from 'node:http';
import { crc32c } from './crc32c.js';

export interface GcsObject {
  name: string;
  content: Buffer;
  contentType: string | undefined;
  cacheControl: string | undefined;
  md5Hash: string;
  /** Microseconds since the epoch when it was written, as Cloud Storage numbers generations. */
  generation: number;
}

// Metadata is never patched here, so every object stays at its first metageneration.
const metageneration = 1;
export const live = (object: GcsObject | undefined) => object && { generation: object.generation, metageneration };
export const crc32cOf = (content: Buffer) => {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(content));
  return crc.toString('base64');
};
const writtenAt = (object: GcsObject) => new Date(Math.floor(object.generation / 1000));

export function resource(bucket: string, object: GcsObject): object {
  return {
    kind: 'storage#object', id: `${bucket}/${object.name}/${object.generation}`, name: object.name, bucket,
    generation: String(object.generation), metageneration: String(metageneration), contentType: object.contentType, cacheControl: object.cacheControl,
    size: String(object.content.length), md5Hash: object.md5Hash, crc32c: crc32cOf(object.content), storageClass: 'STANDARD',
    etag: `C${object.generation}`, timeCreated: writtenAt(object).toISOString(), updated: writtenAt(object).toISOString(),
  };
}

/** An object's bytes with the headers Cloud Storage sends them with (XML API read, or alt=media). */
export function media(res: ServerResponse, object: GcsObject, method: string): void {
  res.writeHead(200, {
    'content-type': object.contentType ?? 'application/octet-stream',
    'content-length': object.content.length,
    etag: `"${Buffer.from(object.md5Hash, 'base64').toString('hex')}"`,
    'last-modified': writtenAt(object).toUTCString(),
    'x-goog-generation': String(object.generation),
    'x-goog-metageneration': String(metageneration),
    'x-goog-stored-content-encoding': 'identity',
    'x-goog-stored-content-length': String(object.content.length),
    'x-goog-hash': [`crc32c=${crc32cOf(object.content)}`, `md5=${object.md5Hash}`],
    'x-goog-storage-class': 'STANDARD',
    ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}),
  });
  res.end(method === 'HEAD' ? undefined : object.content);
}
