import type { RemoteObject, SiteFile } from './site.js';

/** What the sync needs from a cloud's object store; one adapter per provider. */
export interface Bucket {
  /** e.g. s3://acme-web or gs://acme-web, for log lines. */
  url: string;
  list(): Promise<RemoteObject[]>;
  upload(file: SiteFile, headers: { contentType: string; cacheControl: string }): Promise<void>;
  /** Deletes these objects; the adapter batches them as its API allows. */
  remove(keys: readonly string[], concurrency: number): Promise<void>;
}
