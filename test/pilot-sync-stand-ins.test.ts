// The stand-ins behind the pilot-sync tests refuse what the real services refuse, so that those
// tests can fail; and the Storage one takes every upload protocol the SDK speaks.

import { createHash } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudFrontStandIn, type CloudFrontStandIn } from './support/cloudfront-stand-in.js';
import { startComputeStandIn, type ComputeStandIn } from './support/compute-stand-in.js';
import { startGcsStandIn, type GcsStandIn } from './support/gcs-stand-in.js';
import { startMetadataStandIn, type MetadataStandIn } from './support/gce-metadata-stand-in.js';
import { startS3StandIn, type S3StandIn } from './support/s3-stand-in.js';

const key = { accessKeyId: 'AKIAPILOTSYNCSTAND1', secretAccessKey: 'stand-in-test-secret-0123456789abcdef' };
let s3: S3StandIn;
let cloudFront: CloudFrontStandIn;
let metadata: MetadataStandIn;
let gcs: GcsStandIn;
let compute: ComputeStandIn;
let token: string;

beforeAll(async () => {
  s3 = await startS3StandIn({ key, buckets: ['acme-web'] });
  cloudFront = await startCloudFrontStandIn({ key, distributions: ['E1'] });
  metadata = await startMetadataStandIn('acme-prod');
  gcs = await startGcsStandIn({ buckets: ['acme-web'], isValidToken: metadata.isValidToken });
  compute = await startComputeStandIn({ project: 'acme-prod', urlMaps: ['lb'], isValidToken: metadata.isValidToken });
  const reply = await fetch(`${metadata.url}/computeMetadata/v1/instance/service-accounts/default/token`, { headers: { 'Metadata-Flavor': 'Google' } });
  token = ((await reply.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await Promise.all([s3, cloudFront, metadata, gcs, compute].map((standIn) => standIn?.close()));
});

const unsigned = { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAPILOTSYNCSTAND1/20261201/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64), 'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d+/g, '') };

describe('AWS stand-ins', () => {
  it('refuse a request without a signature, and one with a wrong signature', async () => {
    const anonymous = await fetch(`${s3.url}/acme-web?list-type=2`);
    expect([anonymous.status, await anonymous.text()]).toEqual([403, expect.stringContaining('<Code>AccessDenied</Code>')]);
    const forged = await fetch(`${s3.url}/acme-web?list-type=2`, { headers: unsigned });
    expect([forged.status, await forged.text()]).toEqual([403, expect.stringContaining('<Code>SignatureDoesNotMatch</Code>')]);
    const cf = await fetch(`${cloudFront.url}/2020-05-31/distribution/E1/invalidation`, { method: 'POST' });
    expect([cf.status, await cf.text()]).toEqual([403, expect.stringContaining('<ErrorResponse')]);
  });
});

describe('Google stand-ins', () => {
  it('hand out tokens only to callers that send Metadata-Flavor: Google', async () => {
    const reply = await fetch(`${metadata.url}/computeMetadata/v1/instance/service-accounts/default/token`);
    expect(reply.status).toBe(403);
  });

  it('refuse a missing or unknown bearer token with the API error shape', async () => {
    const none = await fetch(`${gcs.url}/storage/v1/b/acme-web/o`);
    expect([none.status, ((await none.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason]).toEqual([401, 'required']);
    const forged = await fetch(`${compute.url}/compute/v1/projects/acme-prod/global/urlMaps/lb/invalidateCache`, { method: 'POST', headers: { authorization: 'Bearer ya29.forged' }, body: '{"path":"/*"}' });
    expect([forged.status, ((await forged.json()) as { error: { message: string } }).error.message]).toEqual([401, 'Invalid Credentials']);
    expect((await fetch(`${gcs.url}/storage/v1/nope`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it('take media uploads, refuse a wrong md5Hash, and take the SDK resumable upload', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const media = await fetch(`${gcs.url}/upload/storage/v1/b/acme-web/o?uploadType=media&name=a.txt`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'hello' });
    expect(((await media.json()) as { md5Hash: string }).md5Hash).toBe(createHash('md5').update('hello').digest('base64'));

    const client = new OAuth2Client();
    client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
    const storage = new Storage({ projectId: 'acme-prod', apiEndpoint: gcs.url, useAuthWithCustomEndpoint: true, authClient: client });
    const content = Buffer.alloc(300_000, 7);
    // The SDK authenticates the session's creation against a custom endpoint, and sends the chunks to the session URI.
    const file = storage.bucket('acme-web').file('big.bin');
    const [uri] = await file.createResumableUpload({ metadata: { contentType: 'application/octet-stream', cacheControl: 'no-cache' } });
    await file.save(content, { resumable: true, uri });
    expect(gcs.requests.some((req) => req.method === 'PUT' && req.query.get('uploadType') === 'resumable')).toBe(true);
    expect(gcs.buckets.get('acme-web')?.get('big.bin')).toMatchObject({ content, cacheControl: 'no-cache' });

    const wrong = storage.bucket('acme-web').file('c.txt').save('changed', { resumable: false, metadata: { md5Hash: createHash('md5').update('original').digest('base64') } });
    await expect(wrong).rejects.toThrow(/doesn't match calculated MD5 hash/);
    expect(gcs.buckets.get('acme-web')?.has('c.txt')).toBe(false);
  });
});
