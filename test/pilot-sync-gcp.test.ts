// pilot-sync (the built bundle) against Cloud Storage and Compute stand-ins, authenticated through
// a metadata-server stand-in as on a GCE runner (application default credentials).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestsDuring } from './support/http-stand-in.js';
import { startComputeStandIn, type ComputeStandIn } from './support/compute-stand-in.js';
import { startGcsStandIn, type GcsStandIn } from './support/gcs-stand-in.js';
import { startMetadataStandIn, type MetadataStandIn } from './support/gce-metadata-stand-in.js';
import { cleanEnv, ensurePilotSyncBuilt, lines, runPilotSync, smallSite, smallSiteHeaders, writeSite } from './support/pilot-sync.js';

const project = 'acme-prod-1234';
let metadata: MetadataStandIn;
let gcs: GcsStandIn;
let compute: ComputeStandIn;
let site: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensurePilotSyncBuilt();
  metadata = await startMetadataStandIn(project);
  gcs = await startGcsStandIn({ buckets: ['acme-web'], isValidToken: metadata.isValidToken, pageSize: 2 });
  compute = await startComputeStandIn({ project, urlMaps: ['acme-web-lb'], isValidToken: metadata.isValidToken, runningPolls: 1 });
  site = await mkdtemp(path.join(os.tmpdir(), 'pilot-sync-site-'));
  await writeSite(site, smallSite);
  env = await cleanEnv({
    GCE_METADATA_HOST: metadata.host,
    METADATA_SERVER_DETECTION: 'ping-only',
    STORAGE_EMULATOR_HOST: gcs.url,
    PILOT_SYNC_COMPUTE_ENDPOINT: compute.url,
  });
});

afterAll(async () => {
  await Promise.all([metadata?.close(), gcs?.close(), compute?.close()]);
  if (site) await rm(site, { recursive: true, force: true });
});

const sync = (...extra: string[]) =>
  runPilotSync(['--provider', 'gcp', '--project', project, '--bucket', 'acme-web', '--dir', site, '--poll-interval', '0.05', ...extra], env);

describe('pilot-sync to Cloud Storage', () => {
  it('uploads a small site with contentType, cacheControl and md5Hash on each object, with a metadata-server token', async () => {
    const [result, requests] = await requestsDuring(gcs, () => sync());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual(expect.arrayContaining([
      'syncing to gs://acme-web in project acme-prod-1234', '5 files in the site; 5 to upload, 0 to delete, 0 unchanged',
      'uploaded 5/5', 'no --url-map given; skipping CDN invalidation', 'done: 5 uploaded, 0 deleted, 0 unchanged',
    ]));
    const objects = gcs.buckets.get('acme-web');
    const headers = Object.fromEntries([...(objects ?? [])].map(([name, object]) => [name, [object.contentType, object.cacheControl]]));
    expect(headers).toEqual(smallSiteHeaders);
    expect(objects?.get('images/logo.png')?.content).toEqual(smallSite['images/logo.png']);
    const uploads = requests.filter((req) => req.path === '/upload/storage/v1/b/acme-web/o');
    expect(uploads).toHaveLength(5);
    for (const upload of uploads) expect(metadata.isValidToken(String(upload.headers.authorization).replace('Bearer ', ''))).toBe(true);
  });

  it('uploads nothing on a second run, and deletes only what the site no longer has after a change', async () => {
    const [same, sameRequests] = await requestsDuring(gcs, () => sync());
    expect(same.status).toBe(0);
    expect(lines(same.stdout)).toContain('5 files in the site; 0 to upload, 0 to delete, 5 unchanged');
    expect(sameRequests.filter((req) => req.method !== 'GET')).toEqual([]);
    expect(sameRequests.filter((req) => req.query.has('pageToken')).length).toBe(2);

    await writeFile(path.join(site, 'index.html'), '<!doctype html><title>Acme, new</title>');
    await rm(path.join(site, 'blog'), { recursive: true });
    const [changed, requests] = await requestsDuring(gcs, () => sync());
    expect(changed.status).toBe(0);
    expect(lines(changed.stdout)).toEqual(expect.arrayContaining(['4 files in the site; 1 to upload, 1 to delete, 3 unchanged', 'deleted 1 stale object']));
    expect(requests.filter((req) => req.method === 'POST').map((req) => req.query.get('name'))).toEqual(['index.html']);
    expect(requests.filter((req) => req.method === 'DELETE').map((req) => req.path)).toEqual(['/storage/v1/b/acme-web/o/blog%2Ffirst-post%2Findex.html']);
    expect([...(gcs.buckets.get('acme-web')?.keys() ?? [])].sort()).toEqual(['assets/main.3f9a1c2b.js', 'assets/style.css', 'images/logo.png', 'index.html']);
  });

  it('invalidates the Cloud CDN URL map with a bearer token and polls the operation to DONE', async () => {
    const before = compute.operations.length;
    const from = compute.requests.length;
    const result = await sync('--url-map', 'acme-web-lb');
    expect(result.status).toBe(0);
    const operation = compute.operations[before];
    expect(operation).toMatchObject({ urlMap: 'acme-web-lb', path: '/*', polls: 2 });
    const requests = compute.requests.slice(from);
    expect(requests.map((req) => `${req.method} ${req.path}`)).toEqual([
      `POST /compute/v1/projects/${project}/global/urlMaps/acme-web-lb/invalidateCache`,
      `GET /compute/v1/projects/${project}/global/operations/${operation?.name}`,
      `GET /compute/v1/projects/${project}/global/operations/${operation?.name}`,
    ]);
    expect(JSON.parse(requests[0]?.body.toString() ?? '')).toEqual({ path: '/*' });
    for (const req of requests) expect(req.headers.authorization).toMatch(/^Bearer ya29\.stand-in-/);
    expect(lines(result.stdout)).toEqual(expect.arrayContaining([
      'invalidating Cloud CDN URL map acme-web-lb ...', expect.stringMatching(new RegExp(`^invalidation ${operation?.name} completed in \\d+ s$`)),
    ]));
  });

  it('fails when the invalidation operation ends with an error, and never prints the token', async () => {
    const failing = await startComputeStandIn({ project, urlMaps: ['acme-web-lb'], isValidToken: metadata.isValidToken, failWith: { code: 'RESOURCE_NOT_READY', message: 'The URL map is being updated' } });
    try {
      const result = await runPilotSync(['--provider', 'gcp', '--project', project, '--bucket', 'acme-web', '--dir', site, '--url-map', 'acme-web-lb', '--poll-interval', '0.05'], { ...env, PILOT_SYNC_COMPUTE_ENDPOINT: failing.url });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^pilot-sync: error: invalidation operation-\S+ of acme-web-lb failed: RESOURCE_NOT_READY: The URL map is being updated\n$/);
      for (const token of metadata.tokens) expect(result.stdout + result.stderr).not.toContain(token);
    } finally {
      await failing.close();
    }
  });

  it('reports an unknown URL map as one error line', async () => {
    const result = await sync('--url-map', 'no-such-map');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`pilot-sync: error: invalidating Cloud CDN URL map no-such-map: Compute API 404: The resource 'projects/${project}/global/urlMaps/no-such-map' was not found\n`);
  });
});
