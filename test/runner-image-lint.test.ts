// The runner image (runner-image/) under Pilot's own Dockerfile rules: its Dockerfile passes,
// each rule is shown failing at the right line, what it copies exists and lands where the
// renderer and the emulator expect it, and build.sh passes shellcheck.

import { spawnSync } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { beforeAll, describe, expect, it } from 'vitest';
import { runnerSettings } from '../src/dev/waypoint-emulator/runner-settings.js';
import { staticSiteDockerfile, syncTool } from '../src/waypoint/render/static-site.js';
import { dockerfileCopies, lintDockerfile, type DockerfileProblem, type DockerfileRule } from './support/dockerfile-rules.js';
import { ensurePilotSyncBuilt, pilotSyncBin } from './support/pilot-sync.js';

const repo = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFile(path.join(repo, file), 'utf8');
const found = (problems: DockerfileProblem[]) => problems.map(({ rule, line }) => `${rule}@${line}`);
const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
const base = `FROM debian:12.11-slim@${digest}`;

describe('runner-image/Dockerfile', () => {
  let text: string;
  beforeAll(async () => {
    text = await read('runner-image/Dockerfile');
  });

  it('passes every rule', () => {
    expect(lintDockerfile(text)).toEqual([]);
  });

  it('copies only files that are in the repository or built by npm ci', async () => {
    await ensurePilotSyncBuilt();
    const fromContext = dockerfileCopies(text).filter((copy) => copy.from === null);
    expect(fromContext.length).toBeGreaterThan(0);
    for (const source of fromContext.flatMap((copy) => copy.sources)) {
      expect(path.isAbsolute(source), source).toBe(false);
      expect((await stat(path.join(repo, source))).isFile(), source).toBe(true);
    }
  });

  it('puts pilot-sync and the static-site Dockerfile where the renderer and the emulator expect them', () => {
    const shipped = new Map(
      dockerfileCopies(text)
        .filter((copy) => copy.inFinalStage && copy.from === null)
        .map((copy) => [copy.destination, copy.sources.map((source) => path.join(repo, source))]),
    );
    expect(shipped.get(`/usr/local/bin/${syncTool}`)).toEqual([pilotSyncBin]);
    expect(shipped.get(staticSiteDockerfile)).toEqual([path.join(repo, 'runner-image/static-site.Dockerfile')]);
    // The emulator's runner stands in for this image: every file it says the image ships, the image ships.
    for (const [destination, file] of Object.entries(runnerSettings().files)) expect(shipped.get(destination), destination).toEqual([file]);
  });

  it('runs pilot-sync on a Node 20 or later base, as its bundle expects', async () => {
    await ensurePilotSyncBuilt();
    const final = DockerfileParser.parse(text).getFROMs().at(-1);
    expect(final?.getImageName()).toBe('node');
    expect(Number(/^(\d+)/.exec(final?.getImageTag() ?? '')?.[1])).toBeGreaterThanOrEqual(20);
    expect((await readFile(pilotSyncBin, 'utf8')).split('\n', 1)[0]).toBe('#!/usr/bin/env node');
  });
});

describe('runner-image/static-site.Dockerfile', () => {
  // Known findings, listed so that a new one fails: its base images are not pinned by digest and
  // its final stage (files only, never run) has no USER. The file is owned elsewhere; see the report.
  it('has exactly the known findings', async () => {
    expect(found(lintDockerfile(await read('runner-image/static-site.Dockerfile')))).toEqual([
      'pinned-digest@7',
      'non-root@13',
      'pinned-digest@13',
    ]);
  });
});

const cases: [string, DockerfileRule, string, string[]][] = [
  ['an image without a digest', 'pinned-digest', 'FROM node:20-bookworm-slim\nUSER node', ['pinned-digest@1']],
  ['a short digest', 'pinned-digest', `${base}\nRUN true\nFROM node:20@sha256:abc123\nUSER node`, ['pinned-digest@3']],
  ['a digest from an ARG whose default is no digest', 'pinned-digest', `ARG D=abc\n${base}\nFROM node:20@sha256:\${D}\nUSER node`, ['pinned-digest@3']],
  ['an unpinned image in COPY --from', 'pinned-digest', `${base}\nCOPY --from=busybox:1.36 /bin/busybox /bin/\nUSER 1000`, ['pinned-digest@2']],
  ['an unpinned syntax frontend', 'pinned-digest', `# syntax=docker/dockerfile:1\n${base}\nUSER 1000`, ['pinned-digest@1']],
  ['an untagged image', 'tagged', `FROM debian@${digest}\nUSER 1000`, ['tagged@1']],
  ['the latest tag', 'tagged', `${base} AS build\nFROM node:latest@${digest}\nUSER node`, ['tagged@2']],
  ['no USER in the final stage', 'non-root', `FROM node:20@${digest} AS build\nUSER node\n${base}\nRUN true`, ['non-root@3']],
  ['USER root at the end', 'non-root', `${base}\nUSER app\nRUN true\nUSER root`, ['non-root@4']],
  ['USER 0:0', 'non-root', `${base}\nUSER 0:0`, ['non-root@2']],
  ['a root exception without a reason', 'non-root', `${base}\n# lint: root\nUSER root`, ['non-root@3']],
  ['a root exception that is not directly above', 'non-root', `${base}\n# lint: root because the socket needs it\n\nRUN true\nUSER root`, ['non-root@5']],
  ['an ENV token', 'secret-variable', `${base}\nENV GITHUB_TOKEN=ghp_example\nUSER 1000`, ['secret-variable@2']],
  ['an ARG password default', 'secret-variable', `ARG DB_PASSWORD=hunter2\n${base}\nUSER 1000`, ['secret-variable@1']],
  ['a secret in a continued ENV', 'secret-variable', `${base}\nENV A=1 \\\n  AWS_SECRET_ACCESS_KEY=abc \\\n  B=2\nUSER 1000`, ['secret-variable@3']],
  ['a private key', 'credential-copy', `${base}\nCOPY app /app\nCOPY id_rsa /home/app/.ssh/id_rsa\nUSER 1000`, ['credential-copy@3']],
  ['a .env file', 'credential-copy', `${base}\nCOPY .env /app/.env\nUSER 1000`, ['credential-copy@2']],
  ['a service-account key', 'credential-copy', `${base}\nADD gcp-service-account.json /etc/key.json\nUSER 1000`, ['credential-copy@2']],
  ['a pem in the JSON form', 'credential-copy', `${base}\nCOPY ["certs/server.pem", "/etc/ssl/"]\nUSER 1000`, ['credential-copy@2']],
  ['AWS credentials', 'credential-copy', `${base}\nCOPY --chown=app .aws/credentials /home/app/.aws/\nUSER 1000`, ['credential-copy@2']],
  ['ADD of a URL', 'remote-add', `${base}\nADD https://example.com/tool.tar.gz /opt/\nUSER 1000`, ['remote-add@2']],
  ['ADD of a git repository', 'remote-add', `${base}\nADD git@github.com:acme/tool.git /opt/tool\nUSER 1000`, ['remote-add@2']],
  [
    'apt-get install without --no-install-recommends',
    'apt-install',
    `${base}\nRUN apt-get update \\\n  && apt-get install -y git \\\n  && rm -rf /var/lib/apt/lists/*\nUSER 1000`,
    ['apt-install@3'],
  ],
  ['apt lists left in the layer', 'apt-install', `${base}\nRUN apt-get update && apt-get install -y --no-install-recommends git\nUSER 1000`, ['apt-install@2']],
  [
    'lists removed in another RUN',
    'apt-install',
    `${base}\nRUN apt-get update && apt-get install -y --no-install-recommends git\nRUN rm -rf /var/lib/apt/lists/*\nUSER 1000`,
    ['apt-install@2'],
  ],
  [
    'the second of two installs without --no-install-recommends',
    'apt-install',
    `${base}\nRUN apt-get update \\\n  && apt-get install -y --no-install-recommends git; \\\n  apt-get install -y curl \\\n  && rm -rf /var/lib/apt/lists/*\nUSER 1000`,
    ['apt-install@4'],
  ],
];

// What the rules must let through: each is a near miss of a case above.
const allowed: [string, string][] = [
  ['every image pinned, a stage reused by name and index', `FROM node:20@${digest} AS build\nFROM build AS test\n${base}\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\nUSER 1000`],
  ['a digest passed by the build through a global ARG without a default', `ARG D\nFROM node:20@sha256:\${D}\nUSER node`],
  ['a digest from a global ARG default', `ARG D=${digest.slice('sha256:'.length)}\nFROM node:20@sha256:\${D}\nUSER node`],
  ['a pinned syntax frontend', `# syntax=docker/dockerfile:1@${digest}\n${base}\nUSER 1000`],
  ['root with a stated reason directly above', `${base}\n# Needs the host's socket.\n# lint: root because the socket is root:root 0600 on this host\nUSER root`],
  ['secret names without a value', `ARG NPM_TOKEN\n${base}\nENV GITHUB_TOKEN=\nUSER 1000`],
  ['files that only look close to credentials', `${base}\nCOPY .env.example package.json id_rsa.pub /app/\nUSER 1000`],
  ['ADD of a local archive', `${base}\nADD site.tar.gz /srv/\nUSER 1000`],
  ['apt lists kept out by a cache mount', `${base}\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends git\nUSER 1000`],
];

describe('each rule', () => {
  it('is shown failing by at least one case', () => {
    const shown = new Set(cases.map(([, rule]) => rule));
    const every: DockerfileRule[] = ['pinned-digest', 'tagged', 'non-root', 'secret-variable', 'credential-copy', 'remote-add', 'apt-install'];
    expect([...shown].sort()).toEqual([...every].sort());
  });

  it.each(cases)('fails on %s', (_name, rule, text, expected) => {
    const problems = lintDockerfile(`${text}\n`);
    expect(found(problems)).toEqual(expected);
    // Every message says what to do, not only what is wrong.
    for (const problem of problems) {
      expect(problem.rule).toBe(rule);
      expect(problem.message).toMatch(/add|name|end|put|must|pass|keep|COPY|use/i);
    }
  });

  it.each(allowed)('lets through %s', (_name, text) => {
    expect(lintDockerfile(`${text}\n`)).toEqual([]);
  });

  it('never echoes a secret value in a message', () => {
    const [problem] = lintDockerfile(`${base}\nENV API_KEY=sk-live-0123456789\nUSER 1000\n`);
    expect(problem?.rule).toBe('secret-variable');
    expect(problem?.message).not.toContain('sk-live-0123456789');
  });
});

function shellcheck(file: string) {
  const result = spawnSync('shellcheck', [file], { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('shellcheck is not installed: apt-get install -y shellcheck');
  }
  return result;
}

describe('runner-image/build.sh', () => {
  const script = path.join(repo, 'runner-image/build.sh');

  it('passes shellcheck', () => {
    const result = shellcheck(script);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('is strict and executable', async () => {
    expect(await readFile(script, 'utf8')).toMatch(/^set -euo pipefail$/m);
    await access(script, constants.X_OK);
  });

  it('is checked by a shellcheck that finds problems', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-shellcheck-'));
    const bad = path.join(dir, 'bad.sh');
    await writeFile(bad, '#!/usr/bin/env bash\nrm -rf $1/*\n');
    const result = shellcheck(bad);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('SC2086');
  });
});
