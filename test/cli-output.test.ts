// The CLI's shared conventions: `--format json` prints exactly one JSON document on
// stdout (nothing else, problems included), and exit codes mean the same everywhere:
// 0 ok, 1 the command ran and found a problem, 2 wrong usage.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, type CliResult } from './support/cli.js';
import { createManifestRepo, createSourceRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { manifestFiles } from './support/reconcile-manifests.js';

afterAll(removeTemporaryFolders);

/** The whole of stdout as one JSON document: any other text, or a second document, fails. */
function onlyJson(result: CliResult): Record<string, unknown> {
  let parsed: unknown;
  expect(() => (parsed = JSON.parse(result.stdout)), `stdout is not one JSON document:\n${result.stdout}\n${result.stderr}`).not.toThrow();
  expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
  return parsed as Record<string, unknown>;
}

/** A manifest repository whose one app's source is a local git repository. */
async function manifests(): Promise<string> {
  const source = await createSourceRepo('out-web');
  return (await createManifestRepo(manifestFiles({ name: 'out', apps: [{ name: 'web', repo: source.url, platform: 'ecs' }] }))).dir;
}

async function invalidManifests(): Promise<string> {
  const dir = await temporaryFolder('pilot-invalid-');
  await writeFile(path.join(dir, 'pilot.yaml'), 'apiVersion: pilot.dev/v1\nkind: Project\nname: Bad_Name\n');
  return dir;
}

const offline = async () => ({ PILOT_HOME: await temporaryFolder('pilot-home-'), PILOT_CLOUDS: 'off' });

describe('--format json prints one JSON document', () => {
  it('init: the folder, project, provider and the files written', async () => {
    const dir = path.join(await temporaryFolder('pilot-init-'), 'shop');
    const result = await cli(['init', dir, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(onlyJson(result)).toEqual({
      dir, project: 'shop', provider: 'aws',
      files: ['pilot.yaml', 'README.md', '.gitignore', '.pilot/pilot.schema.json'].map((f) => path.join(dir, f)),
    });
  });

  it('validate, render and synth, valid or not', async () => {
    const dir = await manifests();
    const bad = await invalidManifests();
    const out = await temporaryFolder('pilot-out-');
    const runs: [string[], number, Record<string, unknown>][] = [
      [['validate', dir], 0, { valid: true }],
      [['validate', bad], 1, { valid: false }],
      [['render', dir, '--out', out], 0, { files: [expect.objectContaining({ project: 'out', app: 'web' })] }],
      [['render', bad, '--out', out], 1, { files: [] }],
      [['synth', dir, '--out', out], 0, { stacks: expect.any(Array) }],
      [['synth', bad, '--out', out], 1, { stacks: [], problems: [expect.objectContaining({ path: 'name', severity: 'error' })] }],
    ];
    for (const [argv, code, shape] of runs) {
      const result = await cli([...argv, '--format', 'json'], { env: { PILOT_CLOUDS: 'off' } });
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(code);
      expect(onlyJson(result), argv.join(' ')).toMatchObject(shape);
    }
  });

  it('plan: the versioned plan, or the problems of invalid manifests, with exit 1', async () => {
    const planned = await cli(['plan', await manifests(), '--format', 'json'], { env: await offline() });
    expect(planned.code, planned.stderr).toBe(0);
    expect(onlyJson(planned)).toMatchObject({ version: 1, outcome: 'planned', offline: true, actions: expect.arrayContaining([expect.objectContaining({ id: 'deploy:out/web' })]) });

    const invalid = await cli(['plan', await invalidManifests(), '--format', 'json'], { env: await offline() });
    expect(invalid.code).toBe(1);
    expect(onlyJson(invalid)).toMatchObject({ version: 1, outcome: 'invalid', actions: [], problems: [expect.objectContaining({ file: 'pilot.yaml', path: 'name' })] });
    expect(invalid.stderr).toContain('are invalid; nothing would be applied');
  });

  it('new project and new app: what was added', async () => {
    const dir = await temporaryFolder('pilot-new-');
    const project = await cli(['new', 'project', dir, '--name', 'acme', '--provider', 'aws', '--region', 'us-east-1', '--format', 'json']);
    expect(onlyJson(project)).toEqual({ file: 'pilot.yaml', project: 'acme' });
    const app = await cli(['new', 'app', dir, '--name', 'api', '--platform', 'ecs', '--repo', 'https://github.com/acme/api.git', '--format', 'json']);
    expect(onlyJson(app)).toEqual({ file: 'pilot.yaml', project: 'acme', app: 'api' });
  });

  it('an error is a line on stderr, with nothing on stdout', async () => {
    const dir = await manifests();
    const result = await cli(['db', 'info', 'out/nope', dir, '--format', 'json'], { env: await offline() });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('pilot db info: project out has no database nope (databases: none)\n');
  });
});

describe('exit codes', () => {
  it('2 for a flag value that is not valid, on every command, naming the flag and pointing at --help', async () => {
    const dir = await manifests();
    const env = await offline();
    const cases: [string[], string][] = [
      [['apply', dir, '--once', '--concurrency', 'abc'], '--concurrency takes a whole number of 1 or more, not "abc"'],
      [['apply', dir, '--once', '--concurrency', '0'], '--concurrency takes a whole number of 1 or more, not "0"'],
      [['plan', dir, '--waypoint-tls', 'maybe'], '--waypoint-tls must be one of verify, skip-verify, off, not "maybe"'],
      [['plan', dir, '--clouds', 'aws'], '--clouds must be one of terraform, stand-in, off, not "aws"'],
      [['sync', '--url', 'localhost:7900'], '--url must be the daemon\'s http(s) URL'],
      [['init', dir, '--format', 'yaml'], '--format must be one of text, json, not "yaml"'],
      [['sync', '--format', 'yaml'], '--format must be one of text, json, not "yaml"'],
      [['secret', 'list', 'out/web', '--format', 'xml'], '--format must be one of text, json, not "xml"'],
      [['status', '--limit', 'abc'], '--limit takes a whole number of 1 or more, not "abc"'],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv, { env });
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(`Run 'pilot ${argv[0] === 'secret' ? 'secret list' : argv[0]} --help' for usage.`);
      expect(result.stdout).toBe('');
    }
  });

  it('2 for a missing argument', async () => {
    for (const argv of [['secret', 'set', 'out/web'], ['db', 'info'], ['synth', '.'], ['apply', '.']]) {
      const result = await cli(argv, { env: await offline() });
      expect(result.code, argv.join(' ')).toBe(2);
    }
  });

  it('1 when a value from the environment, not the command line, is wrong', async () => {
    const result = await cli(['sync'], { env: { PILOT_URL: 'localhost:7900' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PILOT_URL must be the daemon\'s http(s) URL');
  });
});

describe('--help', () => {
  it('shows --format on every command that prints results, and says why the servers have none', async () => {
    const withFormat = [['init'], ['validate'], ['render'], ['synth'], ['plan'], ['apply'], ['sync'], ['status'], ['secret', 'set'], ['secret', 'list'], ['db', 'info'], ['new', 'project'], ['new', 'app'], ['dev', 'webhook']];
    for (const command of withFormat) {
      const help = await cli([...command, '--help']);
      expect(help.stdout, command.join(' ')).toMatch(/--format text\|json/);
    }
    for (const command of [['serve'], ['dev', 'waypoint']]) {
      expect((await cli([...command, '--help'])).stdout, command.join(' ')).toContain('It takes no --format');
    }
  });
});
