// The Cloud Storage subset that a sync and Terraform's gcs backend use: the JSON API's
// list (paged, with a delimiter), uploads (media, multipart, resumable), get (metadata or
// alt=media) and delete; the XML API's object read; bearer tokens checked, md5Hash and
// crc32c verified when sent, and generation preconditions kept as Cloud Storage keeps them.
//
// What Terraform 1.11.4's gcs backend (cloud.google.com/go/storage 1.30.1) sends, seen
// with TF_LOG=trace and storage_custom_endpoint https://127.0.0.1:PORT/storage/v1/:
// - the endpoint must end in "/": JSON API paths are resolved against it, so without the
//   slash "…/storage/v1" becomes "/storage/b/<bucket>/o" and init fails ("bucket doesn't exist").
// - workspaces: GET /storage/v1/b/<bucket>/o?prefix=<prefix>/&delimiter=/ (also
//   includeTrailingDelimiter=false, projection=full, versions=false, empty startOffset,
//   endOffset and pageToken); each <name>.tfstate directly under the prefix is a workspace.
// - objects are read through the XML API at the endpoint's host, whatever its path:
//   GET /<bucket>/<prefix>/default.tfstate, no Range (404: no state yet), then the JSON
//   metadata GET /storage/v1/b/<bucket>/o/<name>. The Go client checks the crc32c in
//   x-goog-hash against what it read ("storage: bad CRC on read" otherwise).
// - every write is one multipart/related POST /upload/storage/v1/b/<bucket>/o?uploadType=
//   multipart&name=<object> (chunked transfer encoding): a JSON part {"bucket","name"}, no
//   hashes, then the content as text/plain; charset=utf-8.
// - lock: the lock info JSON written to <prefix>/default.tflock with ifGenerationMatch=0;
//   the generation in the answer is the lock's ID. Refused (412), terraform reads the lock
//   object (both reads above) to name the holder and retries until -lock-timeout; but the
//   init that writes a workspace's first, empty state tries once and fails. Unlock is DELETE
//   /storage/v1/b/<bucket>/o/<prefix>%2Fdefault.tflock?ifGenerationMatch=<that generation>.
// - Authorization: Bearer <access_token or GOOGLE_OAUTH_ACCESS_TOKEN> on every request;
//   the stand-in's certificate is trusted through SSL_CERT_FILE (Go on Linux).

import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { listPage, listQuery } from './gcs-listing.js';
import { crc32cOf, live, media, resource, type GcsObject } from './gcs-object.js';
import { jsonConditions, refusal, xmlConditions, type Conditions } from './gcs-preconditions.js';
import { parseContentRange, parseMedia, parseMultipart, type Upload, type UploadedMetadata } from './gcs-upload.js';
import { googleError, requireBearer } from './google-errors.js';
import { send, sendJson, startStandIn, type RecordedRequest, type StandIn } from './http-stand-in.js';
import { xmlDocument, xmlEscape } from './xml.js';

export type { GcsObject } from './gcs-object.js';

/** An error the stand-in answered, for tests that must see a refusal (a taken lock) happen. */
export interface GcsErrorAnswer {
  method: string;
  bucket: string;
  /** The object the request was about, when it named one. */
  name: string | undefined;
  status: number;
  /** The JSON API's errors[].reason or the XML API's Code, e.g. conditionNotMet. */
  reason: string;
  /** Date.now() when it was answered. */
  at: number;
}

export interface GcsStandIn extends StandIn {
  /** bucket → object name → object; tests may seed or inspect it. */
  buckets: Map<string, Map<string, GcsObject>>;
  errors: GcsErrorAnswer[];
}

export interface GcsStandInOptions {
  buckets: string[];
  isValidToken(token: string): boolean;
  /** Real Cloud Storage pages at 1000; smaller lets a test cover paging. */
  pageSize?: number;
}

interface Session {
  bucket: string;
  metadata: UploadedMetadata;
  conditions: Conditions;
  received: Buffer;
}

export async function startGcsStandIn(options: GcsStandInOptions): Promise<GcsStandIn> {
  const buckets = new Map(options.buckets.map((name) => [name, new Map<string, GcsObject>()]));
  const sessions = new Map<string, Session>();
  const errors: GcsErrorAnswer[] = [];
  // What each error answer was about, read back when it is recorded.
  const reasons = new WeakMap<ServerResponse, string>();
  const named = new WeakMap<ServerResponse, string>();
  let generation = Date.now() * 1000;

  function fail(res: ServerResponse, status: number, message: string, reason: string): void {
    reasons.set(res, reason);
    googleError(res, status, message, reason);
  }

  function xmlFail(res: ServerResponse, status: number, code: string, message: string, details?: string): void {
    reasons.set(res, code);
    const more = details ? `<Details>${xmlEscape(details)}</Details>` : '';
    send(res, status, 'application/xml; charset=UTF-8', xmlDocument(`<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${more}</Error>`));
  }

  function store(res: ServerResponse, bucket: string, { metadata, content }: Upload, name: string | undefined, conditions: Conditions): void {
    if (!name) return fail(res, 400, 'Required', 'required');
    named.set(res, name);
    const md5Hash = createHash('md5').update(content).digest('base64');
    if (metadata.md5Hash !== undefined && metadata.md5Hash !== md5Hash) {
      return fail(res, 400, `Provided MD5 hash "${metadata.md5Hash}" doesn't match calculated MD5 hash "${md5Hash}".`, 'invalid');
    }
    const sentCrc = (metadata as { crc32c?: string }).crc32c;
    if (sentCrc !== undefined && sentCrc !== crc32cOf(content)) {
      return fail(res, 400, `Provided CRC32C "${sentCrc}" doesn't match calculated CRC32C "${crc32cOf(content)}".`, 'invalid');
    }
    const objects = buckets.get(bucket) as Map<string, GcsObject>;
    const refused = refusal(conditions, live(objects.get(name)));
    if (refused) return fail(res, refused.status, refused.message, refused.reason);
    const object = { name, content, contentType: metadata.contentType, cacheControl: metadata.cacheControl, md5Hash, generation: ++generation };
    objects.set(name, object);
    sendJson(res, 200, resource(bucket, object));
  }

  function upload(req: RecordedRequest, res: ServerResponse, bucket: string): void {
    const type = req.query.get('uploadType');
    const conditions = jsonConditions(req.query);
    if (req.method === 'POST' && type === 'media') return store(res, bucket, parseMedia(req), req.query.get('name') ?? undefined, conditions);
    if (req.method === 'POST' && type === 'multipart') {
      const parsed = parseMultipart(req);
      if (typeof parsed === 'string') return fail(res, 400, parsed, 'invalid');
      return store(res, bucket, parsed, parsed.metadata.name ?? req.query.get('name') ?? undefined, conditions);
    }
    if (req.method === 'POST' && type === 'resumable') {
      const metadata = (req.body.length ? JSON.parse(req.body.toString('utf8')) : {}) as UploadedMetadata;
      const id = randomBytes(12).toString('hex');
      // Preconditions given when the session starts hold for the object it finally writes.
      sessions.set(id, { bucket, metadata: { name: req.query.get('name') ?? undefined, ...metadata }, conditions, received: Buffer.alloc(0) });
      return send(res, 200, 'text/plain', '', { location: `${standIn.url}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&upload_id=${id}` });
    }
    const session = sessions.get(req.query.get('upload_id') ?? '');
    if (req.method === 'PUT' && type === 'resumable' && session) {
      const range = parseContentRange(req.headers['content-range'], req.body.length);
      const incomplete = () => send(res, 308, 'text/plain', '', session.received.length ? { range: `bytes=0-${session.received.length - 1}` } : {});
      if (range?.kind === 'status') return incomplete();
      if (!range || range.first !== session.received.length) return fail(res, 400, 'Invalid Content-Range', 'invalid');
      session.received = Buffer.concat([session.received, req.body]);
      if (range.total !== undefined && session.received.length > range.total) return fail(res, 400, 'Upload is larger than its declared size', 'invalid');
      if (!range.final) return incomplete();
      sessions.delete(req.query.get('upload_id') ?? '');
      return store(res, bucket, { metadata: session.metadata, content: session.received }, session.metadata.name, session.conditions);
    }
    return fail(res, 400, `Unsupported upload: ${req.method} uploadType=${type}`, 'invalid');
  }

  function jsonApi(req: RecordedRequest, res: ServerResponse, bucket: string, isUpload: boolean, encodedName: string | undefined): void {
    // As on the real service, a resumable session URI is itself the credential for its chunks.
    const session = req.method === 'PUT' && sessions.has(req.query.get('upload_id') ?? '');
    if (!session && !requireBearer(req, res, options.isValidToken)) return;
    const objects = buckets.get(bucket);
    if (!objects) return fail(res, 404, 'The specified bucket does not exist.', 'notFound');
    if (isUpload) return upload(req, res, bucket);
    if (encodedName === undefined) {
      if (req.method !== 'GET') return fail(res, 405, `Method ${req.method} is not allowed`, 'httpMethodNotAllowed');
      const page = listPage(objects.keys(), listQuery(req.query, options.pageSize ?? 1000));
      return sendJson(res, 200, {
        kind: 'storage#objects',
        ...(page.prefixes.length ? { prefixes: page.prefixes } : {}),
        ...(page.items.length ? { items: page.items.map((key) => resource(bucket, objects.get(key) as GcsObject)) } : {}),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      });
    }
    const name = decodeURIComponent(encodedName);
    named.set(res, name);
    if (req.method !== 'GET' && req.method !== 'DELETE') return fail(res, 405, `Method ${req.method} is not allowed`, 'httpMethodNotAllowed');
    const object = objects.get(name);
    if (!object) return fail(res, 404, `No such object: ${bucket}/${name}`, 'notFound');
    const refused = refusal(jsonConditions(req.query), live(object));
    if (refused) return fail(res, refused.status, refused.message, refused.reason);
    if (req.method === 'DELETE') {
      objects.delete(name);
      res.writeHead(204);
      return void res.end();
    }
    if (req.query.get('alt') === 'media') return media(res, object, req.method);
    sendJson(res, 200, resource(bucket, object));
  }

  /** https://<host>/<bucket>/<object>: only the object reads terraform's client makes. */
  function xmlApi(req: RecordedRequest, res: ServerResponse): void {
    const [, bucket = '', ...rest] = req.path.split('/');
    const name = decodeURIComponent(rest.join('/'));
    if (!name || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return xmlFail(res, 501, 'NotImplemented', `The stand-in's XML API only reads objects, not ${req.method} ${req.path}`);
    }
    named.set(res, name);
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) return xmlFail(res, 403, 'AccessDenied', 'Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object.');
    if (!options.isValidToken(token)) return xmlFail(res, 401, 'AuthenticationRequired', 'Invalid Credentials');
    const object = buckets.get(bucket)?.get(name);
    if (!buckets.has(bucket)) return xmlFail(res, 404, 'NoSuchBucket', 'The specified bucket does not exist.');
    if (!object) return xmlFail(res, 404, 'NoSuchKey', 'The specified key does not exist.', `No such object: ${bucket}/${name}`);
    if (refusal(xmlConditions(req.headers), live(object))) return xmlFail(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.');
    // Never sent by terraform; answering the whole object to a range request would corrupt a reader.
    if (req.headers.range !== undefined) return xmlFail(res, 501, 'NotImplemented', 'The stand-in does not serve ranges');
    media(res, object, req.method);
  }

  const standIn = await startStandIn((req, res) => {
    const json = /^\/(upload\/)?storage\/v1\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(req.path);
    if (json) jsonApi(req, res, json[2] ?? '', Boolean(json[1]), json[3]);
    else if (/^\/(upload|storage)(\/|$)/.test(req.path)) send(res, 404, 'text/html', 'Not Found');
    else xmlApi(req, res);
    if (res.statusCode >= 400) {
      const bucket = json?.[2] ?? req.path.split('/')[1] ?? '';
      const name = named.get(res) ?? req.query.get('name') ?? undefined;
      errors.push({ method: req.method, bucket, name, status: res.statusCode, reason: reasons.get(res) ?? String(res.statusCode), at: Date.now() });
    }
  });
  return { ...standIn, buckets, errors };
}
