// The Cloud Storage stand-in refuses what Cloud Storage refuses and serves reads as it
// does, for what Terraform's gcs backend and the sync send (facts in gcs-stand-in.ts).

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from './support/crc32c.js';
import { listPage, type ListQuery } from './support/gcs-listing.js';
import { startGcsStandIn, type GcsStandIn } from './support/gcs-stand-in.js';

const token = 'ya29.gcs-stand-in-test';
const auth = { authorization: `Bearer ${token}` };
let gcs: GcsStandIn;

beforeAll(async () => {
  gcs = await startGcsStandIn({ buckets: ['acme'], isValidToken: (t) => t === token });
});

afterAll(async () => {
  await gcs?.close();
});

const json = (path: string) => `${gcs.url}/storage/v1/b/acme/o${path}`;
const upload = (query: string) => `${gcs.url}/upload/storage/v1/b/acme/o?${query}`;
const reason = async (reply: Response) => ((await reply.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason;

async function put(name: string, content: string, query = ''): Promise<Response> {
  return fetch(upload(`uploadType=media&name=${encodeURIComponent(name)}${query}`), { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: content });
}

async function generationOf(reply: Response): Promise<string> {
  return ((await reply.json()) as { generation: string }).generation;
}

describe('the Cloud Storage stand-in', () => {
  it('serves an object through the XML API with the generation and the hashes the Go client checks', async () => {
    const generation = await generationOf(await put('state/default.tfstate', '{"serial":1}'));
    const reply = await fetch(`${gcs.url}/acme/state/default.tfstate`, { headers: auth });
    expect(reply.status).toBe(200);
    expect(await reply.text()).toBe('{"serial":1}');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32c(Buffer.from('{"serial":1}')));
    // Two x-goog-hash headers, as Cloud Storage sends them; fetch joins them.
    expect(reply.headers.get('x-goog-hash')).toBe(`crc32c=${crc.toString('base64')}, md5=${createHash('md5').update('{"serial":1}').digest('base64')}`);
    expect(reply.headers.get('x-goog-generation')).toBe(generation);
    expect(reply.headers.get('x-goog-stored-content-length')).toBe('12');

    const media = await fetch(json(`/${encodeURIComponent('state/default.tfstate')}?alt=media`), { headers: auth });
    expect([media.status, await media.text()]).toEqual([200, '{"serial":1}']);
    const stale = await fetch(`${gcs.url}/acme/state/default.tfstate`, { headers: { ...auth, 'x-goog-if-generation-match': '1' } });
    expect(stale.status).toBe(412);
  });

  it('answers an XML read of a missing object 404 NoSuchKey, refuses an anonymous one and a range it cannot serve', async () => {
    const missing = await fetch(`${gcs.url}/acme/state/none.tfstate`, { headers: auth });
    expect([missing.status, await missing.text()]).toEqual([404, expect.stringContaining('<Code>NoSuchKey</Code>')]);
    expect((await fetch(`${gcs.url}/acme/state/default.tfstate`)).status).toBe(403);
    expect((await fetch(`${gcs.url}/acme/state/default.tfstate`, { headers: { authorization: 'Bearer ya29.forged' } })).status).toBe(401);
    expect((await fetch(`${gcs.url}/acme/state/default.tfstate`, { headers: { ...auth, range: 'bytes=0-3' } })).status).toBe(501);
    expect(gcs.errors.at(-1)).toMatchObject({ method: 'GET', bucket: 'acme', name: 'state/default.tfstate', status: 501, reason: 'NotImplemented' });
  });

  it('keeps generation preconditions on uploads, reads and deletes', async () => {
    const first = await put('lock/default.tflock', 'one', '&ifGenerationMatch=0');
    const generation = await generationOf(first);
    const again = await put('lock/default.tflock', 'two', '&ifGenerationMatch=0');
    expect([again.status, await reason(again)]).toEqual([412, 'conditionNotMet']);
    expect(gcs.errors.at(-1)).toMatchObject({ method: 'POST', name: 'lock/default.tflock', status: 412, reason: 'conditionNotMet' });
    expect((await put('lock/default.tflock', 'two', `&ifGenerationNotMatch=${generation}`)).status).toBe(412);
    expect((await put('lock/default.tflock', 'two', '&ifGenerationMatch=x')).status).toBe(400);
    expect((await put('never/there', 'x', '&ifMetagenerationMatch=1')).status).toBe(412);
    expect(gcs.buckets.get('acme')?.get('lock/default.tflock')?.content.toString()).toBe('one');

    const replaced = await put('lock/default.tflock', 'two', `&ifGenerationMatch=${generation}`);
    expect(replaced.status).toBe(200);
    const current = await generationOf(replaced);
    expect(BigInt(current)).toBeGreaterThan(BigInt(generation));
    const name = encodeURIComponent('lock/default.tflock');
    expect((await fetch(json(`/${name}?ifGenerationMatch=${generation}`), { method: 'DELETE', headers: auth })).status).toBe(412);
    expect((await fetch(json(`/${name}?ifGenerationMatch=${current}`), { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(json(`/${name}?ifGenerationMatch=${current}`), { method: 'DELETE', headers: auth })).status).toBe(404);
  });

  it('checks the precondition of a resumable upload when it is finished, and a crc32c sent with a multipart one', async () => {
    await put('taken', 'first');
    const session = await fetch(upload('uploadType=resumable&name=taken&ifGenerationMatch=0'), { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
    const finished = await fetch(String(session.headers.get('location')), { method: 'PUT', body: 'second' });
    expect([finished.status, await reason(finished)]).toEqual([412, 'conditionNotMet']);

    const body = ['--b', 'Content-Type: application/json', '', JSON.stringify({ name: 'checked', crc32c: 'AAAAAA==' }), '--b', 'Content-Type: text/plain', '', 'content', '--b--', ''].join('\r\n');
    const wrong = await fetch(upload('uploadType=multipart'), { method: 'POST', headers: { ...auth, 'content-type': 'multipart/related; boundary=b' }, body });
    expect([wrong.status, await reason(wrong)]).toEqual([400, 'invalid']);
    expect(gcs.buckets.get('acme')?.has('checked')).toBe(false);
  });

  it('lists with a delimiter as terraform lists workspaces: deeper names folded into prefixes', async () => {
    for (const name of ['ws/default.tfstate', 'ws/staging.tfstate', 'ws/nested/default.tfstate', 'ws-other/default.tfstate']) await put(name, '{}');
    const reply = await fetch(json('?prefix=ws%2F&delimiter=%2F&includeTrailingDelimiter=false&startOffset=&endOffset=&pageToken='), { headers: auth });
    const listed = (await reply.json()) as { items?: { name: string }[]; prefixes?: string[] };
    expect([listed.items?.map((item) => item.name), listed.prefixes]).toEqual([['ws/default.tfstate', 'ws/staging.tfstate'], ['ws/nested/']]);
  });
});

describe('a Cloud Storage list page', () => {
  const query = (more: Partial<ListQuery>): ListQuery => ({ prefix: '', delimiter: '/', startOffset: '', endOffset: '', includeTrailingDelimiter: false, pageToken: '', max: 1000, ...more });
  const names = ['a/1', 'a/2', 'a/', 'b', 'c/d/e', 'd'];

  it('pages items and prefixes together in name order', () => {
    expect(listPage(names, query({ max: 2 }))).toEqual({ items: ['b'], prefixes: ['a/'], nextPageToken: 'b' });
    expect(listPage(names, query({ max: 2, pageToken: 'b' }))).toEqual({ items: ['d'], prefixes: ['c/'], nextPageToken: undefined });
  });

  it('lists an object named like its prefix only when asked, and bounds names by the offsets', () => {
    expect(listPage(names, query({ includeTrailingDelimiter: true })).items).toEqual(['a/', 'b', 'd']);
    expect(listPage(names, query({ delimiter: '', startOffset: 'a/2', endOffset: 'd' })).items).toEqual(['a/2', 'b', 'c/d/e']);
  });
});
