// The Cloud Storage JSON API subset of a sync: list (paged), upload (media, multipart, resumable),
// get and delete, with bearer tokens checked and md5Hash verified and kept.

import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { crc32c } from './crc32c.js';
import { googleError, requireBearer } from './google-errors.js';
import { parseContentRange, parseMedia, parseMultipart, type Upload, type UploadedMetadata } from './gcs-upload.js';
import { send, sendJson, startStandIn, type RecordedRequest, type StandIn } from './http-stand-in.js';

export interface GcsObject {
  name: string;
  content: Buffer;
  contentType: string | undefined;
  cacheControl: string | undefined;
  md5Hash: string;
  generation: number;
}

export interface GcsStandIn extends StandIn {
  /** bucket → object name → object; tests may seed or inspect it. */
  buckets: Map<string, Map<string, GcsObject>>;
}

export interface GcsStandInOptions {
  buckets: string[];
  isValidToken(token: string): boolean;
  /** Real Cloud Storage pages at 1000; smaller lets a test cover paging. */
  pageSize?: number;
}

function resource(bucket: string, object: GcsObject): object {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(object.content));
  return {
    kind: 'storage#object', id: `${bucket}/${object.name}/${object.generation}`, name: object.name, bucket,
    generation: String(object.generation), metageneration: '1', contentType: object.contentType, cacheControl: object.cacheControl,
    size: String(object.content.length), md5Hash: object.md5Hash, crc32c: crc.toString('base64'), storageClass: 'STANDARD',
    etag: `C${object.generation}`, timeCreated: new Date(object.generation).toISOString(), updated: new Date(object.generation).toISOString(),
  };
}

export async function startGcsStandIn(options: GcsStandInOptions): Promise<GcsStandIn> {
  const buckets = new Map(options.buckets.map((name) => [name, new Map<string, GcsObject>()]));
  const sessions = new Map<string, { bucket: string; metadata: UploadedMetadata; received: Buffer }>();
  let generation = Date.now() * 1000;

  function store(res: ServerResponse, bucket: string, { metadata, content }: Upload, name: string | undefined): void {
    if (!name) return googleError(res, 400, 'Required', 'required');
    const md5Hash = createHash('md5').update(content).digest('base64');
    if (metadata.md5Hash !== undefined && metadata.md5Hash !== md5Hash) {
      return googleError(res, 400, `Provided MD5 hash "${metadata.md5Hash}" doesn't match calculated MD5 hash "${md5Hash}".`, 'invalid');
    }
    const object = { name, content, contentType: metadata.contentType, cacheControl: metadata.cacheControl, md5Hash, generation: ++generation };
    buckets.get(bucket)?.set(name, object);
    sendJson(res, 200, resource(bucket, object));
  }

  function upload(req: RecordedRequest, res: ServerResponse, bucket: string): void {
    const type = req.query.get('uploadType');
    if (req.method === 'POST' && type === 'media') return store(res, bucket, parseMedia(req), req.query.get('name') ?? undefined);
    if (req.method === 'POST' && type === 'multipart') {
      const parsed = parseMultipart(req);
      if (typeof parsed === 'string') return googleError(res, 400, parsed, 'invalid');
      return store(res, bucket, parsed, parsed.metadata.name ?? req.query.get('name') ?? undefined);
    }
    if (req.method === 'POST' && type === 'resumable') {
      const metadata = (req.body.length ? JSON.parse(req.body.toString('utf8')) : {}) as UploadedMetadata;
      const id = randomBytes(12).toString('hex');
      sessions.set(id, { bucket, metadata: { name: req.query.get('name') ?? undefined, ...metadata }, received: Buffer.alloc(0) });
      return send(res, 200, 'text/plain', '', { location: `${standIn.url}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&upload_id=${id}` });
    }
    const session = sessions.get(req.query.get('upload_id') ?? '');
    if (req.method === 'PUT' && type === 'resumable' && session) {
      const range = parseContentRange(req.headers['content-range'], req.body.length);
      const incomplete = () => send(res, 308, 'text/plain', '', session.received.length ? { range: `bytes=0-${session.received.length - 1}` } : {});
      if (range?.kind === 'status') return incomplete();
      if (!range || range.first !== session.received.length) return googleError(res, 400, 'Invalid Content-Range', 'invalid');
      session.received = Buffer.concat([session.received, req.body]);
      if (range.total !== undefined && session.received.length > range.total) return googleError(res, 400, 'Upload is larger than its declared size', 'invalid');
      if (!range.final) return incomplete();
      sessions.delete(req.query.get('upload_id') ?? '');
      return store(res, bucket, { metadata: session.metadata, content: session.received }, session.metadata.name);
    }
    return googleError(res, 400, `Unsupported upload: ${req.method} uploadType=${type}`, 'invalid');
  }

  const standIn = await startStandIn((req, res) => {
    const match = /^\/(upload\/)?storage\/v1\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(req.path);
    if (!match) return send(res, 404, 'text/html', 'Not Found');
    const [, isUpload, bucket = '', encodedName] = match;
    // As on the real service, a resumable session URI is itself the credential for its chunks.
    const session = req.method === 'PUT' && sessions.has(req.query.get('upload_id') ?? '');
    if (!session && !requireBearer(req, res, options.isValidToken)) return;
    const objects = buckets.get(bucket);
    if (!objects) return googleError(res, 404, 'The specified bucket does not exist.', 'notFound');
    if (isUpload) return upload(req, res, bucket);
    const name = encodedName === undefined ? undefined : decodeURIComponent(encodedName);
    if (name === undefined && req.method === 'GET') {
      const prefix = req.query.get('prefix') ?? '';
      const max = Math.min(Number(req.query.get('maxResults') ?? 1000), options.pageSize ?? 1000);
      const after = req.query.get('pageToken') ?? '';
      const names = [...objects.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
      const page = names.slice(0, max).map((key) => resource(bucket, objects.get(key) as GcsObject));
      const nextPageToken = names.length > max ? names[max - 1] : undefined;
      return sendJson(res, 200, { kind: 'storage#objects', ...(page.length ? { items: page } : {}), ...(nextPageToken ? { nextPageToken } : {}) });
    }
    const object = name === undefined ? undefined : objects.get(name);
    if (name !== undefined && !object && (req.method === 'GET' || req.method === 'DELETE')) return googleError(res, 404, `No such object: ${bucket}/${name}`, 'notFound');
    if (object && req.method === 'GET') return sendJson(res, 200, resource(bucket, object));
    if (object && req.method === 'DELETE') {
      objects.delete(object.name);
      res.writeHead(204);
      return void res.end();
    }
    return googleError(res, 405, `Method ${req.method} is not allowed`, 'httpMethodNotAllowed');
  });
  return { ...standIn, buckets };
}
