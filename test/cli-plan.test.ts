// pilot plan without a Waypoint (the store's record), from a repository at a ref, and its usage errors.

import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

async function manifestRepo(): Promise<{ bare: string; sourceCommit: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-plan-'));
  const source = path.join(root, 'source');
  git(root, 'init', '-q', '--initial-branch=main', source);
  await writeFile(path.join(source, 'index.js'), 'console.log(1)\n');
  git(source, 'add', '-A');
  git(source, 'commit', '-qm', 'app');
  const sourceCommit = git(source, 'rev-parse', 'HEAD');
  const work = path.join(root, 'work');
  git(root, 'init', '-q', '--initial-branch=main', work);
  await writeFile(
    path.join(work, 'pilot.yaml'),
    `apiVersion: pilot.dev/v1\nkind: Project\nname: acme\ndefaults: { provider: aws, region: us-east-1 }\napps:\n  - name: web\n    source: { repo: "file://${source}" }\n    build: { builder: pack }\n    deploy: { platform: ecs }\n`,
  );
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'manifests');
  const bare = path.join(root, 'manifests.git');
  git(root, 'clone', '-q', '--bare', work, bare);
  return { bare, sourceCommit };
}

describe('pilot plan', () => {
  it('plans a repository at a ref against the state store when no Waypoint is given, and says so', async () => {
    const { bare } = await manifestRepo();
    const home = await mkdtemp(path.join(os.tmpdir(), 'pilot-home-'));
    const result = await cli(['plan', '--repo', `file://${bare}`, '--ref', 'main'], { env: { PILOT_HOME: home, PILOT_CLOUDS: 'off' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("planned against the state store's record");
    expect(result.stdout).toMatch(/\+ deploy acme\/web\s+new app/);
    expect(result.stdout).toContain('Plan: 3 to create, 0 to change, 0 to destroy, 0 need attention.');
  });

  it('prints versioned JSON with the commit each app would deploy', async () => {
    const { bare, sourceCommit } = await manifestRepo();
    const home = await mkdtemp(path.join(os.tmpdir(), 'pilot-home-'));
    const result = await cli(['plan', '--repo', `file://${bare}`, '--format', 'json'], { env: { PILOT_HOME: home, PILOT_CLOUDS: 'off' } });
    const plan = JSON.parse(result.stdout) as { version: number; offline: boolean; actions: { id: string; commit?: string }[] };
    expect(plan.version).toBe(1);
    expect(plan.offline).toBe(true);
    expect(plan.actions.find((a) => a.id === 'deploy:acme/web')?.commit).toBe(sourceCommit);
  });

  it('exits 1 when the plan needs a person, as any action needing attention does', async () => {
    const { bare } = await manifestRepo();
    const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-plan-gone-'));
    const work = path.join(root, 'work');
    git(root, 'clone', '-q', bare, work);
    // The app's source moves somewhere that does not exist: its commit cannot be resolved.
    await writeFile(path.join(work, 'pilot.yaml'), execFileSync('cat', [path.join(work, 'pilot.yaml')], { encoding: 'utf8' }).replace(/repo: "file:\/\/[^"]+"/, `repo: "file://${root}/nowhere"`));
    const result = await cli(['plan', work], { env: { PILOT_HOME: await mkdtemp(path.join(os.tmpdir(), 'pilot-home-')), PILOT_CLOUDS: 'off' } });
    expect(result.stdout).toMatch(/! source-error acme\/web/);
    expect(result.stdout).toContain('1 needs attention');
    expect(result.code).toBe(1);
  });

  it('names a ref that does not exist, without a stack trace', async () => {
    const { bare } = await manifestRepo();
    const result = await cli(['plan', '--repo', `file://${bare}`, '--ref', 'nope'], { env: { PILOT_HOME: await mkdtemp(path.join(os.tmpdir(), 'pilot-home-')), PILOT_CLOUDS: 'off' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot clone');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('apply without a Waypoint address says how to get one', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-apply-'));
    await cli(['init', dir]);
    const result = await cli(['apply', dir, '--once'], { env: { PILOT_HOME: await mkdtemp(path.join(os.tmpdir(), 'pilot-home-')), PILOT_CLOUDS: 'off' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("pilot dev waypoint");
  });

  it('secret set refuses an empty value and a malformed target', async () => {
    expect((await cli(['secret', 'set', 'acme', 'KEY'])).code).toBe(2);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-secret-'));
    await cli(['init', dir, '--name', 'acme']);
    const empty = await cli(['secret', 'set', 'acme/api', 'KEY', dir], { stdin: '', env: { PILOT_WAYPOINT_ADDR: '127.0.0.1:1', PILOT_WAYPOINT_TLS: 'off' } });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('empty');
  });
});
