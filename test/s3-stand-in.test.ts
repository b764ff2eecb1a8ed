// The S3 stand-in is as strict as S3 about what Terraform's s3 backend relies on: a
// conditional PUT that would overwrite is refused (the state lock), and a body whose
// aws-chunked framing or checksum is wrong is never stored.

import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64nvme } from './support/crc64nvme.js';
import { startS3StandIn, type S3StandIn } from './support/s3-stand-in.js';

const key = { accessKeyId: 'AKIAPILOTS3STANDIN01', secretAccessKey: 's3-stand-in-test-secret-0123456789abcdef' };
let s3: S3StandIn;

beforeAll(async () => {
  s3 = await startS3StandIn({ key, buckets: ['state'] });
});

afterAll(async () => {
  await s3?.close();
});

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (secret: string | Buffer, data: string) => createHmac('sha256', secret).update(data).digest();

/** A request signed with SigV4 over every header it sends, as the SDKs sign (written here, not shared with the verifier). */
async function send(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<{ status: number; text: string; headers: Headers }> {
  const url = new URL(path, s3.url);
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  const day = amzDate.slice(0, 8);
  const signed: Record<string, string> = { host: url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': sha256(body ?? ''), ...headers };
  const names = Object.keys(signed).sort();
  const canonical = [method, url.pathname, '', names.map((name) => `${name}:${signed[name]}\n`).join(''), names.join(';'), signed['x-amz-content-sha256']].join('\n');
  const scope = `${day}/eu-west-1/s3/aws4_request`;
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${key.secretAccessKey}`, day), 'eu-west-1'), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n')).digest('hex');
  const { host: _host, ...sent } = signed;
  const reply = await fetch(url, {
    method,
    headers: { ...sent, authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });
  return { status: reply.status, text: await reply.text(), headers: reply.headers };
}

const code = (text: string) => /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
const stored = (name: string) => s3.buckets.get('state')?.get(name)?.body.toString();

/** What the AWS SDK for Go sends over TLS: the body in aws-chunked framing, its checksum in a trailer. */
function chunked(body: string, trailer: string, chunkSize = 5): { headers: Record<string, string>; body: Buffer } {
  const data = Buffer.from(body);
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkSize) {
    const chunk = data.subarray(at, at + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0\r\n${trailer}\r\n\r\n`));
  return {
    headers: {
      'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': String(data.length),
      'x-amz-trailer': trailer.split(':')[0] ?? '', 'x-amz-sdk-checksum-algorithm': 'SHA256',
    },
    body: Buffer.concat(parts),
  };
}

const base64Sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

describe('conditional writes', () => {
  it('creates with If-None-Match: * once, then refuses with 412 and keeps the first', async () => {
    const first = await send('PUT', '/state/a.tflock', { 'if-none-match': '*' }, Buffer.from('{"ID":"one"}'));
    expect(first.status).toBe(200);
    const second = await send('PUT', '/state/a.tflock', { 'if-none-match': '*' }, Buffer.from('{"ID":"two"}'));
    expect([second.status, code(second.text)]).toEqual([412, 'PreconditionFailed']);
    expect(second.text).toContain('<Condition>If-None-Match</Condition>');
    expect(stored('a.tflock')).toBe('{"ID":"one"}');
    expect(s3.errors.at(-1)).toMatchObject({ method: 'PUT', key: 'a.tflock', status: 412, code: 'PreconditionFailed' });
    // Once deleted (an unlock), the key can be created again.
    expect((await send('DELETE', '/state/a.tflock')).status).toBe(204);
    expect((await send('PUT', '/state/a.tflock', { 'if-none-match': '*' }, Buffer.from('{"ID":"two"}'))).status).toBe(200);
  });

  it('replaces with If-Match only the version it names', async () => {
    const put = await send('PUT', '/state/b', {}, Buffer.from('v1'));
    const etag = put.headers.get('etag')!;
    expect(etag).toBe(`"${createHash('md5').update('v1').digest('hex')}"`);
    const stale = await send('PUT', '/state/b', { 'if-match': '"0123456789abcdef0123456789abcdef"' }, Buffer.from('v2'));
    expect([stale.status, code(stale.text)]).toEqual([412, 'PreconditionFailed']);
    expect(stored('b')).toBe('v1');
    expect((await send('PUT', '/state/b', { 'if-match': etag }, Buffer.from('v2'))).status).toBe(200);
    expect(stored('b')).toBe('v2');
    const missing = await send('PUT', '/state/none', { 'if-match': etag }, Buffer.from('v1'));
    expect([missing.status, code(missing.text)]).toEqual([404, 'NoSuchKey']);
    const etagCondition = await send('PUT', '/state/c', { 'if-none-match': etag }, Buffer.from('v1'));
    expect([etagCondition.status, code(etagCondition.text)]).toEqual([501, 'NotImplemented']);
  });
});

describe('bodies and checksums', () => {
  it('stores an aws-chunked body decoded, and gives its checksum back to a GET that asks', async () => {
    const state = '{"version":4,"serial":1}';
    const { headers, body } = chunked(state, `x-amz-checksum-sha256:${base64Sha256(state)}`);
    expect((await send('PUT', '/state/d.tfstate', { ...headers, 'x-amz-server-side-encryption': 'AES256' }, body)).status).toBe(200);
    expect(stored('d.tfstate')).toBe(state);
    const got = await send('GET', '/state/d.tfstate', { 'x-amz-checksum-mode': 'ENABLED' });
    expect([got.text, got.headers.get('x-amz-checksum-sha256'), got.headers.get('x-amz-server-side-encryption')]).toEqual([state, base64Sha256(state), 'AES256']);
  });

  it('answers a Range (how terraform reads its state) with the part alone, and no whole-object checksum', async () => {
    const state = '{"version":4,"serial":1}';
    const { headers, body } = chunked(state, `x-amz-checksum-sha256:${base64Sha256(state)}`);
    await send('PUT', '/state/r.tfstate', headers, body);
    const all = await send('GET', '/state/r.tfstate', { range: 'bytes=0-5242879', 'x-amz-checksum-mode': 'ENABLED' });
    expect([all.status, all.text, all.headers.get('content-range'), all.headers.get('x-amz-checksum-sha256')]).toEqual([206, state, `bytes 0-${state.length - 1}/${state.length}`, null]);
    const tail = await send('GET', '/state/r.tfstate', { range: 'bytes=-5' });
    expect([tail.status, tail.text]).toEqual([206, 'l":1}']);
    const beyond = await send('GET', '/state/r.tfstate', { range: `bytes=${state.length}-` });
    expect([beyond.status, code(beyond.text)]).toEqual([416, 'InvalidRange']);
  });

  it('refuses a wrong checksum trailer, and framing that does not add up', async () => {
    const state = '{"version":4,"serial":2}';
    const cases: [string, { headers: Record<string, string>; body: Buffer }, string][] = [
      ['a checksum of other bytes', chunked(state, `x-amz-checksum-sha256:${base64Sha256('something else')}`), 'BadDigest'],
      ['a decoded length that is not the body\'s', (() => {
        const c = chunked(state, `x-amz-checksum-sha256:${base64Sha256(state)}`);
        return { ...c, headers: { ...c.headers, 'x-amz-decoded-content-length': String(state.length + 1) } };
      })(), 'IncompleteBody'],
      ['a trailer that x-amz-trailer did not announce', (() => {
        const c = chunked(state, `x-amz-checksum-sha256:${base64Sha256(state)}`);
        return { ...c, headers: { ...c.headers, 'x-amz-trailer': 'x-amz-checksum-crc32' } };
      })(), 'MalformedTrailerError'],
      ['a chunk cut short', (() => {
        const c = chunked(state, `x-amz-checksum-sha256:${base64Sha256(state)}`);
        return { ...c, body: Buffer.from(c.body.toString().replace('5\r\n', '6\r\n')) };
      })(), 'InvalidChunkSizeError'],
    ];
    for (const [name, { headers, body }, expected] of cases) {
      const reply = await send('PUT', '/state/e.tfstate', headers, body);
      expect([reply.status, code(reply.text)], name).toEqual([400, expected]);
    }
    expect(stored('e.tfstate')).toBeUndefined();
  });

  // Each digest of "123456789", from the CRC catalogues and the SHA test vectors: not from the code under test.
  it.each([
    ['crc32', 'cbf43926'],
    ['crc32c', 'e3069283'],
    ['crc64nvme', 'ae8b14860a799888'],
    ['sha1', 'f7c3bc1d808e04732adf679965ccc34ca7ae3441'],
    ['sha256', '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225'],
  ])('checks an x-amz-checksum-%s header', async (algorithm, hex) => {
    const body = Buffer.from('123456789');
    const right = Buffer.from(hex, 'hex');
    expect((await send('PUT', `/state/${algorithm}`, { [`x-amz-checksum-${algorithm}`]: right.toString('base64') }, body)).status).toBe(200);
    expect(stored(algorithm)).toBe('123456789');
    const wrong = Buffer.from(right.map((byte, i) => (i === 0 ? byte ^ 1 : byte)));
    const refused = await send('PUT', `/state/${algorithm}-wrong`, { [`x-amz-checksum-${algorithm}`]: wrong.toString('base64') }, body);
    expect([refused.status, code(refused.text)]).toEqual([400, 'BadDigest']);
    expect(stored(`${algorithm}-wrong`)).toBeUndefined();
  });

  it('knows CRC64/NVME by its check value', () => {
    expect(crc64nvme(Buffer.from('123456789')).toString('hex')).toBe('ae8b14860a799888');
  });

  it('refuses a wrong Content-MD5, two checksums at once, and a checksum algorithm named but not sent', async () => {
    const body = Buffer.from('hello');
    const md5 = await send('PUT', '/state/f', { 'content-md5': createHash('md5').update('other').digest('base64') }, body);
    expect([md5.status, code(md5.text)]).toEqual([400, 'BadDigest']);
    const two = await send('PUT', '/state/f', { 'x-amz-checksum-sha256': base64Sha256('hello'), 'x-amz-checksum-sha1': createHash('sha1').update(body).digest('base64') }, body);
    expect([two.status, code(two.text)]).toEqual([400, 'InvalidRequest']);
    const named = await send('PUT', '/state/f', { 'x-amz-sdk-checksum-algorithm': 'SHA256' }, body);
    expect([named.status, code(named.text)]).toEqual([400, 'InvalidRequest']);
    expect(stored('f')).toBeUndefined();
    const missing = await send('HEAD', '/state/f');
    expect(missing.status).toBe(404);
  });
});
