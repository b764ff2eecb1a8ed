// Checks an AWS Signature Version 4 the way AWS does, for a known key pair.

import { createHash, createHmac } from 'node:crypto';
import type { RecordedRequest } from './http-stand-in.js';

export interface AwsKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SigV4Failure = { status: number; code: string; message: string };

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const escape = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(url: string): string {
  const raw = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  return raw.split('&').filter(Boolean).map((pair) => {
    const [key = '', value = ''] = pair.split(/=(.*)/s);
    return [escape(decodeURIComponent(key)), escape(decodeURIComponent(value))] as const;
  }).filter(([key]) => key !== 'X-Amz-Signature')
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`).join('&');
}

/** S3 signs the path as sent; every other service signs it encoded once more. */
export function verifySigV4(req: RecordedRequest, key: AwsKey, service: string, uriEscapePath: boolean): SigV4Failure | undefined {
  const header = req.headers.authorization;
  if (!header) return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(header);
  if (!match) return { status: 400, code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed.' };
  const [, accessKeyId, day = '', region = '', scopeService, signedHeaders = '', signature] = match;
  if (accessKeyId !== key.accessKeyId) return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (scopeService !== service) return { status: 400, code: 'AuthorizationHeaderMalformed', message: `Credential should be scoped to correct service: '${service}'.` };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const when = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!amzDate.startsWith(day) || !Number.isFinite(when)) return { status: 403, code: 'AccessDenied', message: 'AWS authentication requires a valid Date or x-amz-date header' };
  if (Math.abs(Date.now() - when) > 15 * 60_000) return { status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' };

  const declared = req.headers['x-amz-content-sha256'];
  const bodyHash = sha256(req.body);
  // An unsigned payload, or aws-chunked with a checksum trailer (checked by the service), signs no body hash.
  const unsigned = declared === 'UNSIGNED-PAYLOAD' || declared === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  if (typeof declared === 'string' && !unsigned && declared !== bodyHash) {
    return { status: 400, code: 'XAmzContentSHA256Mismatch', message: 'The provided \'x-amz-content-sha256\' header does not match what was computed.' };
  }
  const path = req.url.split('?')[0] ?? '/';
  const canonicalPath = uriEscapePath ? path.split('/').map(escape).join('/') : path;
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return { status: 403, code: 'AccessDenied', message: 'Host header must be signed' };
  const headers = names.map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, canonicalPath, canonicalQuery(req.url), headers, signedHeaders, typeof declared === 'string' ? declared : bodyHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${key.secretAccessKey}`, day), region), service), 'aws4_request');
  if (createHmac('sha256', signingKey).update(toSign).digest('hex') !== signature) {
    return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' };
  }
  return undefined;
}
