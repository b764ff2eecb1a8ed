// The daemon's configuration: pilot.config.yaml, PILOT_* variables and flags. Every
// error names the key (and, in the file, file:line:col); secrets come from variables or
// files only their owner can read, and never reach a message.

import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../src/app/settings-file.js';
import { manifestRepositoryOf } from '../src/app/github.js';
import { resolveSettings as resolveConfig } from '../src/app/settings.js';
import { webUrlOf } from '../src/sources/github/api/settings.js';
import { cli } from './support/cli.js';
import { removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';

afterAll(removeTemporaryFolders);

/** `pilot serve --config pilot.config.yaml ...` in a folder holding `text`. */
async function serve(text: string, extra: string[] = [], env: Record<string, string> = {}) {
  const dir = await temporaryFolder('pilot-config-');
  await writeFile(path.join(dir, 'pilot.config.yaml'), text);
  return cli(['serve', '--config', 'pilot.config.yaml', ...extra], { cwd: dir, env });
}

async function secretFile(value: string, mode: number): Promise<string> {
  const file = path.join(await temporaryFolder('pilot-secret-'), 'secret.txt');
  await writeFile(file, `${value}\n`);
  await chmod(file, mode);
  return file;
}

const waypointOnly = 'waypoint:\n  address: 127.0.0.1:9701\n  tls: off\n';

describe('pilot.config.yaml errors', () => {
  it('names the file, line and column of a bad duration', async () => {
    const result = await serve(`# the daemon\n${waypointOnly}pollInterval: 30s\ndriftInterval: 10 minutes\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('pilot serve: configuration: pilot.config.yaml:6:16: driftInterval: "10 minutes" is not valid: use a duration such as 30s, 10m or 1h\n');
  });

  it('names the key of a value of the wrong type and of an unknown key', async () => {
    const result = await serve(`${waypointOnly}http:\n  port: eighty\nconcurency: 2\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pilot serve: configuration: pilot\.config\.yaml:\d+:\d+: /);
    expect(result.stderr).toMatch(/pilot\.config\.yaml:5:9: http\.port: expected a whole number, got the string "eighty"$/m);
    expect(result.stderr).toMatch(/pilot\.config\.yaml:6:1: concurency: unknown key "concurency": did you mean "concurrency"\?$/m);
  });

  it('says when the file cannot be read', async () => {
    const result = await cli(['serve', '--config', 'missing.yaml'], { cwd: await temporaryFolder('pilot-config-'), env: {} });
    expect(result).toMatchObject({ code: 1, stderr: expect.stringMatching(/missing\.yaml: cannot read the config file/) });
  });
});

describe('errors from variables and flags name the key', () => {
  it('a bad duration given as --poll is wrong usage (exit 2)', async () => {
    const result = await cli(['serve', '--poll', '10x', '--repo', 'file:///nowhere.git'], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--poll: "10x" is not a duration/);
  });

  it('a bad duration given as PILOT_DRIFT_INTERVAL', async () => {
    const result = await cli(['serve', '--repo', 'file:///nowhere.git'], { env: { PILOT_DRIFT_INTERVAL: 'ten' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PILOT_DRIFT_INTERVAL|driftInterval/);
  });

  it('a bad port, TLS mode or concurrency from a variable is a configuration error (exit 1)', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PILOT_PORT: 'abc' }, /http\.port: use a port number from 0 to 65535/],
      [{ PILOT_WAYPOINT_ADDR: '127.0.0.1:9701', PILOT_WAYPOINT_TLS: 'bogus' }, /PILOT_WAYPOINT_TLS: "bogus" is not verify, skip-verify or off/],
      [{ PILOT_CONCURRENCY: '0' }, /concurrency: use a whole number of 1 or more/],
      [{ PILOT_CLOUDS: 'aws' }, /PILOT_CLOUDS: "aws" is not terraform, stand-in or off/],
    ];
    for (const [env, message] of cases) {
      const result = await cli(['serve', '--repo', 'file:///nowhere.git'], { env });
      expect(result.code, JSON.stringify(env)).toBe(1);
      expect(result.stderr).toMatch(message);
    }
  });

  it('the same from a flag is wrong usage (exit 2), and names the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', 'abc'], /--port takes a whole number from 0 to 65535, not "abc"/],
      [['--waypoint', '127.0.0.1:9701', '--waypoint-tls', 'bogus'], /--waypoint-tls must be one of verify, skip-verify, off, not "bogus"/],
      [['--concurrency', '0'], /--concurrency takes a whole number of 1 or more, not "0"/],
      [['--clouds', 'on'], /--clouds must be one of terraform, stand-in, off, not "on"/],
      [['--log-level', 'loud'], /--log-level must be one of trace, debug, info, warn, error, fatal, silent, not "loud"/],
    ];
    for (const [flags, message] of cases) {
      const result = await cli(['serve', '--repo', 'file:///nowhere.git', ...flags], { env: {} });
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain("Run 'pilot serve --help' for usage.");
    }
  });
});

describe('clouds', () => {
  it('reads the clouds section, PILOT_CLOUDS over it and --clouds over both; terraform by default', () => {
    const { repository: _r, waypoint: _w, webhooks: _h, github: _g, http: _t, ...raw } = readConfigFile(fileURLToPath(new URL('../examples/pilot.config.yaml', import.meta.url)));
    expect(resolveConfig(raw, {}).clouds).toMatchObject({ mode: 'terraform', terraform: { backend: { s3: { bucket: 'acme-pilot-state' } } }, aws: { network: { vpcId: 'vpc-0a1b2c3d4e5f67890' } } });
    expect(resolveConfig(raw, { PILOT_CLOUDS: 'stand-in' }).clouds.mode).toBe('stand-in');
    expect(resolveConfig(raw, { PILOT_CLOUDS: 'stand-in' }, { clouds: 'off' }).clouds.mode).toBe('off');
    expect(resolveConfig({}, {}).clouds).toEqual({ mode: 'terraform' });
    // The daemon honours the same variables for the binary and the mirror as the CLI does.
    expect(resolveConfig(raw, { PILOT_TERRAFORM: '/opt/terraform', PILOT_TERRAFORM_MIRROR: '/srv/mirror' }).clouds.terraform).toMatchObject({
      binary: '/opt/terraform', mirror: '/srv/mirror', backend: { s3: { bucket: 'acme-pilot-state' } },
    });
  });

  it('names file, line and column of a bad clouds setting', async () => {
    const result = await serve(`${waypointOnly}clouds:\n  aws:\n    network:\n      vpcId: vpc-1\n`, ['--repo', 'file:///nowhere.git']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pilot\.config\.yaml:\d+:\d+: clouds\.aws\.network/);
  });
});

describe('secrets', () => {
  const value = 'whsec-from-a-file-7c1d93aa0e';

  it('refuses a secret file other users can read, without showing its value', async () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const file = await secretFile(value, mode);
      const result = await serve(`${waypointOnly}webhooks:\n  secrets:\n    - file: ${file}\n`);
      expect(result.code, mode.toString(8)).toBe(1);
      expect(result.stderr).toBe(`pilot serve: configuration: webhooks.secrets[0]: ${file} can be read by other users; run chmod 600 ${file}\n`);
      expect(result.stdout + result.stderr).not.toContain(value);
    }
    const token = await secretFile(value, 0o644);
    const result = await serve(`waypoint:\n  address: 127.0.0.1:9701\n  token: { file: ${token} }\n`);
    expect(result.stderr).toContain(`waypoint.token: ${token} can be read by other users`);
  });

  it('reads a secret file only its owner can read, and a variable; names the key of one that is missing', async () => {
    const file = await secretFile(value, 0o600);
    const raw = readConfigFile(path.join(await writeConfig(`${waypointOnly}  token: { env: WP_TOKEN }\nwebhooks:\n  secrets: [{ file: ${file} }, { env: OLD_SECRET }]\n`), 'pilot.config.yaml'));
    const config = resolveConfig(raw, { WP_TOKEN: 'wp-from-env', OLD_SECRET: 'old-secret' });
    expect(config.waypoint).toEqual({ address: '127.0.0.1:9701', tls: 'off', token: 'wp-from-env' });
    expect(config.webhookSecrets).toEqual([value, 'old-secret']);
    expect(() => resolveConfig(raw, { OLD_SECRET: 'old-secret' })).toThrow('waypoint.token: the variable WP_TOKEN is not set');

    // Through `pilot serve`: the file is accepted, and the next problem is reported.
    const result = await serve(`${waypointOnly}webhooks:\n  secrets:\n    - file: ${file}\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pilot serve: no manifest repository/);
  });
});

describe('precedence', () => {
  it('takes the file, then PILOT_* variables, then flags', async () => {
    const raw = readConfigFile(path.join(await writeConfig(`${waypointOnly}repository:\n  url: https://github.com/acme/infra.git\npollInterval: 5m\ndriftInterval: 1h\nselfHeal: true\nhttp: { port: 8000 }\n`), 'pilot.config.yaml'));
    const config = resolveConfig(raw, { PILOT_POLL_INTERVAL: '30s', PILOT_DRIFT_INTERVAL: '2m', PILOT_PORT: '8100', PILOT_REPO_TOKEN: 'repo-token' }, { drift: '1s', selfHeal: false });
    expect(config).toMatchObject({
      repository: { url: 'https://github.com/acme/infra.git', branch: 'main', token: 'repo-token' },
      pollMs: 30_000, driftMs: 1_000, selfHeal: false, http: { host: '127.0.0.1', port: 8100 },
    });
  });
});

async function writeConfig(text: string): Promise<string> {
  const dir = await temporaryFolder('pilot-config-');
  await writeFile(path.join(dir, 'pilot.config.yaml'), text);
  return dir;
}

describe('sources: credentials for private app repositories', () => {
  it('reads a token reference for a host, and the manifest repository stands in when there is none', async () => {
    const file = path.join(await temporaryFolder('pilot-config-'), 'pilot.config.yaml');
    await writeFile(file, `${waypointOnly}sources:\n  host: github.com\n  token: { env: APP_TOKEN }\n`);
    const config = resolveConfig(readConfigFile(file), { APP_TOKEN: 'ghs_apps' });
    expect(config.sources).toEqual({ host: 'github.com', token: 'ghs_apps' });
    const fallback = resolveConfig({ repository: { url: 'https://git.acme.dev/infra.git' } }, { PILOT_REPO_TOKEN: 'manifest-token' });
    expect(fallback.sources).toEqual({ host: 'git.acme.dev', token: 'manifest-token' });
  });

  it('refuses an unknown key with its place in the file', async () => {
    const file = path.join(await temporaryFolder('pilot-config-'), 'pilot.config.yaml');
    await writeFile(file, `${waypointOnly}sources:\n  hots: github.com\n`);
    expect(() => readConfigFile(file)).toThrow(/pilot\.config\.yaml:5:3: sources/);
  });
});

describe('github: how the daemon reaches GitHub', () => {
  const key = '-----BEGIN PRIVATE KEY-----\nMIIE-not-a-real-key\n-----END PRIVATE KEY-----\n';

  it('reads an App from the file, its key from a file of mode 0600, and derives the web address', async () => {
    const dir = await temporaryFolder('pilot-config-');
    const pem = path.join(dir, 'app.pem');
    await writeFile(pem, key, { mode: 0o600 });
    const file = path.join(dir, 'pilot.config.yaml');
    await writeFile(file, `${waypointOnly}github:\n  apiUrl: https://ghe.acme.dev/api/v3/\n  app: { id: 1234, privateKey: { file: ${pem} }, installationId: 99 }\n  deployments: false\n`);
    const config = resolveConfig(readConfigFile(file), {});
    expect(config.github).toEqual({ apiUrl: 'https://ghe.acme.dev/api/v3', app: { id: 1234, privateKey: key.trim(), installationId: 99 }, comments: true, deployments: false });
    expect(webUrlOf(config.github!.apiUrl)).toBe('https://ghe.acme.dev');
    expect(webUrlOf('https://api.github.com')).toBe('https://github.com');
  });

  it('takes a token or an App from PILOT_* variables, and says what is missing', () => {
    expect(resolveConfig({}, { PILOT_GITHUB_TOKEN: 'ghp_x' }).github).toEqual({ apiUrl: 'https://api.github.com', token: 'ghp_x', comments: true, deployments: true });
    expect(resolveConfig({}, { PILOT_GITHUB_APP_ID: '7', PILOT_GITHUB_APP_PRIVATE_KEY: key }).github?.app).toEqual({ id: 7, privateKey: key });
    expect(() => resolveConfig({}, { PILOT_GITHUB_APP_ID: '7' })).toThrow(/github\.app: set privateKey .*PILOT_GITHUB_APP_PRIVATE_KEY/);
    expect(() => resolveConfig({}, { PILOT_GITHUB_APP_ID: 'seven', PILOT_GITHUB_APP_PRIVATE_KEY: key })).toThrow(/PILOT_GITHUB_APP_ID: use the App ID/);
    expect(resolveConfig({}, {}).github).toBeUndefined();
  });

  it('refuses an app without its key, with its place in the file', async () => {
    const file = path.join(await temporaryFolder('pilot-config-'), 'pilot.config.yaml');
    await writeFile(file, `${waypointOnly}github:\n  app: { id: 12 }\n`);
    expect(() => readConfigFile(file)).toThrow(/pilot\.config\.yaml:5:3: github\.app/);
  });

  it('finds the manifest repository on GitHub from its URL, unless it is elsewhere', () => {
    const github = { apiUrl: 'https://api.github.com', token: 't', comments: true, deployments: true };
    expect(manifestRepositoryOf(resolveConfig({ repository: { url: 'git@github.com:acme/infra.git' } }, { PILOT_GITHUB_TOKEN: 't' }))).toBe('acme/infra');
    expect(manifestRepositoryOf({ ...resolveConfig({ repository: { url: 'https://gitlab.com/acme/infra.git' } }, {}), github })).toBeUndefined();
    expect(manifestRepositoryOf({ ...resolveConfig({ repository: { url: 'file:///srv/infra.git' } }, {}), github: { ...github, repository: 'acme/infra' } })).toBe('acme/infra');
  });
});

describe('the state store and remote Terraform state', () => {
  it('takes state.url from the file, a reference, or PILOT_STATE_URL over both', async () => {
    expect(resolveConfig({ state: { url: 'postgres://pilot@db.internal:5432/pilot' } }, {}).stateUrl).toBe('postgres://pilot@db.internal:5432/pilot');
    const file = await secretFile('postgres://pilot:s3cret@db.internal/pilot', 0o600);
    expect(resolveConfig({ state: { url: { file } } }, {}).stateUrl).toBe('postgres://pilot:s3cret@db.internal/pilot');
    expect(resolveConfig({ state: { url: { env: 'DB_URL' } } }, { DB_URL: 'postgres://a:b@h/d' }).stateUrl).toBe('postgres://a:b@h/d');
    expect(resolveConfig({ state: { url: 'sqlite:/x.db' } }, { PILOT_STATE_URL: 'postgres://a:b@h/d' }).stateUrl).toBe('postgres://a:b@h/d');
    expect(resolveConfig({}, {}).stateUrl).toBeUndefined();
  });

  it('refuses a password written in state.url, without showing it', async () => {
    const result = await serve(`${waypointOnly}state:\n  url: postgres://pilot:hunter2secret@db.internal/pilot\n`, ['--repo', 'file:///nowhere.git']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/state\.url: the URL holds a password: write it as \{ env: VARIABLE \} or \{ file: PATH \}/);
    expect(result.stderr).not.toContain('hunter2secret');
    const query = await serve(`${waypointOnly}state:\n  url: postgres://pilot@db.internal/pilot?password=hunter3secret\n`, ['--repo', 'file:///nowhere.git']);
    expect(query.code).toBe(1);
    expect(query.stderr).toMatch(/state\.url: the URL holds a password/);
    expect(query.stderr).not.toContain('hunter3secret');
  });

  it('names file, line and column of a state URL of no known kind and of a bad S3 endpoint', async () => {
    const result = await serve(`${waypointOnly}state:\n  url: mysql://db/pilot\nclouds:\n  terraform:\n    backend:\n      s3:\n        bucket: pilot-state\n        region: minio\n        endpoint: minio.internal:9000\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pilot\.config\.yaml:5:8: state\.url: /);
    expect(result.stderr).toMatch(/pilot\.config\.yaml:12:19: clouds\.terraform\.backend\.s3\.endpoint: /);
  });
});
