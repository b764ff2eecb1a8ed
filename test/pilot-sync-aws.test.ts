// pilot-sync (the built bundle) against S3 and CloudFront stand-ins that check SigV4 like AWS.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestsDuring } from './support/http-stand-in.js';
import { startCloudFrontStandIn, type CloudFrontStandIn } from './support/cloudfront-stand-in.js';
import { cleanEnv, ensurePilotSyncBuilt, lines, runPilotSync, smallSite, smallSiteHeaders, writeSite } from './support/pilot-sync.js';
import { startS3StandIn, type S3StandIn } from './support/s3-stand-in.js';

const key = { accessKeyId: 'AKIAPILOTSYNCTEST01', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYpilotSyncTEST' };
const distribution = 'E2QWRUHEXAMPLE';
let s3: S3StandIn;
let cloudFront: CloudFrontStandIn;
let site: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensurePilotSyncBuilt();
  // Pages of 2 keys, so that every listing below goes through ListObjectsV2 paging.
  s3 = await startS3StandIn({ key, buckets: ['acme-web', 'acme-empty'], pageSize: 2 });
  cloudFront = await startCloudFrontStandIn({ key, distributions: [distribution], inProgressPolls: 1 });
  site = await mkdtemp(path.join(os.tmpdir(), 'pilot-sync-site-'));
  await writeSite(site, smallSite);
  env = await cleanEnv({
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_CLOUDFRONT: cloudFront.url,
  });
});

afterAll(async () => {
  await s3?.close();
  await cloudFront?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

const sync = (...extra: string[]) =>
  runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--dir', site, '--poll-interval', '0.05', ...extra], env);

describe('pilot-sync to S3', () => {
  it('uploads a small site with the Content-Type and Cache-Control of each file', async () => {
    const [result, requests] = await requestsDuring(s3, () => sync());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([
      `reading site from folder ${site}`,
      'syncing to s3://acme-web in us-east-1',
      '5 files in the site; 5 to upload, 0 to delete, 0 unchanged',
      'uploaded 1/5', 'uploaded 2/5', 'uploaded 3/5', 'uploaded 4/5', 'uploaded 5/5',
      'no --distribution given; skipping CDN invalidation',
      'done: 5 uploaded, 0 deleted, 0 unchanged',
    ]);
    const objects = s3.buckets.get('acme-web');
    const headers = Object.fromEntries([...(objects ?? [])].map(([name, object]) => [name, [object.contentType, object.cacheControl]]));
    expect(headers).toEqual(smallSiteHeaders);
    expect(objects?.get('assets/style.css')?.body.toString()).toBe(smallSite['assets/style.css']);
    // Pages go up after the assets they name.
    const puts = requests.filter((req) => req.method === 'PUT').map((req) => req.path.replace('/acme-web/', ''));
    expect(puts.slice(-2).sort()).toEqual(['blog/first-post/index.html', 'index.html']);
    expect(requests.every((req) => req.headers['content-md5'] !== undefined || req.method !== 'PUT')).toBe(true);
  });

  it('uploads nothing on a second run of the same site', async () => {
    const [result, requests] = await requestsDuring(s3, () => sync());
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toContain('5 files in the site; 0 to upload, 0 to delete, 5 unchanged');
    expect(requests.filter((req) => req.method !== 'GET')).toEqual([]);
    expect(requests.filter((req) => req.query.has('continuation-token')).length).toBe(2);
  });

  it('uploads a changed file and deletes the object of a removed one', async () => {
    await writeFile(path.join(site, 'assets/style.css'), 'body { color: navy; }\n');
    await rm(path.join(site, 'images/logo.png'));
    const [result, requests] = await requestsDuring(s3, () => sync());
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual(expect.arrayContaining([
      '4 files in the site; 1 to upload, 1 to delete, 3 unchanged', 'uploaded 1/1', 'deleted 1 stale object',
    ]));
    expect(requests.filter((req) => req.method === 'PUT').map((req) => req.path)).toEqual(['/acme-web/assets/style.css']);
    const deletes = requests.filter((req) => req.method === 'POST' && req.query.has('delete'));
    expect(deletes.map((req) => req.body.toString())).toEqual([expect.stringContaining('<Key>images/logo.png</Key>')]);
    expect([...(s3.buckets.get('acme-web')?.keys() ?? [])].sort()).toEqual(['assets/main.3f9a1c2b.js', 'assets/style.css', 'blog/first-post/index.html', 'index.html']);
    expect(s3.buckets.get('acme-web')?.get('assets/style.css')?.body.toString()).toBe('body { color: navy; }\n');
  });

  it('invalidates the CloudFront distribution with /* and waits until it is Completed', async () => {
    const before = cloudFront.invalidations.length;
    const result = await sync('--distribution', distribution);
    expect(result.status).toBe(0);
    const invalidation = cloudFront.invalidations[before];
    expect(invalidation).toMatchObject({ distribution, paths: ['/*'], polls: 2 });
    const out = lines(result.stdout);
    expect(out).toContain(`invalidating CloudFront distribution ${distribution} ...`);
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^invalidation ${invalidation?.id} completed in \\d+ s$`)));
    expect(out.at(-1)).toBe('done: 0 uploaded, 0 deleted, 4 unchanged');
  });

  it('fails with one line when the invalidation is not done within --wait-timeout', async () => {
    const slow = await startCloudFrontStandIn({ key, distributions: [distribution], inProgressPolls: 1000 });
    try {
      const result = await runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--dir', site, '--distribution', distribution, '--wait-timeout', '0.3', '--poll-interval', '0.05'], { ...env, AWS_ENDPOINT_URL_CLOUDFRONT: slow.url });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^pilot-sync: error: invalidation I[0-9A-F]+ still InProgress after 0\.3 s \(--wait-timeout\)\n$/);
      expect(slow.invalidations[0]?.polls).toBeGreaterThan(1);
    } finally {
      await slow.close();
    }
  });

  it('refuses to empty the bucket when the site has no files', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'pilot-sync-empty-'));
    const result = await runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--dir', empty], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('pilot-sync: error: the site has no files; refusing to empty s3://acme-web\n');
    expect(s3.buckets.get('acme-web')?.size).toBe(4);
    await rm(empty, { recursive: true, force: true });
  });

  it('reports an unknown bucket as one error line', async () => {
    const result = await runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-missing', '--dir', site], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('pilot-sync: error: listing s3://acme-missing: NoSuchBucket: The specified bucket does not exist\n');
  });

  it('never prints the secret access key, whether the run succeeds or the signature is refused', async () => {
    const ok = await sync('--distribution', distribution);
    const wrongKey = await runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--dir', site], { ...env, AWS_SECRET_ACCESS_KEY: `${key.secretAccessKey}x` });
    expect(ok.status).toBe(0);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr).toContain('SignatureDoesNotMatch');
    for (const output of [ok.stdout, ok.stderr, wrongKey.stdout, wrongKey.stderr]) {
      expect(output).not.toContain(key.secretAccessKey);
      expect(output).not.toContain('wJalrXUtnFEMI');
    }
  });
});
