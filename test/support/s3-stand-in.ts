// The S3 REST API subset (path-style) that @aws-sdk/client-s3 uses for a sync and that
// Terraform's s3 backend uses for remote state, with SigV4 checked.
//
// What Terraform 1.11.4's s3 backend (AWS SDK for Go v2, s3 1.75) sends, seen with TF_LOG=trace:
// - init/plan/apply list workspaces: GET ?list-type=2&max-keys=1000&prefix=env%3A%2F; the
//   state is read by HEAD (404 NoSuchKey: no state yet), then GET with Range: bytes=0-5242879
//   and x-amz-checksum-mode: ENABLED.
// - use_lockfile: the lock is PUT <key>.tflock with If-None-Match: * and the lock info as
//   JSON; a 412 PreconditionFailed means another run holds it, and terraform retries until
//   -lock-timeout. Unlock is GET <key>.tflock (its ID must be ours), then DELETE.
// - every PUT carries x-amz-server-side-encryption: AES256 (encrypt = true) and a SHA256
//   checksum: over http as an x-amz-checksum-sha256 header with the body's hex SHA-256 as
//   x-amz-content-sha256; over https as an aws-chunked body (x-amz-content-sha256:
//   STREAMING-UNSIGNED-PAYLOAD-TRAILER, x-amz-decoded-content-length, x-amz-trailer:
//   x-amz-checksum-sha256) whose last chunk is followed by the checksum trailer.
// Real S3 checks all of that, so this stand-in does too (s3-payload.ts): otherwise a lock
// that is never refused, or a lock file stored with its chunk framing, would pass here.

import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { send, startStandIn, type RecordedRequest, type StandIn } from './http-stand-in.js';
import { isProblem, readPayload, type S3Checksum } from './s3-payload.js';
import { verifySigV4, type AwsKey } from './sigv4.js';
import { xmlDocument, xmlEscape, xmlValues } from './xml.js';

export interface S3Object {
  body: Buffer;
  etag: string;
  contentType: string | undefined;
  cacheControl: string | undefined;
  lastModified: Date;
  /** The checksum it was written with, given back to a GET that asks (x-amz-checksum-mode). */
  checksum?: S3Checksum;
  encryption?: string;
}

/** An error the stand-in answered, for tests that must see a refusal (a taken lock) happen. */
export interface S3ErrorAnswer {
  method: string;
  bucket: string;
  key: string;
  status: number;
  code: string;
  /** Date.now() when it was answered. */
  at: number;
}

export interface S3StandIn extends StandIn {
  /** bucket name → key → object; tests may seed or inspect it. */
  buckets: Map<string, Map<string, S3Object>>;
  errors: S3ErrorAnswer[];
}

export interface S3StandInOptions {
  key: AwsKey;
  buckets: string[];
  /** Real S3 pages at 1000 keys; a smaller page lets a test cover paging with a few files. */
  pageSize?: number;
}

/** The error code of each error answer, read back when the answer is recorded. */
const errorCodes = new WeakMap<ServerResponse, string>();

function error(res: ServerResponse, status: number, code: string, message: string, extra = ''): void {
  errorCodes.set(res, code);
  send(res, status, 'application/xml', xmlDocument(`<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra}<RequestId>STANDIN</RequestId></Error>`));
}

export function s3Object(body: Buffer, contentType?: string, cacheControl?: string): S3Object {
  return { body, etag: createHash('md5').update(body).digest('hex'), contentType, cacheControl, lastModified: new Date() };
}

function list(res: ServerResponse, name: string, objects: Map<string, S3Object>, req: RecordedRequest, pageSize: number): void {
  const prefix = req.query.get('prefix') ?? '';
  const max = Math.min(Number(req.query.get('max-keys') ?? 1000), pageSize);
  const after = req.query.get('continuation-token') ?? req.query.get('start-after') ?? '';
  const keys = [...objects.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
  const page = keys.slice(0, max);
  const truncated = keys.length > page.length;
  const contents = page.map((key) => {
    const object = objects.get(key) as S3Object;
    return `<Contents><Key>${xmlEscape(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>&quot;${object.etag}&quot;</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  }).join('');
  const next = truncated ? `<NextContinuationToken>${xmlEscape(page.at(-1) ?? '')}</NextContinuationToken>` : '';
  send(res, 200, 'application/xml', xmlDocument(`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${name}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`));
}

function deleteMany(res: ServerResponse, objects: Map<string, S3Object>, req: RecordedRequest): void {
  if (!req.headers['content-md5'] && !Object.keys(req.headers).some((name) => name.startsWith('x-amz-checksum-')) && !req.headers['x-amz-trailer']) {
    return error(res, 400, 'InvalidRequest', 'Missing required header for this request: Content-MD5');
  }
  const payload = readPayload(req);
  if (isProblem(payload)) return error(res, payload.status, payload.code, payload.message);
  const xml = payload.body.toString('utf8');
  const keys = xmlValues(xml, 'Key');
  if (keys.length === 0 || keys.length > 1000) return error(res, 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  for (const key of keys) objects.delete(key);
  const quiet = xmlValues(xml, 'Quiet')[0] === 'true';
  const deleted = quiet ? '' : keys.map((key) => `<Deleted><Key>${xmlEscape(key)}</Key></Deleted>`).join('');
  send(res, 200, 'application/xml', xmlDocument(`<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${deleted}</DeleteResult>`));
}

const encryptions = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
const unquote = (etag: string) => etag.trim().replace(/^"(.*)"$/, '$1');

/**
 * PutObject, conditional as S3's is: If-None-Match: * only creates (Terraform's lock file
 * relies on it), If-Match only replaces the version it names; otherwise 412.
 */
function put(res: ServerResponse, objects: Map<string, S3Object>, key: string, req: RecordedRequest): void {
  if (req.headers['x-amz-copy-source']) return error(res, 501, 'NotImplemented', 'CopyObject is not implemented by this stand-in');
  const payload = readPayload(req);
  if (isProblem(payload)) return error(res, payload.status, payload.code, payload.message);
  const encryption = req.headers['x-amz-server-side-encryption'];
  if (typeof encryption === 'string' && !encryptions.has(encryption)) return error(res, 400, 'InvalidArgument', 'The encryption method specified is not supported', '<ArgumentName>x-amz-server-side-encryption</ArgumentName>');
  const existing = objects.get(key);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== '*') return error(res, 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', '<Header>If-None-Match</Header>');
    if (existing) return error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', '<Condition>If-None-Match</Condition>');
  }
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined) {
    if (!existing) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${xmlEscape(key)}</Key>`);
    if (ifMatch.trim() !== '*' && unquote(ifMatch) !== existing.etag) return error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', '<Condition>If-Match</Condition>');
  }
  const object: S3Object = {
    ...s3Object(payload.body, req.headers['content-type'], req.headers['cache-control']),
    ...(payload.checksum ? { checksum: payload.checksum } : {}),
    ...(typeof encryption === 'string' ? { encryption } : {}),
  };
  objects.set(key, object);
  send(res, 200, 'application/xml', '', { etag: `"${object.etag}"`, ...objectHeaders(object, true) });
}

function objectHeaders(object: S3Object, withChecksum: boolean): Record<string, string> {
  return {
    ...(object.encryption ? { 'x-amz-server-side-encryption': object.encryption } : {}),
    ...(withChecksum && object.checksum ? { [`x-amz-checksum-${object.checksum.algorithm}`]: object.checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' } : {}),
  };
}

/**
 * GetObject and HeadObject. Terraform reads the state through the SDK's download manager,
 * which asks for a Range (bytes=0-5242879): a part is 206 with its Content-Range, and S3
 * gives the whole object's checksum only with the whole object.
 */
function get(res: ServerResponse, object: S3Object, req: RecordedRequest): void {
  const size = object.body.length;
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
  let part: { start: number; end: number } | undefined;
  if (range && (range[1] || range[2])) {
    const [start, end] = range[1] ? [Number(range[1]), Math.min(Number(range[2] || size - 1), size - 1)] : [Math.max(size - Number(range[2]), 0), size - 1];
    if (start >= size || end < start) {
      return error(res, 416, 'InvalidRange', 'The requested range is not satisfiable', `<RangeRequested>${xmlEscape(String(req.headers.range))}</RangeRequested><ActualObjectSize>${size}</ActualObjectSize>`);
    }
    part = { start, end };
  }
  const body = part ? object.body.subarray(part.start, part.end + 1) : object.body;
  res.writeHead(part ? 206 : 200, {
    etag: `"${object.etag}"`, 'content-length': body.length, 'content-type': object.contentType ?? 'binary/octet-stream', 'accept-ranges': 'bytes',
    'last-modified': object.lastModified.toUTCString(), ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}),
    ...(part ? { 'content-range': `bytes ${part.start}-${part.end}/${size}` } : {}),
    ...objectHeaders(object, !part && req.headers['x-amz-checksum-mode'] === 'ENABLED'),
  });
  res.end(req.method === 'GET' ? body : undefined);
}

export async function startS3StandIn(options: S3StandInOptions): Promise<S3StandIn> {
  const buckets = new Map(options.buckets.map((name) => [name, new Map<string, S3Object>()]));
  const errors: S3ErrorAnswer[] = [];
  const handle = (req: RecordedRequest, res: ServerResponse, name: string, key: string): void => {
    const denied = verifySigV4(req, options.key, 's3', false);
    if (denied) return error(res, denied.status, denied.code, denied.message);
    const objects = buckets.get(name);
    if (!objects) return error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `<BucketName>${xmlEscape(name)}</BucketName>`);
    if (!key) {
      if (req.method === 'GET' && req.query.get('list-type') === '2') return list(res, name, objects, req, options.pageSize ?? 1000);
      if (req.method === 'POST' && req.query.has('delete')) return deleteMany(res, objects, req);
    } else if (req.method === 'PUT') {
      return put(res, objects, key, req);
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      const object = objects.get(key);
      if (!object) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${xmlEscape(key)}</Key>`);
      return get(res, object, req);
    } else if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      return void res.end();
    }
    return error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', `<Method>${req.method}</Method><ResourceType>${key ? 'OBJECT' : 'BUCKET'}</ResourceType>`);
  };
  const standIn = await startStandIn((req, res) => {
    const [, name = '', ...rest] = req.url.split('?')[0]?.split('/') ?? [];
    const key = decodeURIComponent(rest.join('/'));
    handle(req, res, name, key);
    const code = errorCodes.get(res);
    if (code) errors.push({ method: req.method, bucket: name, key, status: res.statusCode, code, at: Date.now() });
  });
  return { ...standIn, buckets, errors };
}
