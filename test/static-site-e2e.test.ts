// A static site, end to end: `pilot apply` renders the docker build + exec deploy
// Waypoint can chain; the strict emulator's runner clones the site, builds the image with
// Pilot's Dockerfile (real yarn), and runs pilot-sync (the built bundle), which copies the
// site out of the image through the Docker API stand-in into the bucket stand-ins and
// invalidates the CDN stand-ins. The stacks come from the clouds' stand-in (real terraform).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourceRepo, removeTemporaryFolders } from './support/git-repos.js';
import { scenarioOf, startRig, type Rig } from './support/reconcile-harness.js';
import { awsKey, siteFiles, startStaticRunner, type StaticRunner } from './support/static-runner.js';

let rig: Rig;
let sites: StaticRunner;

beforeAll(async () => {
  sites = await startStaticRunner('acme-prod-123');
  rig = await startRig({ runner: sites.runner });
});

afterAll(async () => {
  await rig?.stop();
  await sites?.close();
  await removeTemporaryFolders();
});

describe('a static site through pilot apply', () => {
  it('on aws: syncs exactly the build to S3, with content types and cache headers, and invalidates CloudFront', { timeout: 120_000 }, async () => {
    const bucket = sites.addSite({ project: 'site', name: 'web', provider: 'aws', region: 'us-east-1' });
    const objects = () => [...(sites.s3.buckets.get(bucket)?.entries() ?? [])].map(([name, o]) => [name, o.body.toString(), o.contentType, o.cacheControl]);
    const repo = await createSourceRepo('site', siteFiles({ 'index.html': '<h1>v1</h1>', 'static/js/main.3f9a1c2b.js': 'console.log(1)', 'about/index.html': '<p>about</p>' }));
    const s = await scenarioOf(rig, [{ name: 'site', apps: [{ name: 'web', repo: repo.url, platform: 'static' }] }], ['--clouds', 'stand-in']);
    const first = await s.apply();
    expect(first.json.errors, JSON.stringify(first.json, null, 1)).toEqual([]);
    expect(first.json.outcome).toBe('converged');
    expect(objects().sort()).toEqual([
      ['about/index.html', '<p>about</p>', 'text/html; charset=utf-8', 'no-cache'],
      ['index.html', '<h1>v1</h1>', 'text/html; charset=utf-8', 'no-cache'],
      ['static/js/main.3f9a1c2b.js', 'console.log(1)', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ]);
    expect(sites.cloudFront.invalidations.map((i) => i.paths)).toEqual([['/*']]);
    expect(rig.jobs('site').at(-1)!.waypointHcl).toContain('"--image", "{{.Input.DockerImageFull}}"');

    // A new build without the about page: the stale object goes, the changed page is uploaded.
    await repo.commit({ 'pages.json': JSON.stringify({ 'index.html': '<h1>v2</h1>', 'static/js/main.3f9a1c2b.js': 'console.log(1)' }) });
    const second = await s.apply();
    expect(second.json.outcome).toBe('converged');
    expect(objects().map(([name, body]) => [name, body]).sort()).toEqual([
      ['index.html', '<h1>v2</h1>'],
      ['static/js/main.3f9a1c2b.js', 'console.log(1)'],
    ]);
    expect(sites.cloudFront.invalidations).toHaveLength(2);
    expect(rig.printed.join('\n')).not.toContain(awsKey.secretAccessKey);
  });

  it('on gcp: syncs exactly the build to Cloud Storage and invalidates Cloud CDN', { timeout: 120_000 }, async () => {
    const bucket = sites.addSite({ project: 'docs', name: 'site', provider: 'gcp', region: 'us-central1', gcpProject: 'acme-prod-123' });
    const repo = await createSourceRepo('docs', siteFiles({ 'index.html': '<h1>docs</h1>', 'app-Bx7Kq9Zt.css': 'body{}' }, 'dist'));
    const s = await scenarioOf(rig, [{ name: 'docs', provider: 'gcp', apps: [{ name: 'site', repo: repo.url, platform: 'static', outputDir: 'dist' }] }], ['--clouds', 'stand-in']);
    const run = await s.apply();
    expect(run.json.errors, JSON.stringify(run.json, null, 1)).toEqual([]);
    const stored = [...(sites.gcs.buckets.get(bucket)?.values() ?? [])].map((o) => [o.name, o.contentType, o.cacheControl]).sort();
    expect(stored).toEqual([
      ['app-Bx7Kq9Zt.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['index.html', 'text/html; charset=utf-8', 'no-cache'],
    ]);
    expect(sites.compute.operations.map((o) => [o.urlMap, o.path])).toEqual([['pilot-docs-site-cdn', '/*']]);
  });
});
