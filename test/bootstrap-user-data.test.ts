// The Pilot VM's user-data (src/bootstrap/user-data.ts + deploy/cloud-init/): checked by
// cloud-init's own schema, shellcheck and the daemon's config reader for every shape of
// options, and its boot scripts run against stand-ins of the clouds' metadata and secret
// stores. Each check is first shown to fail on a bad input.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../src/app/settings-file.js';
import { resolveSettings } from '../src/app/settings.js';
import type { BootstrapOptions } from '../src/bootstrap/options.js';
import { renderUserData } from '../src/bootstrap/user-data.js';
import { startMetadataStandIn } from './support/gce-metadata-stand-in.js';
import { send, sendJson, startStandIn, type StandIn } from './support/http-stand-in.js';
import { verifySigV4 } from './support/sigv4.js';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const deployDir = path.join(root, 'deploy');
const scratch = mkdtempSync(path.join(tmpdir(), 'pilot-user-data-'));
const image = `ghcr.io/acme/pilot-runner@sha256:${'0123456789abcdef'.repeat(4)}`;

function options(cloud: 'aws' | 'gcp', extra: Partial<BootstrapOptions> = {}): BootstrapOptions {
  return {
    cloud, name: 'pilot', region: cloud === 'aws' ? 'us-east-1' : 'us-central1',
    ...(cloud === 'gcp' ? { gcpProject: 'acme-prod', zone: 'us-central1-a' } : {}),
    machineType: cloud === 'aws' ? 't3.medium' : 'e2-medium', diskGb: 30, adminCidr: '203.0.113.7/32',
    repo: 'https://github.com/acme/infra.git', branch: 'main', stateBucket: 'acme-pilot-state',
    shareDatabaseNetwork: false, runnerImage: image, pilotPackage: 'pilot@0.1.0', ...extra,
  };
}

const matrix = (['aws', 'gcp'] as const).flatMap((cloud) => [undefined, 'pilot.example.com'].flatMap((domain) =>
  [undefined, '198.51.100.0/24'].flatMap((sshCidr) => [false, true].map((share) => ({
    label: `${cloud}, ${domain ? 'domain' : 'no domain'}, ${sshCidr ? 'ssh' : 'no ssh'}, ${share ? 'shared' : 'own'} network`,
    options: options(cloud, { ...(domain ? { domain } : {}), ...(sshCidr ? { sshCidr } : {}), shareDatabaseNetwork: share }),
  })))));

type WriteFile = { path: string; content: string; permissions: string };
const filesOf = (userData: string): WriteFile[] => (parse(userData) as { write_files: WriteFile[] }).write_files;
const fileOf = (userData: string, file: string): string => {
  const found = filesOf(userData).find((f) => f.path === file);
  if (!found) throw new Error(`${file} is not in the user-data`);
  return found.content;
};

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; install?: string } = {}) {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(`${command} is not installed: apt-get install ${options.install ?? command}`);
  }
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Async, so that stand-ins in this process can answer the script. */
function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // The system's python3 first, as on the VM (where cloud-init brought python3-yaml).
    const child = spawn('bash', [script], { env: { PATH: `/usr/bin:/bin:${process.env.PATH ?? ''}`, ...env } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code, output }));
  });
}

function cloudInitSchema(text: string, name: string) {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return run('cloud-init', ['schema', '--config-file', file], { install: 'cloud-init' });
}

/** shellcheck on scripts laid out in one folder, so that `source=metadata.sh` resolves. */
function shellcheck(scripts: Record<string, string>) {
  const dir = mkdtempSync(path.join(scratch, 'sh-'));
  for (const [name, content] of Object.entries(scripts)) writeFileSync(path.join(dir, name), content);
  return run('shellcheck', ['-x', ...Object.keys(scripts)], { cwd: dir });
}

/** The daemon's own reading of a config file: schema (settings-file.ts), then resolution (settings.ts). */
function loadConfig(text: string) {
  const file = path.join(mkdtempSync(path.join(scratch, 'config-')), 'pilot.config.yaml');
  writeFileSync(file, text);
  // The secrets' files exist only on the VM: their variables stand in for them here.
  return resolveSettings(readConfigFile(file), { PILOT_WAYPOINT_TOKEN: 'x', PILOT_WEBHOOK_SECRET: 'y' });
}

/** Lines that look like a secret written into the text. */
function secretLooking(text: string): string[] {
  const patterns = [/PRIVATE KEY/, /-----BEGIN/, /\bAKIA[0-9A-Z]{16}\b/, /\bya29\./, /\btoken:\s*['"]?[A-Za-z0-9+/_.=-]{12,}/i, /\b(secret|password):\s*['"]?[A-Za-z0-9+/_.=-]{8,}/i];
  return text.split('\n').filter((line) => patterns.some((p) => p.test(line)));
}

/** Ways Docker's API could be put on TCP. */
function dockerTcp(text: string): string[] {
  return text.split('\n').filter((line) => /tcp:\/\/|DOCKER_HOST|\b237[56]\b|dockerd\b.*-H\b/.test(line));
}

afterAll(() => {
  spawnSync('rm', ['-rf', scratch]);
});

describe('each check can fail', () => {
  it('cloud-init schema refuses a broken config', () => {
    const result = cloudInitSchema('#cloud-config\npackages: 3\nwrite_files: [{ content: x }]\n', 'broken.yaml');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/packages: 3 is not of type 'array'/);
  });

  it('shellcheck refuses a script with an unquoted variable', () => {
    const result = shellcheck({ 'bad.sh': '#!/usr/bin/env bash\nset -euo pipefail\nrm -rf $1/x\n' });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/SC2086/);
  });

  it("the daemon's config reader refuses a token written into the file", () => {
    expect(() => loadConfig('waypoint:\n  address: 127.0.0.1:9701\n  token: abc\n')).toThrow(/token/);
  });

  it('the secret and Docker checks find what they look for', () => {
    expect(secretLooking('key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\ntoken: s3cr3tvalue1234567\n')).toEqual(['  -----BEGIN RSA PRIVATE KEY-----', 'token: s3cr3tvalue1234567']);
    expect(secretLooking('token:\n  file: /var/lib/pilot/waypoint-token\n')).toEqual([]);
    expect(dockerTcp('{ "hosts": ["tcp://0.0.0.0:2375", "unix:///var/run/docker.sock"] }')).toHaveLength(1);
  });
});

describe('renderUserData', () => {
  const rendered = matrix.map(({ label, options }) => ({ label, options, text: renderUserData(options) }));

  it.each(rendered)('passes cloud-init schema: $label', ({ label, text }) => {
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    const result = cloudInitSchema(text, `${label.replace(/\W+/g, '-')}.yaml`);
    expect(result.output).toMatch(/Valid cloud-config/);
    expect(result.output).not.toMatch(/deprecat|error/i);
    expect(result.code).toBe(0);
  });

  it.each(rendered)('every embedded script passes shellcheck: $label', ({ text }) => {
    const scripts = Object.fromEntries(filesOf(text).filter((f) => f.path.endsWith('.sh')).map((f) => [path.basename(f.path), f.content]));
    expect(Object.keys(scripts).sort()).toEqual(['build-runner-image.sh', 'configure.sh', 'fetch-pilot-package.sh', 'fetch-webhook-secret.sh', 'install-pilot.sh', 'metadata.sh', 'runner-token.sh']);
    for (const content of Object.values(scripts)) expect(content.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    const result = shellcheck(scripts);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(rendered)("its daemon config passes the daemon's config validation: $label", ({ options, text }) => {
    const settings = loadConfig(fileOf(text, '/etc/pilot/pilot.config.base.yaml'));
    expect(settings.repository).toEqual({ url: options.repo, branch: options.branch });
    expect(settings.waypoint).toEqual({ address: '127.0.0.1:9701', tls: 'skip-verify', token: 'x' });
    expect(settings.http).toMatchObject({ host: '127.0.0.1', port: 7900, ...(options.domain ? { publicUrl: `https://${options.domain}` } : {}) });
    expect(settings.clouds.terraform?.backend).toEqual(options.cloud === 'aws' ? { s3: { bucket: 'acme-pilot-state', region: 'us-east-1' } } : { gcs: { bucket: 'acme-pilot-state' } });
    const raw = parse(fileOf(text, '/etc/pilot/pilot.config.base.yaml')) as { waypoint: { token: unknown }; webhooks: { secrets: unknown[] } };
    expect(raw.waypoint.token).toEqual({ file: '/var/lib/pilot/waypoint-token', bootstrap: true });
    expect(raw.webhooks.secrets).toEqual([{ file: '/etc/pilot/webhook-secret' }]);
  });

  it.each(rendered)('holds no secret and gives Docker no TCP host: $label', ({ text }) => {
    expect(secretLooking(text)).toEqual([]);
    expect(dockerTcp(text)).toEqual([]);
    const daemon = JSON.parse(fileOf(text, '/etc/docker/daemon.json')) as Record<string, unknown>;
    expect(daemon).not.toHaveProperty('hosts');
    expect(daemon['log-opts']).toEqual({ 'max-size': '50m', 'max-file': '3' });
  });

  it.each(rendered)('carries the facts of its options: $label', ({ options, text }) => {
    const env = fileOf(text, '/etc/pilot/boot.env');
    expect(env).toContain(`PILOT_CLOUD='${options.cloud}'\n`);
    expect(env).toContain(`PILOT_DOMAIN='${options.domain ?? ''}'\n`);
    expect(env).toContain(`PILOT_SSH='${options.sshCidr !== undefined}'\n`);
    expect(env).toContain(`PILOT_SHARE_NETWORK='${options.shareDatabaseNetwork}'\n`);
    const doc = parse(text) as { packages: unknown[]; apt: { sources: Record<string, { source: string; keyid: string }> }; runcmd: string[][] };
    expect(doc.packages).toContainEqual(['terraform', '1.11.4-1']);
    expect(doc.packages).toEqual(expect.arrayContaining(['docker.io', 'caddy', 'nodejs']));
    for (const source of Object.values(doc.apt.sources)) {
      expect(source.source).toContain('[signed-by=$KEY_FILE]');
      expect(source.keyid).toMatch(/^[0-9A-F]{40}$/);
    }
    expect(doc.runcmd).toEqual([['/usr/local/lib/pilot/install-pilot.sh']]);
  });

  it('is the same text for the same options, and another for others', () => {
    for (const { options, text } of rendered) expect(renderUserData(structuredClone(options))).toBe(text);
    expect(new Set(rendered.map((r) => r.text)).size).toBe(rendered.length);
  });

  it('embeds deploy/cloud-init/pilot.service as it is', () => {
    const { text } = rendered[0]!;
    expect(fileOf(text, '/etc/systemd/system/pilot.service')).toBe(readFileSync(path.join(deployDir, 'cloud-init', 'pilot.service'), 'utf8'));
  });

  it.each([
    ['repo', { repo: 'https://github.com/acme/infra.git\nruncmd: [reboot]' }],
    ['repo', { repo: "https://github.com/acme/in'fra.git" }],
    ['repo', { repo: 'https://user:pass@github.com/acme/infra.git' }],
    ['repo', { repo: 'ssh://-oProxyCommand=x/acme/infra.git' }],
    ['branch', { branch: 'main"; reboot' }],
    ['domain', { domain: 'pilot.example.com\n' }],
    ['runnerImage', { runnerImage: 'ghcr.io/acme/pilot-runner:latest' }],
    ['pilotPackage', { pilotPackage: '--registry=https://evil.example/ pilot' }],
    ['pilotPackage', { pilotPackage: 'pilot@$(reboot)' }],
    ['name', { name: 'Pilot/../x' }],
    ['region', { region: 'us-east-1; reboot' }],
    ['stateBucket', { stateBucket: 'a' }],
    ['gcpProject', { cloud: 'gcp' as const, region: 'us-central1' }],
  ])('refuses a %s that could break a file: %j', (option, extra) => {
    expect(() => renderUserData({ ...options('aws'), ...extra })).toThrow(new RegExp(`bootstrap option ${option}:`));
  });
});

describe('deploy/cloud-init', () => {
  it('every shell script passes shellcheck and starts as the others do', () => {
    const dir = path.join(deployDir, 'cloud-init');
    const scripts = readdirSync(dir).filter((f) => f.endsWith('.sh'));
    expect(scripts.length).toBeGreaterThanOrEqual(5);
    for (const name of scripts) expect(readFileSync(path.join(dir, name), 'utf8')).toMatch(/^#!\/usr\/bin\/env bash\n(#.*\n)*set -euo pipefail\n/);
    const result = run('shellcheck', ['-x', ...scripts], { cwd: dir });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});

/** The boot scripts as they are on the VM, with the test's boot.env and folders. */
function vmFolder(text: string): { lib: string; etc: string; env: NodeJS.ProcessEnv } {
  const base = mkdtempSync(path.join(scratch, 'vm-'));
  const lib = path.join(base, 'lib');
  const etc = path.join(base, 'etc');
  mkdirSync(lib);
  mkdirSync(etc);
  mkdirSync(path.join(base, 'caddy'));
  for (const file of filesOf(text)) {
    if (file.path.startsWith('/usr/local/lib/pilot/')) writeFileSync(path.join(lib, path.basename(file.path)), file.content);
    if (file.path.startsWith('/etc/pilot/')) writeFileSync(path.join(etc, path.basename(file.path)), file.content);
  }
  const user = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
  return {
    lib, etc,
    env: { PILOT_BOOT_ENV: path.join(etc, 'boot.env'), PILOT_ETC: etc, PILOT_CADDY_DIR: path.join(base, 'caddy'), PILOT_USER: user, PILOT_CADDY_GROUP: group, PILOT_RETRY_SECONDS: '10' },
  };
}

describe('the boot scripts against stand-ins of the clouds', () => {
  const standIns: StandIn[] = [];
  afterAll(async () => { await Promise.all(standIns.map((s) => s.close())); });
  const key = { accessKeyId: 'ASIASTANDIN000000001', secretAccessKey: 'stand-in-secret-access-key' };
  const sessionToken = 'stand-in-session-token';
  const webhookSecret = 'whsec-stand-in-0123456789';

  async function imds(): Promise<StandIn> {
    const sessions = new Set<string>();
    const standIn = await startStandIn((req, res) => {
      if (req.method === 'PUT' && req.path === '/latest/api/token') {
        const token = `imds-${sessions.size}`;
        sessions.add(token);
        return send(res, 200, 'text/plain', token);
      }
      // IMDSv2 only: without a session token, 401.
      if (!sessions.has(String(req.headers['x-aws-ec2-metadata-token']))) return send(res, 401, 'text/plain', 'Unauthorized');
      switch (req.path) {
        case '/latest/meta-data/iam/security-credentials/': return send(res, 200, 'text/plain', 'pilot-vm');
        case '/latest/meta-data/iam/security-credentials/pilot-vm':
          return sendJson(res, 200, { Code: 'Success', AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey, Token: sessionToken });
        case '/latest/meta-data/public-ipv4': return send(res, 200, 'text/plain', '203.0.113.10');
        default: return send(res, 404, 'text/plain', 'Not Found');
      }
    });
    standIns.push(standIn);
    return standIn;
  }

  it('fetch-webhook-secret.sh reads the secret on AWS with IMDSv2 and a SigV4-signed GetSecretValue, retrying while it is denied', async () => {
    const metadata = await imds();
    let denials = 1;
    const secrets = await startStandIn((req, res) => {
      const failure = verifySigV4(req, key, 'secretsmanager', true);
      if (failure) return sendJson(res, failure.status, { __type: failure.code, message: failure.message });
      if (req.headers['x-amz-security-token'] !== sessionToken) return sendJson(res, 403, { __type: 'UnrecognizedClientException' });
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') return sendJson(res, 400, { __type: 'UnknownOperationException' });
      // IAM propagation: the first call is denied.
      if (denials-- > 0) return sendJson(res, 400, { __type: 'AccessDeniedException' });
      const { SecretId } = JSON.parse(req.body.toString()) as { SecretId: string };
      if (SecretId !== 'pilot/webhook-secret') return sendJson(res, 400, { __type: 'ResourceNotFoundException' });
      return sendJson(res, 200, { Name: SecretId, SecretString: webhookSecret });
    });
    standIns.push(secrets);
    const vm = vmFolder(renderUserData(options('aws')));
    const secretFile = path.join(vm.etc, 'webhook-secret');
    const env = { ...vm.env, PILOT_WEBHOOK_SECRET_FILE: secretFile, PILOT_AWS_METADATA_URL: metadata.url, PILOT_SECRETS_MANAGER_URL: secrets.url };
    const first = await runScript(path.join(vm.lib, 'fetch-webhook-secret.sh'), env);
    expect(first.output).toMatch(/not ready yet/);
    expect(first.code).toBe(0);
    expect(readFileSync(secretFile, 'utf8')).toBe(webhookSecret);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(first.output).not.toContain(webhookSecret);
    expect(first.output).not.toContain(key.secretAccessKey);
    // Kept once fetched: a second run asks nothing.
    const calls = secrets.requests.length;
    expect((await runScript(path.join(vm.lib, 'fetch-webhook-secret.sh'), env)).code).toBe(0);
    expect(secrets.requests.length).toBe(calls);
  });

  it('fetch-webhook-secret.sh reads the secret on GCP with the metadata token and Secret Manager', async () => {
    const metadata = await startMetadataStandIn('acme-prod');
    standIns.push(metadata);
    const secrets = await startStandIn((req, res) => {
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!metadata.isValidToken(token)) return sendJson(res, 401, { error: { code: 401, status: 'UNAUTHENTICATED' } });
      if (req.path !== '/v1/projects/acme-prod/secrets/pilot-webhook-secret/versions/latest:access') return sendJson(res, 404, { error: { code: 404 } });
      return sendJson(res, 200, { name: 'projects/1/secrets/pilot-webhook-secret/versions/1', payload: { data: Buffer.from(webhookSecret).toString('base64') } });
    });
    standIns.push(secrets);
    const vm = vmFolder(renderUserData(options('gcp')));
    const secretFile = path.join(vm.etc, 'webhook-secret');
    const result = await runScript(path.join(vm.lib, 'fetch-webhook-secret.sh'), { ...vm.env, PILOT_WEBHOOK_SECRET_FILE: secretFile, PILOT_GCP_METADATA_URL: metadata.url, PILOT_SECRET_MANAGER_URL: secrets.url });
    expect(result.code).toBe(0);
    expect(readFileSync(secretFile, 'utf8')).toBe(webhookSecret);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(result.output).not.toContain(webhookSecret);
  });

  const tarball = Buffer.from('pretend this is pilot-0.1.0.tgz\n');
  const tarballSha = createHash('sha256').update(tarball).digest('hex');
  const bundled = (cloud: 'aws' | 'gcp') => options(cloud, { pilotPackage: 'pilot-0.1.0.tgz', pilotBundle: { file: 'pilot-0.1.0.tgz', key: `bootstrap/packages/pilot-0.1.0-${tarballSha.slice(0, 12)}.tgz`, sha256: tarballSha } });

  it('with a bundle, the user-data is valid cloud-config and tells the scripts what to fetch and check', () => {
    const text = renderUserData(bundled('aws'));
    expect(cloudInitSchema(text, 'bundled.yaml').code).toBe(0);
    const env = fileOf(text, '/etc/pilot/boot.env');
    expect(env).toContain(`PILOT_BUNDLE_SHA256='${tarballSha}'`);
    expect(env).toContain("PILOT_STATE_BUCKET='acme-pilot-state'");
    expect(fileOf(renderUserData(options('aws')), '/etc/pilot/boot.env')).toContain("PILOT_BUNDLE_KEY=''");
    expect(() => renderUserData({ ...bundled('aws'), pilotBundle: { ...bundled('aws').pilotBundle!, sha256: 'abc' } })).toThrow(/pilotBundle.sha256/);
  });

  it('fetch-pilot-package.sh gets the bundle from S3 with a SigV4-signed GetObject, and keeps it only when its SHA-256 matches', async () => {
    const metadata = await imds();
    let served = Buffer.from('an upload still under way');
    const s3 = await startStandIn((req, res) => {
      const failure = verifySigV4(req, key, 's3', false);
      if (failure) return send(res, failure.status, 'application/xml', `<Error><Code>${failure.code}</Code></Error>`);
      if (req.headers['x-amz-security-token'] !== sessionToken) return send(res, 403, 'application/xml', '<Error><Code>InvalidToken</Code></Error>');
      if (req.method !== 'GET' || req.path !== `/bootstrap/packages/pilot-0.1.0-${tarballSha.slice(0, 12)}.tgz`) return send(res, 404, 'application/xml', '<Error><Code>NoSuchKey</Code></Error>');
      const body = served;
      served = tarball;
      return send(res, 200, 'application/gzip', body.toString());
    });
    standIns.push(s3);
    const vm = vmFolder(renderUserData(bundled('aws')));
    const dir = path.join(vm.etc, 'bundle');
    const env = { ...vm.env, PILOT_BUNDLE_DIR: dir, PILOT_AWS_METADATA_URL: metadata.url, PILOT_S3_URL: s3.url };
    const first = await runScript(path.join(vm.lib, 'fetch-pilot-package.sh'), env);
    expect(first.output).toMatch(/not ready yet/);
    expect(first.code).toBe(0);
    expect(readFileSync(path.join(dir, 'pilot-0.1.0.tgz'))).toEqual(tarball);
    expect(readdirSync(dir)).toEqual(['pilot-0.1.0.tgz']);
    expect(first.output).not.toContain(key.secretAccessKey);
    const calls = s3.requests.length;
    expect((await runScript(path.join(vm.lib, 'fetch-pilot-package.sh'), env)).code).toBe(0);
    expect(s3.requests.length).toBe(calls);
  });

  it('fetch-pilot-package.sh gets the bundle from Cloud Storage, and gives up leaving nothing when the bytes never match', async () => {
    const metadata = await startMetadataStandIn('acme-prod');
    standIns.push(metadata);
    const gcs = await startStandIn((req, res) => {
      if (!metadata.isValidToken(String(req.headers.authorization ?? '').replace(/^Bearer /, ''))) return sendJson(res, 401, { error: { code: 401 } });
      const expected = `/storage/v1/b/acme-pilot-state/o/${encodeURIComponent(`bootstrap/packages/pilot-0.1.0-${tarballSha.slice(0, 12)}.tgz`)}`;
      if (req.path !== expected || !req.url.endsWith('?alt=media')) return sendJson(res, 404, { error: { code: 404 } });
      return send(res, 200, 'application/gzip', tarball.toString());
    });
    standIns.push(gcs);
    const vm = vmFolder(renderUserData(bundled('gcp')));
    const dir = path.join(vm.etc, 'bundle');
    const result = await runScript(path.join(vm.lib, 'fetch-pilot-package.sh'), { ...vm.env, PILOT_BUNDLE_DIR: dir, PILOT_GCP_METADATA_URL: metadata.url, PILOT_GCS_URL: gcs.url });
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, 'pilot-0.1.0.tgz'))).toEqual(tarball);

    const tampered = vmFolder(renderUserData({ ...bundled('gcp'), pilotBundle: { ...bundled('gcp').pilotBundle!, sha256: 'f'.repeat(64) } }));
    const gaveUp = await runScript(path.join(tampered.lib, 'fetch-pilot-package.sh'), { ...tampered.env, PILOT_RETRY_SECONDS: '2', PILOT_BUNDLE_DIR: path.join(tampered.etc, 'bundle'), PILOT_GCP_METADATA_URL: metadata.url, PILOT_GCS_URL: gcs.url });
    expect(gaveUp.code).not.toBe(0);
    expect(gaveUp.output).toContain('gave up waiting for the Pilot package');
    expect(readdirSync(path.join(tampered.etc, 'bundle'))).toEqual([]);
  });

  it('fetch-webhook-secret.sh gives up, writing nothing, when the secret stays unreadable', async () => {
    const metadata = await imds();
    const secrets = await startStandIn((_req, res) => sendJson(res, 400, { __type: 'AccessDeniedException' }));
    standIns.push(secrets);
    const vm = vmFolder(renderUserData(options('aws')));
    const secretFile = path.join(vm.etc, 'webhook-secret');
    const result = await runScript(path.join(vm.lib, 'fetch-webhook-secret.sh'), { ...vm.env, PILOT_RETRY_SECONDS: '2', PILOT_WEBHOOK_SECRET_FILE: secretFile, PILOT_AWS_METADATA_URL: metadata.url, PILOT_SECRETS_MANAGER_URL: secrets.url });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/gave up waiting for the webhook secret/);
    expect(readdirSync(vm.etc).filter((f) => f.startsWith('webhook-secret'))).toEqual([]);
  });

  it('configure.sh, without a domain, makes a certificate for the public IP, prints its fingerprint, and writes a config the daemon accepts; again, it changes nothing', async () => {
    const metadata = await imds();
    const vm = vmFolder(renderUserData(options('aws')));
    const env = { ...vm.env, PILOT_AWS_METADATA_URL: metadata.url };
    const first = await runScript(path.join(vm.lib, 'configure.sh'), env);
    expect(first.code, first.output).toBe(0);
    const caddy = vm.env.PILOT_CADDY_DIR!;
    const fingerprint = run('openssl', ['x509', '-in', path.join(caddy, 'tls', 'pilot.crt'), '-noout', '-fingerprint', '-sha256']).output.replace(/.*=/, '').replace(/:/g, '').trim().toLowerCase();
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(first.output).toContain(`pilot: TLS certificate sha256 fingerprint ${fingerprint}\n`);
    expect(run('openssl', ['x509', '-in', path.join(caddy, 'tls', 'pilot.crt'), '-noout', '-checkip', '203.0.113.10']).output).toMatch(/does match/);
    const caddyfile = readFileSync(path.join(caddy, 'Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(/^203\.0\.113\.10 \{$/m);
    expect(caddyfile).toContain('default_sni 203.0.113.10');
    expect(caddyfile).toContain('reverse_proxy 127.0.0.1:7900');
    const configFile = path.join(vm.etc, 'pilot.config.yaml');
    const config = readFileSync(configFile, 'utf8');
    expect(loadConfig(config).http.publicUrl).toBe('https://203.0.113.10');
    expect(statSync(configFile).mode & 0o777).toBe(0o640);

    const second = await runScript(path.join(vm.lib, 'configure.sh'), env);
    expect(second.code).toBe(0);
    expect(second.output).toContain(`pilot: TLS certificate sha256 fingerprint ${fingerprint}\n`);
    expect(second.output).not.toMatch(/wrote/);
    expect(readFileSync(configFile, 'utf8')).toBe(config);
    expect(readFileSync(path.join(caddy, 'Caddyfile'), 'utf8')).toBe(caddyfile);
  });

  it('configure.sh, with a domain and a shared GCP network, names both', async () => {
    const standIn = await startStandIn((req, res) => {
      if (req.headers['metadata-flavor'] !== 'Google') return send(res, 403, 'text/plain', 'Missing Metadata-Flavor:Google header.');
      if (req.path === '/computeMetadata/v1/instance/network-interfaces/0/network') return send(res, 200, 'application/text', 'projects/123456789/networks/pilot-network');
      return send(res, 404, 'text/plain', 'Not Found');
    });
    standIns.push(standIn);
    const vm = vmFolder(renderUserData(options('gcp', { domain: 'pilot.example.com', shareDatabaseNetwork: true })));
    const result = await runScript(path.join(vm.lib, 'configure.sh'), { ...vm.env, PILOT_GCP_METADATA_URL: standIn.url });
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/fingerprint/);
    const caddyfile = readFileSync(path.join(vm.env.PILOT_CADDY_DIR!, 'Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(/^pilot\.example\.com \{$/m);
    expect(caddyfile).toContain('disable_http_challenge');
    const settings = loadConfig(readFileSync(path.join(vm.etc, 'pilot.config.yaml'), 'utf8'));
    expect(settings.http.publicUrl).toBe('https://pilot.example.com');
    expect(settings.clouds.gcp).toEqual({ network: 'pilot-network' });
  });
});
