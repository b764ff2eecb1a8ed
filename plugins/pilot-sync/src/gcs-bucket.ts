// The Cloud Storage adapter: list with md5Hash, single-request uploads checked by MD5, deletes one by one.

import { readFile } from 'node:fs/promises';
import { Storage } from '@google-cloud/storage';
import type { GoogleAuth } from 'google-auth-library';
import type { Bucket } from './bucket.js';
import { mapLimit } from './map-limit.js';
import type { RemoteObject } from './site.js';

export function gcsStorage(project: string, auth: GoogleAuth, env: NodeJS.ProcessEnv): Storage {
  const emulator = env.STORAGE_EMULATOR_HOST;
  // The SDK's own reading of STORAGE_EMULATOR_HOST sends JSON calls and uploads to different paths
  // than the real service; passing it as apiEndpoint keeps both on the real paths (and authenticated).
  delete process.env.STORAGE_EMULATOR_HOST;
  return new Storage({
    projectId: project,
    authClient: auth,
    ...(emulator ? { apiEndpoint: emulator.replace(/\/+$/, ''), useAuthWithCustomEndpoint: true } : {}),
  });
}

function md5Hex(md5Hash: unknown): string | undefined {
  return typeof md5Hash === 'string' && md5Hash ? Buffer.from(md5Hash, 'base64').toString('hex') : undefined;
}

export function gcsBucket(storage: Storage, name: string): Bucket {
  const bucket = storage.bucket(name);
  return {
    url: `gs://${name}`,
    async list() {
      const [files] = await bucket.getFiles({ autoPaginate: true });
      return files.map((file): RemoteObject => ({ key: file.name, md5: md5Hex(file.metadata.md5Hash) }));
    },
    async upload(file, { contentType, cacheControl }) {
      const body = await readFile(file.path);
      await bucket.file(file.key).save(body, {
        resumable: false,
        validation: 'md5',
        // Sending the MD5 makes the service itself refuse a corrupted upload.
        metadata: { contentType, cacheControl, md5Hash: file.md5.toString('base64') },
      });
    },
    async remove(keys, concurrency) {
      await mapLimit(keys, concurrency, async (key) => {
        await bucket.file(key).delete({ ignoreNotFound: true });
      });
    },
  };
}
