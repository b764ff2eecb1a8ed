// A runner that can deploy static sites, for the end-to-end suites: pilot-sync (the
// built bundle) and yarn on its PATH, real builds (buildImages), and the clouds behind
// stand-ins that check credentials: S3 + CloudFront, Cloud Storage + Compute, and a GCE
// metadata server for Google's application default credentials.

import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bucketName as awsBucket } from '../../src/drivers/aws/names.js';
import { bucketName as gcpBucket, computeName } from '../../src/drivers/gcp/names.js';
import { standInDistributionId } from '../../src/drivers/stand-in.js';
import type { RunnerOptions } from '../../src/dev/waypoint-emulator/runner-settings.js';
import { startCloudFrontStandIn, type CloudFrontStandIn } from './cloudfront-stand-in.js';
import { startComputeStandIn, type ComputeStandIn } from './compute-stand-in.js';
import { startMetadataStandIn } from './gce-metadata-stand-in.js';
import { startGcsStandIn, type GcsStandIn } from './gcs-stand-in.js';
import { ensurePilotSyncBuilt, pilotSyncBin } from './pilot-sync.js';
import { startS3StandIn, type S3StandIn } from './s3-stand-in.js';

export const awsKey = { accessKeyId: 'AKIAPILOTE2ERUNNER01', secretAccessKey: 'e2eRunnerSecretKey/0123456789abcdefghijklm' };

export interface StaticRunner {
  runner: RunnerOptions;
  s3: S3StandIn;
  cloudFront: CloudFrontStandIn;
  gcs: GcsStandIn;
  compute: ComputeStandIn;
  /** What the app's stack creates (through the clouds' stand-in): its bucket and CDN, made to exist here. */
  addSite(app: { project: string; name: string; provider: string; region: string; gcpProject?: string }): string;
  close(): Promise<void>;
}

/** `gcpProject` is the runner's own GCP project (its metadata server's); sites may be in others. */
export async function startStaticRunner(gcpProject = 'docs-prod-123'): Promise<StaticRunner> {
  await ensurePilotSyncBuilt();
  const distributions: string[] = [];
  const urlMaps: string[] = [];
  const metadata = await startMetadataStandIn(gcpProject);
  const s3 = await startS3StandIn({ key: awsKey, buckets: [] });
  const cloudFront = await startCloudFrontStandIn({ key: awsKey, distributions, inProgressPolls: 0 });
  const gcs = await startGcsStandIn({ buckets: [], isValidToken: metadata.isValidToken });
  const compute = await startComputeStandIn({ project: gcpProject, urlMaps, isValidToken: metadata.isValidToken, runningPolls: 0 });
  const bin = await mkdtemp(path.join(os.tmpdir(), 'pilot-runner-bin-'));
  await symlink(pilotSyncBin, path.join(bin, 'pilot-sync'));
  const tools = path.resolve(import.meta.dirname, '../../node_modules/.bin');
  return {
    s3, cloudFront, gcs, compute,
    runner: {
      buildImages: true,
      env: {
        PATH: [bin, tools, process.env.PATH ?? '/usr/bin:/bin'].join(path.delimiter),
        HOME: bin,
        TMPDIR: bin,
        YARN_CACHE_FOLDER: path.join(bin, 'yarn-cache'),
        AWS_ACCESS_KEY_ID: awsKey.accessKeyId,
        AWS_SECRET_ACCESS_KEY: awsKey.secretAccessKey,
        AWS_ENDPOINT_URL_S3: s3.url,
        AWS_ENDPOINT_URL_CLOUDFRONT: cloudFront.url,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: path.join(bin, 'aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(bin, 'aws-credentials'),
        GCE_METADATA_HOST: metadata.host,
        METADATA_SERVER_DETECTION: 'ping-only',
        STORAGE_EMULATOR_HOST: gcs.url,
        PILOT_SYNC_COMPUTE_ENDPOINT: compute.url,
      },
    },
    addSite(app) {
      if (app.provider === 'aws') {
        const bucket = awsBucket(app.project, app.name, app.region);
        s3.buckets.set(bucket, new Map());
        distributions.push(standInDistributionId(`app-${app.name}-cdn`));
        return bucket;
      }
      const bucket = gcpBucket(app.gcpProject!, app.project, app.name);
      gcs.buckets.set(bucket, new Map());
      const urlMap = computeName([app.project, app.name, 'cdn']);
      urlMaps.push(app.gcpProject === gcpProject ? urlMap : `${app.gcpProject}/${urlMap}`);
      return bucket;
    },
    async close() {
      await Promise.all([metadata.close(), s3.close(), cloudFront.close(), gcs.close(), compute.close()]);
      await rm(bin, { recursive: true, force: true });
    },
  };
}

/** A yarn site whose `yarn build` writes `outputDir` from the pages in pages.json. */
export function siteFiles(pages: Record<string, string>, outputDir = 'build'): Record<string, string> {
  const build = [
    "const fs = require('node:fs'); const path = require('node:path');",
    "const pages = JSON.parse(fs.readFileSync('pages.json', 'utf8'));",
    `const out = ${JSON.stringify(outputDir)};`,
    'fs.rmSync(out, { recursive: true, force: true });',
    'for (const [file, text] of Object.entries(pages)) {',
    '  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });',
    '  fs.writeFileSync(path.join(out, file), text);',
    '}',
  ].join('\n');
  return {
    'package.json': JSON.stringify({ name: 'site', version: '1.0.0', private: true, scripts: { build: 'node build.js' } }, null, 2),
    'yarn.lock': '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n',
    'build.js': `${build}\n`,
    'pages.json': JSON.stringify(pages),
  };
}
