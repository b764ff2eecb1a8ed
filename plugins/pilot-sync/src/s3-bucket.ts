// The S3 adapter: list with ETags, put with Content-MD5, delete in batches of 1000.

import { readFile } from 'node:fs/promises';
import { DeleteObjectsCommand, PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { Bucket } from './bucket.js';
import { SyncError } from './errors.js';
import type { RemoteObject } from './site.js';

export function s3Client(region: string, env: NodeJS.ProcessEnv): S3Client {
  // The SDK reads AWS_ENDPOINT_URL_S3 itself; a stand-in or MinIO behind it has no per-bucket host names.
  const forcePathStyle = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  return new S3Client({ region, forcePathStyle });
}

// A single-part upload's ETag is the hex MD5; multipart and SSE-KMS ETags are not, and compare as unknown.
function md5FromEtag(etag: string | undefined): string | undefined {
  const value = etag?.replace(/"/g, '').toLowerCase();
  return value && /^[0-9a-f]{32}$/.test(value) ? value : undefined;
}

export function s3Bucket(client: S3Client, name: string): Bucket {
  return {
    url: `s3://${name}`,
    async list() {
      const objects: RemoteObject[] = [];
      for await (const page of paginateListObjectsV2({ client }, { Bucket: name })) {
        for (const item of page.Contents ?? []) {
          if (item.Key !== undefined) objects.push({ key: item.Key, md5: md5FromEtag(item.ETag) });
        }
      }
      return objects;
    },
    async upload(file, { contentType, cacheControl }) {
      const body = await readFile(file.path);
      await client.send(new PutObjectCommand({
        Bucket: name,
        Key: file.key,
        Body: body,
        ContentType: contentType,
        CacheControl: cacheControl,
        // S3 refuses the object if it arrives different from what was read.
        ContentMD5: file.md5.toString('base64'),
      }));
    },
    async remove(keys) {
      for (let start = 0; start < keys.length; start += 1000) {
        const batch = keys.slice(start, start + 1000);
        const result = await client.send(new DeleteObjectsCommand({
          Bucket: name,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }));
        const failed = result.Errors?.[0];
        if (failed) {
          throw new SyncError(`S3 refused to delete ${failed.Key}: ${failed.Code ?? 'error'}: ${failed.Message ?? ''} (${result.Errors?.length} objects not deleted)`);
        }
      }
    },
  };
}
