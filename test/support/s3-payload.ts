// The body of an S3 write as S3 reads it: aws-chunked framing undone, and every digest
// sent with it (Content-MD5, one x-amz-checksum-* as a header or a trailer) checked.

import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32c } from './crc32c.js';
import { crc64nvme } from './crc64nvme.js';
import type { RecordedRequest } from './http-stand-in.js';

export interface S3Checksum {
  /** crc32, crc32c, crc64nvme, sha1 or sha256: the x-amz-checksum-<algorithm> name. */
  algorithm: string;
  /** Base64, as sent. */
  value: string;
}

export interface S3Payload {
  body: Buffer;
  checksum?: S3Checksum;
}

export interface S3Problem {
  status: number;
  code: string;
  message: string;
}

/** The SDKs send this (over TLS) instead of a body hash: the body is aws-chunked and a trailer carries its checksum. */
export const unsignedTrailer = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

const algorithms: Record<string, { name: string; digest(body: Buffer): Buffer }> = {
  crc32: { name: 'CRC32', digest: (body) => uint32(crc32(body)) },
  crc32c: { name: 'CRC32C', digest: (body) => uint32(crc32c(body)) },
  crc64nvme: { name: 'CRC64NVME', digest: crc64nvme },
  sha1: { name: 'SHA1', digest: (body) => createHash('sha1').update(body).digest() },
  sha256: { name: 'SHA256', digest: (body) => createHash('sha256').update(body).digest() },
};

/** x-amz-checksum-* headers that are not a checksum of the body. */
const notChecksums = new Set(['mode', 'type', 'algorithm']);

const problem = (status: number, code: string, message: string): S3Problem => ({ status, code, message });

export function isProblem(value: S3Payload | S3Problem): value is S3Problem {
  return 'code' in value;
}

export function readPayload(req: RecordedRequest): S3Payload | S3Problem {
  const declared = req.headers['x-amz-content-sha256'];
  if (typeof declared === 'string' && declared.startsWith('STREAMING-') && declared !== unsignedTrailer) {
    // Signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD...) would need every chunk signature checked.
    return problem(501, 'NotImplemented', `x-amz-content-sha256 ${declared} is not implemented by this stand-in`);
  }
  let body = req.body;
  let trailers: Record<string, string> = {};
  if (declared === unsignedTrailer) {
    const decoded = decodeChunked(req);
    if (isProblem(decoded)) return decoded;
    ({ body, trailers } = decoded);
  }
  return checkDigests(req, body, trailers);
}

/** `<hex size>\r\n<bytes>\r\n` ... `0\r\n`, then `name:value\r\n` trailers and an empty line. */
function decodeChunked(req: RecordedRequest): { body: Buffer; trailers: Record<string, string> } | S3Problem {
  const raw = req.body;
  const encodings = String(req.headers['content-encoding'] ?? '').split(',').map((e) => e.trim());
  if (!encodings.includes('aws-chunked')) return problem(400, 'InvalidArgument', `x-amz-content-sha256 ${unsignedTrailer} needs Content-Encoding: aws-chunked`);
  const decodedLength = Number(req.headers['x-amz-decoded-content-length']);
  if (req.headers['x-amz-decoded-content-length'] === undefined || !Number.isInteger(decodedLength)) {
    return problem(411, 'MissingContentLength', 'You must provide the x-amz-decoded-content-length header with an aws-chunked body.');
  }
  const malformed = (why: string) => problem(400, 'InvalidChunkSizeError', `The aws-chunked body is malformed: ${why}.`);
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return malformed(`no chunk header at byte ${at}`);
    const size = raw.subarray(at, eol).toString('latin1');
    // Unsigned chunks carry no extensions (a signed one would add ;chunk-signature=...).
    if (!/^[0-9a-f]+$/i.test(size)) return malformed(`chunk size ${JSON.stringify(size)} is not hexadecimal`);
    const length = parseInt(size, 16);
    at = eol + 2;
    if (length === 0) break;
    if (raw.length < at + length + 2 || raw.subarray(at + length, at + length + 2).toString('latin1') !== '\r\n') return malformed(`chunk of ${length} bytes at byte ${at} is cut short`);
    parts.push(raw.subarray(at, at + length));
    at += length + 2;
  }
  const trailers: Record<string, string> = {};
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return malformed('the trailers do not end with an empty line');
    const line = raw.subarray(at, eol).toString('latin1');
    at = eol + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) return malformed(`trailer ${JSON.stringify(line)} has no name`);
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (at !== raw.length) return malformed(`${raw.length - at} bytes follow the trailers`);
  const body = Buffer.concat(parts);
  if (body.length !== decodedLength) {
    return problem(400, 'IncompleteBody', `The aws-chunked body holds ${body.length} bytes; x-amz-decoded-content-length says ${decodedLength}.`);
  }
  const announced = String(req.headers['x-amz-trailer'] ?? '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean).sort();
  const sent = Object.keys(trailers).sort();
  if (announced.join() !== sent.join()) {
    return problem(400, 'MalformedTrailerError', `The trailers sent (${sent.join(', ') || 'none'}) are not the ones x-amz-trailer announced (${announced.join(', ') || 'none'}).`);
  }
  return { body, trailers };
}

function checkDigests(req: RecordedRequest, body: Buffer, trailers: Record<string, string>): S3Payload | S3Problem {
  const md5 = req.headers['content-md5'];
  if (typeof md5 === 'string' && md5 !== createHash('md5').update(body).digest('base64')) {
    return problem(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  const sent = [...Object.entries(req.headers), ...Object.entries(trailers)]
    .filter(([name]) => name.startsWith('x-amz-checksum-') && !notChecksums.has(name.slice('x-amz-checksum-'.length)))
    .map(([name, value]) => ({ algorithm: name.slice('x-amz-checksum-'.length), value: String(value) }));
  if (sent.length > 1) return problem(400, 'InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const named = req.headers['x-amz-sdk-checksum-algorithm'];
  if (typeof named === 'string' && sent.length === 0) {
    return problem(400, 'InvalidRequest', 'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
  }
  const checksum = sent[0];
  if (!checksum) return { body };
  const algorithm = algorithms[checksum.algorithm];
  if (!algorithm) return problem(400, 'InvalidRequest', `x-amz-checksum-${checksum.algorithm} is not a checksum S3 knows.`);
  if (typeof named === 'string' && named.toLowerCase() !== checksum.algorithm) {
    return problem(400, 'InvalidRequest', `x-amz-sdk-checksum-algorithm ${named} does not name the checksum sent (${algorithm.name}).`);
  }
  if (algorithm.digest(body).toString('base64') !== checksum.value) {
    return problem(400, 'BadDigest', `The ${algorithm.name} you specified did not match the calculated checksum.`);
  }
  return { body, checksum };
}
