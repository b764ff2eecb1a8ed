// The S3 REST API subset that @aws-sdk/client-s3 uses for a sync (path-style), with SigV4 checked.

import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { send, startStandIn, type RecordedRequest, type StandIn } from './http-stand-in.js';
import { verifySigV4, type AwsKey } from './sigv4.js';
import { xmlDocument, xmlEscape, xmlValues } from './xml.js';

export interface S3Object {
  body: Buffer;
  etag: string;
  contentType: string | undefined;
  cacheControl: string | undefined;
  lastModified: Date;
}

export interface S3StandIn extends StandIn {
  /** bucket name → key → object; tests may seed or inspect it. */
  buckets: Map<string, Map<string, S3Object>>;
}

export interface S3StandInOptions {
  key: AwsKey;
  buckets: string[];
  /** Real S3 pages at 1000 keys; a smaller page lets a test cover paging with a few files. */
  pageSize?: number;
}

function error(res: ServerResponse, status: number, code: string, message: string, extra = ''): void {
  send(res, status, 'application/xml', xmlDocument(`<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra}<RequestId>STANDIN</RequestId></Error>`));
}

export function s3Object(body: Buffer, contentType?: string, cacheControl?: string): S3Object {
  return { body, etag: createHash('md5').update(body).digest('hex'), contentType, cacheControl, lastModified: new Date() };
}

// S3 refuses a body that does not match a digest sent with it.
function digestProblem(req: RecordedRequest): string | undefined {
  const md5 = req.headers['content-md5'];
  if (typeof md5 === 'string' && md5 !== createHash('md5').update(req.body).digest('base64')) return 'The Content-MD5 you specified did not match what we received.';
  const crc = req.headers['x-amz-checksum-crc32'];
  if (typeof crc === 'string') {
    const actual = Buffer.alloc(4);
    actual.writeUInt32BE(crc32(req.body));
    if (crc !== actual.toString('base64')) return 'The CRC32 you specified did not match the calculated checksum.';
  }
  return undefined;
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
  if (!req.headers['content-md5'] && !Object.keys(req.headers).some((name) => name.startsWith('x-amz-checksum-'))) {
    return error(res, 400, 'InvalidRequest', 'Missing required header for this request: Content-MD5');
  }
  const problem = digestProblem(req);
  if (problem) return error(res, 400, 'BadDigest', problem);
  const xml = req.body.toString('utf8');
  const keys = xmlValues(xml, 'Key');
  if (keys.length === 0 || keys.length > 1000) return error(res, 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  for (const key of keys) objects.delete(key);
  const quiet = xmlValues(xml, 'Quiet')[0] === 'true';
  const deleted = quiet ? '' : keys.map((key) => `<Deleted><Key>${xmlEscape(key)}</Key></Deleted>`).join('');
  send(res, 200, 'application/xml', xmlDocument(`<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${deleted}</DeleteResult>`));
}

export async function startS3StandIn(options: S3StandInOptions): Promise<S3StandIn> {
  const buckets = new Map(options.buckets.map((name) => [name, new Map<string, S3Object>()]));
  const standIn = await startStandIn((req, res) => {
    const denied = verifySigV4(req, options.key, 's3', false);
    if (denied) return error(res, denied.status, denied.code, denied.message);
    const [, name = '', ...rest] = req.url.split('?')[0]?.split('/') ?? [];
    const key = decodeURIComponent(rest.join('/'));
    const objects = buckets.get(name);
    if (!objects) return error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `<BucketName>${xmlEscape(name)}</BucketName>`);
    if (!key) {
      if (req.method === 'GET' && req.query.get('list-type') === '2') return list(res, name, objects, req, options.pageSize ?? 1000);
      if (req.method === 'POST' && req.query.has('delete')) return deleteMany(res, objects, req);
    } else if (req.method === 'PUT') {
      if (req.headers['x-amz-copy-source']) return error(res, 501, 'NotImplemented', 'CopyObject is not implemented by this stand-in');
      const problem = digestProblem(req);
      if (problem) return error(res, 400, 'BadDigest', problem);
      const object = s3Object(req.body, req.headers['content-type'], req.headers['cache-control']);
      objects.set(key, object);
      return send(res, 200, 'application/xml', '', { etag: `"${object.etag}"` });
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      const object = objects.get(key);
      if (!object) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${xmlEscape(key)}</Key>`);
      res.writeHead(200, { etag: `"${object.etag}"`, 'content-length': object.body.length, 'content-type': object.contentType ?? 'binary/octet-stream', ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}) });
      return void res.end(req.method === 'GET' ? object.body : undefined);
    } else if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      return void res.end();
    }
    return error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', `<Method>${req.method}</Method><ResourceType>${key ? 'OBJECT' : 'BUCKET'}</ResourceType>`);
  });
  return { ...standIn, buckets };
}
