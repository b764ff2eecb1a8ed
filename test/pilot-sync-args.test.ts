// The command line of the built pilot-sync: what a rendered waypoint.hcl could get wrong is refused
// with exit 2 before anything is read or sent.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ensurePilotSyncBuilt, runPilotSync } from './support/pilot-sync.js';
import { startS3StandIn, type S3StandIn } from './support/s3-stand-in.js';

const key = { accessKeyId: 'AKIAPILOTSYNCARGS01', secretAccessKey: 'args-test-secret-0123456789abcdefghij' };
let s3: S3StandIn;
let env: Record<string, string>;

beforeAll(async () => {
  await ensurePilotSyncBuilt();
  s3 = await startS3StandIn({ key, buckets: ['acme-web'] });
  env = await cleanEnv({ AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey, AWS_ENDPOINT_URL_S3: s3.url });
});

afterAll(async () => {
  await s3?.close();
});

const aws = ['--provider', 'aws', '--region', 'us-east-1'];

describe('pilot-sync arguments', () => {
  it.each([
    ['a value that starts with "-"', [...aws, '--bucket', '--delete', '--dir', '.'], '--bucket value "--delete" starts with "-"; refusing it'],
    ['a "-" value after "="', [...aws, '--bucket=-rf', '--dir', '.'], '--bucket value "-rf" starts with "-"; refusing it'],
    ['a missing bucket', [...aws, '--dir', '.'], '--bucket is required (the bucket that hosts the site)'],
    ['an unknown flag', [...aws, '--bucket', 'acme-web', '--dir', '.', '--delete'], 'unknown flag --delete'],
    ['a stray argument', [...aws, '--bucket', 'acme-web', '--dir', '.', 'extra'], 'unexpected argument "extra" (every value follows its --flag)'],
    ['a flag of the other provider', [...aws, '--bucket', 'acme-web', '--dir', '.', '--url-map', 'lb'], '--url-map does not apply to --provider aws'],
    ['both --image and --dir', [...aws, '--bucket', 'acme-web', '--dir', '.', '--image', 'acme-web:1'], 'give exactly one of --image and --dir'],
    ['a bucket URL instead of a name', [...aws, '--bucket', 's3://acme-web', '--dir', '.'], '--bucket "s3://acme-web" is not a bucket name'],
    ['a flag without its value', [...aws, '--dir', '.', '--bucket'], '--bucket needs a value'],
    ['an unknown provider', ['--provider', 'azure', '--bucket', 'acme-web', '--dir', '.'], '--provider "azure" is not aws or gcp'],
  ])('refuses %s with exit 2 and touches nothing', async (_name, args, message) => {
    const before = s3.requests.length;
    const result = await runPilotSync(args, env);
    expect(result.stderr).toBe(`pilot-sync: error: ${message} (see pilot-sync --help)\n`);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
    expect(s3.requests.length).toBe(before);
  });

  it('prints the usage and exits 0 with --help', async () => {
    const result = await runPilotSync(['--help'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage:\n {2}pilot-sync --provider aws /);
    expect(result.stdout).toContain('Exit codes: 0 synced, 1 a step failed, 2 bad command line.');
  });

  it('exits 1 with one line, and no secret, when AWS has no credentials to sign with', async () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...noCredentials } = env;
    const result = await runPilotSync([...aws, '--bucket', 'acme-web', '--dir', import.meta.dirname], noCredentials);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/^pilot-sync: error: listing s3:\/\/acme-web: .*credentials/i);
  });

  it('exits 1 before any Storage call when Google has no application default credentials', async () => {
    const result = await runPilotSync(['--provider', 'gcp', '--project', 'acme-prod', '--bucket', 'acme-web', '--dir', import.meta.dirname], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^pilot-sync: error: getting Google credentials \(application default credentials\): Could not load the default credentials\. [^\n]*\n$/);
  });
});
