// `pilot plan DIR --format markdown` prints the plan comment's renderer output as it is
// (no links: there is no repository URL), and an invalid manifest's problems as file:line:col.

import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Plan } from '../src/reconciler/plan-types.js';
import { renderComment } from '../src/sources/github/comment/index.js';
import { cli } from './support/cli.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

/** A folder of manifests with one app whose source is a local repository; `deploy` is its deploy block. */
async function manifests(deploy: string): Promise<{ dir: string; env: Record<string, string> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pilot-plan-md-'));
  const source = path.join(root, 'source');
  git(root, 'init', '-q', '--initial-branch=main', source);
  await writeFile(path.join(source, 'index.js'), 'console.log(1)\n');
  git(source, 'add', '-A');
  git(source, 'commit', '-qm', 'app');
  const dir = path.join(root, 'manifests');
  await mkdir(dir);
  await writeFile(
    path.join(dir, 'pilot.yaml'),
    `apiVersion: pilot.dev/v1\nkind: Project\nname: acme\ndefaults: { provider: aws, region: us-east-1 }\napps:\n  - name: web\n    source: { repo: "file://${source}" }\n    build: { builder: pack }\n    deploy: ${deploy}\n`,
  );
  return { dir, env: { PILOT_HOME: await mkdtemp(path.join(os.tmpdir(), 'pilot-home-')), PILOT_CLOUDS: 'off' } };
}

const now = '2025-03-04T05:06:07.000Z';

describe('pilot plan --format markdown', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prints exactly what the comment renderer returns for the plan', async () => {
    const { dir, env } = await manifests('{ platform: ecs }');
    const json = JSON.parse((await cli(['plan', dir, '--format', 'json'], { env })).stdout) as Plan & { offline: boolean };
    const text = await cli(['plan', dir], { env });
    const store = /record in (\S+): no Waypoint/.exec(text.stdout)?.[1];
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(now));
    const result = await cli(['plan', dir, '--format', 'markdown'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(text.code);
    expect(result.code).toBe(0);
    const plan: Plan = { version: json.version, revision: json.revision, actions: json.actions };
    const notes = [`Planned against the state store's record in ${store}: no Waypoint address given, so live state was not checked.`];
    const expected = renderComment({ plan: { outcome: 'planned', revision: json.revision, plan, problems: [], errors: [], notes, plannedAt: now } });
    expect(result.stdout).toBe(`${expected.join('\n\n')}\n`);
    expect(result.stdout).toContain('**acme/web**');
    expect(result.stdout).toContain('**1 app to deploy, 0 errors**');
  });

  it('prints an invalid manifest\'s problems as file:line:col, and exits as the text format does', async () => {
    const { dir, env } = await manifests('{ platform: nope }');
    const text = await cli(['plan', dir], { env });
    const result = await cli(['plan', dir, '--format', 'markdown'], { env });
    expect(result.code).toBe(text.code);
    expect(result.code).toBe(1);
    const locations = [...text.stderr.matchAll(/^(pilot\.yaml:\d+:\d+): /gm)].map((m) => m[1]!);
    expect(locations.length).toBeGreaterThan(0);
    for (const location of locations) expect(result.stdout).toMatch(new RegExp(`^- \\*\\*error\\*\\* ${location.replace(/\./g, '\\.')}: `, 'm'));
    expect(result.stdout).toMatch(/^<!-- pilot:plan part=1 -->\n\n### Pilot plan: invalid manifests\n/);
    expect(result.stdout).not.toContain('](');
    expect(result.stderr).toMatch(/the manifests at local-[0-9a-f]+ are invalid/);
  });

  it('is named in the help, and other formats are refused', async () => {
    expect((await cli(['plan', '--help'])).stdout).toContain('--format text|json|markdown');
    const wrong = await cli(['plan', '--format', 'html']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--format must be one of text, json, markdown');
  });
});
