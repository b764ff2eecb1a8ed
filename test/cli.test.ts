import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..');
const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'pilot-cli-'));

describe('pilot (global)', () => {
  it('lists commands with --help and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('validate');
    expect(result.stdout).toContain('init');
  });

  it('prints usage on stderr and exits 2 without a command', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: pilot <command>');
  });

  it('rejects an unknown command with exit 2', async () => {
    const result = await cli(['deploy-everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "deploy-everything"');
  });

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect((await cli(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  it('calls a wrong value of a flag, or a missing --once, wrong usage (exit 2)', async () => {
    const home = await tempDir();
    const limit = await cli(['status', '--limit', 'abc'], { env: { PILOT_HOME: home } });
    expect([limit.code, limit.stderr]).toEqual([2, expect.stringContaining('--limit takes a whole number of 1 or more, not "abc"')]);
    const apply = await cli(['apply', home], { env: { PILOT_HOME: home } });
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain("add --once (the daemon that keeps applying is 'pilot serve')");
  });

  it('rejects an unknown flag with exit 2 and points at --help', async () => {
    const result = await cli(['validate', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--frobnicate'");
    expect(result.stderr).toContain("pilot validate --help");
  });
});

describe('pilot init + validate', () => {
  it('scaffolds a repository that validates, for both clouds', async () => {
    for (const provider of ['aws', 'gcp']) {
      const dir = path.join(await tempDir(), 'Acme Platform');
      const init = await cli(['init', dir, '--provider', provider]);
      expect(init.code).toBe(0);
      const manifest = await readFile(path.join(dir, 'pilot.yaml'), 'utf8');
      expect(manifest).toContain('# yaml-language-server: $schema=./.pilot/pilot.schema.json');
      expect(manifest).toContain('name: acme-platform');
      const schema = JSON.parse(await readFile(path.join(dir, '.pilot/pilot.schema.json'), 'utf8')) as { $id: string };
      expect(schema.$id).toContain('pilot');
      const validate = await cli(['validate', dir]);
      expect(validate.stdout).toBe('valid: 1 project, 2 apps, 1 database in 1 file\n');
      expect(validate.code).toBe(0);
    }
  });

  it('never overwrites: with one file present, it writes nothing and exits 1', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'README.md'), 'mine');
    const result = await cli(['init', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already has README.md');
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toBe('mine');
    await expect(readFile(path.join(dir, 'pilot.yaml'))).rejects.toThrow();
  });

  it('refuses a project name the manifest would reject, and says why', async () => {
    const result = await cli(['init', await tempDir(), '--name', 'Bad_Name']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pilot.yaml:8:7: name:');
  });
});

describe('pilot validate', () => {
  it('prints each problem as file:line:col and a summary, and exits 1', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'pilot.yaml'),
      'apiVersion: pilot.dev/v1\nkind: Project\nname: acme\ndefaults: { provider: gcp, region: us-central1, gcpProject: acme-prod }\napps:\n  - name: auth\n    source: { repo: "https://github.com/acme/auth.git" }\n    build: { builder: pack }\n    deploy:\n      platform: cloud-run\n      memory: 100\n',
    );
    const result = await cli(['validate', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('pilot.yaml:11:15: apps[0].deploy.memory: 100 is below 128 (Cloud Run memory is 128–4096 MiB)');
    expect(result.stdout).toContain('invalid: 1 error in 1 file (1 project, 1 app, 0 databases declared)');
  });

  it('reports YAML syntax errors at their own line and column, without a stack trace', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'pilot.yaml'), 'apiVersion: pilot.dev/v1\nkind: Project\nname: "acme\n');
    const result = await cli(['validate', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^pilot\.yaml:3:7: YAML syntax: /m);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('validates a single file', async () => {
    const dir = await tempDir();
    await cli(['init', dir]);
    const result = await cli(['validate', path.join(dir, 'pilot.yaml')]);
    expect(result.code).toBe(0);
  });

  it('speaks JSON for machines', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'x.pilot.yaml'), 'apiVersion: pilot.dev/v2\nkind: Project\nname: acme\n');
    const result = await cli(['validate', dir, '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { valid: boolean; errors: { file: string; line: number; col: number; path: string; rule: string }[] };
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ file: 'x.pilot.yaml', line: 1, col: 13, path: 'apiVersion', rule: 'schema.const' })]);
  });

  it('fails on a folder with no manifests, since that is almost always the wrong folder', async () => {
    const result = await cli(['validate', await tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no manifests');
  });

  it('fails clearly on a path that does not exist', async () => {
    const result = await cli(['validate', '/nonexistent/pilot-repo']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('pilot validate: /nonexistent/pilot-repo: no such file or directory\n');
  });

  it('colours only on a terminal, and never with NO_COLOR', async () => {
    const dir = await tempDir();
    await cli(['init', dir]);
    expect((await cli(['validate', dir], { tty: true })).stdout).toContain('\u001b[32mvalid');
    expect((await cli(['validate', dir], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await cli(['validate', dir])).stdout).not.toContain('\u001b[');
  });
});

describe('the installed commands', () => {
  it('`npm run pilot` runs the CLI from a checkout', async () => {
    const dir = await tempDir();
    await cli(['init', dir]);
    const { stdout } = await run('npm', ['run', '-s', 'pilot', '--', 'validate', dir], { cwd: repoRoot });
    expect(stdout).toContain('valid: 1 project, 2 apps, 1 database');
  });

  it('bin/pilot.js (the package bin) runs the built CLI and sets the exit code', async () => {
    const error = await run(process.execPath, [path.join(repoRoot, 'bin/pilot.js'), 'validate', await tempDir()]).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain('no manifests');
  });

  it('stops quietly when the reader of its output goes away (pilot ... | head -1)', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/pilot.js'), '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
