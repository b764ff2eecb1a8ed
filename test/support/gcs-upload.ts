// Reads the three upload protocols of the Cloud Storage JSON API into (metadata, content).

import type { RecordedRequest } from './http-stand-in.js';

export interface UploadedMetadata {
  name?: string;
  contentType?: string;
  cacheControl?: string;
  md5Hash?: string;
}

export interface Upload {
  metadata: UploadedMetadata;
  content: Buffer;
}

/** multipart/related: a JSON part with the metadata, then the content part. */
export function parseMultipart(req: RecordedRequest): Upload | string {
  const boundary = /boundary="?([^";]+)"?/.exec(String(req.headers['content-type'] ?? ''))?.[1];
  if (!boundary) return 'multipart upload without a boundary';
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = req.body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (req.body.subarray(start, start + 2).toString() === '--') break;
    const next = req.body.indexOf(delimiter, start);
    if (next === -1) return 'multipart upload without a closing boundary';
    parts.push(req.body.subarray(start + 2, next - 2));
    at = next;
  }
  if (parts.length !== 2) return `multipart upload has ${parts.length} parts, not 2`;
  const [meta, data] = parts.map((part) => {
    const split = part.indexOf('\r\n\r\n');
    return { headers: part.subarray(0, split).toString().toLowerCase(), body: part.subarray(split + 4) };
  });
  if (!meta || !data || !meta.headers.includes('application/json')) return 'the first multipart part must be application/json metadata';
  try {
    const metadata = JSON.parse(meta.body.toString('utf8')) as UploadedMetadata;
    const partType = /content-type:\s*([^\r\n]+)/.exec(data.headers)?.[1];
    return { metadata: { contentType: partType, ...metadata }, content: data.body };
  } catch {
    return 'the metadata part is not JSON';
  }
}

/** uploadType=media: the body is the content, the Content-Type header its type. */
export function parseMedia(req: RecordedRequest): Upload {
  return { metadata: { contentType: req.headers['content-type'] }, content: req.body };
}

// The Content-Range of a resumable PUT: "bytes *" + "/*" asks how much has arrived; "bytes 0-9/10"
// is a chunk; "bytes 0-*" + "/*" (how the SDK streams one request of unknown length) carries all the rest.
export type ResumableChunk = { kind: 'status' } | { kind: 'chunk'; first: number; final: boolean; total: number | undefined };

export function parseContentRange(header: string | undefined, length: number): ResumableChunk | undefined {
  if (header === undefined) return { kind: 'chunk', first: 0, final: true, total: length };
  if (/^bytes \*\/(\d+|\*)$/.test(header)) return { kind: 'status' };
  const match = /^bytes (\d+)-(\d+|\*)\/(\d+|\*)$/.exec(header);
  if (!match) return undefined;
  const first = Number(match[1]);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  const final = match[2] === '*' || (total !== undefined && Number(match[2]) + 1 === total);
  return { kind: 'chunk', first, final, total };
}
