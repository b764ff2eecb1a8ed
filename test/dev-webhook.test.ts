// `pilot dev webhook` against a daemon started as `pilot serve --demo` starts it (the
// demo's repositories, emulator and webhook secret; timers and clouds off, so every
// request comes from a delivery): what each delivery queues, and what is refused.

import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpDemo, type Demo } from '../src/dev/demo.js';
import type { Request } from '../src/reconciler/requests.js';
import { cli } from './support/cli.js';
import { startTestDaemon, stopAllDaemons, waitFor, type TestDaemon } from './support/daemon-harness.js';
import { git } from './support/git-repos.js';

let demo: Demo;
let daemon: TestDaemon;
let hook: string;
let repo: string;

beforeAll(async () => {
  demo = await setUpDemo(0);
  const { repository, stateDir, waypoint, webhookSecrets } = demo.config;
  daemon = await startTestDaemon({ emulator: demo.emulator, repository: repository!, ...(stateDir ? { stateDir } : {}), config: { waypoint, webhookSecrets } });
  hook = `${daemon.url}/webhooks/github`;
  repo = repository!.url;
}, 60_000);

afterAll(async () => {
  await stopAllDaemons();
  await demo?.stop();
  if (demo) await rm(path.dirname(demo.manifestWork), { recursive: true, force: true });
});

/** A loopback port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const fromWebhooks = () => daemon.requests.filter((r) => r.kind === 'pull-request' || r.triggers.includes('webhook'));

/** The request the next delivery queues. */
async function queuedAfter(send: () => Promise<{ code: number; stdout: string; stderr: string }>): Promise<{ request: Request; stdout: string }> {
  const before = fromWebhooks().length;
  const result = await send();
  expect(result.code, result.stderr).toBe(0);
  const request = await waitFor(() => fromWebhooks()[before], 'the delivery to queue a request');
  return { request, stdout: result.stdout };
}

describe('pilot dev webhook, against the demo', () => {
  it('the demo makes a throwaway 32-byte secret when none is given', () => {
    expect(demo.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(demo.webhookSecretMade).toBe(true);
    expect(demo.config.webhookSecrets).toEqual([demo.webhookSecret]);
    expect(repo).toMatch(/^file:\/\/\/.*\/manifests\.git$/);
  });

  it('a push to the demo manifest repository (file://) queues a reconcile of its head', async () => {
    const head = await git(demo.manifestWork, ['rev-parse', 'HEAD']);
    const { request, stdout } = await queuedAfter(() => cli(['dev', 'webhook', 'push', '--url', hook, '--secret', demo.webhookSecret, '--repo', repo]));
    expect(request).toMatchObject({ kind: 'branch', triggers: ['webhook'], apps: [] });
    expect(stdout).toContain(`sha=${head}`);
    expect(stdout).toContain('202 Accepted\n{"status":"accepted","event":"push"}');
  });

  it('takes the secret from PILOT_WEBHOOK_SECRET, and the repository as spelt without .git', async () => {
    const env = { PILOT_WEBHOOK_SECRET: `${demo.webhookSecret},an-older-one` };
    const { request } = await queuedAfter(() => cli(['dev', 'webhook', 'push', '--url', hook, '--repo', repo.replace(/\.git$/, '')], { env }));
    expect(request).toMatchObject({ kind: 'branch', triggers: ['webhook'] });
  });

  it('a pull request opened against main queues a plan of its head branch', async () => {
    await git(demo.manifestWork, ['checkout', '--quiet', '-b', 'more-memory']);
    await git(demo.manifestWork, ['commit', '--quiet', '--allow-empty', '-m', 'more memory']);
    await git(demo.manifestWork, ['push', '--quiet', 'origin', 'more-memory']);
    const head = await git(demo.manifestWork, ['rev-parse', 'HEAD']);
    const args = ['dev', 'webhook', 'pull_request', '--url', hook, '--secret', demo.webhookSecret, '--repo', repo, '--number', '7', '--head-ref', 'more-memory', '--format', 'json'];
    const { request, stdout } = await queuedAfter(() => cli(args));
    expect(request).toMatchObject({ kind: 'pull-request', number: 7, headSha: head, headRef: 'more-memory', baseRef: 'main', repository: expect.stringMatching(/\/manifests$/) });
    expect(JSON.parse(stdout)).toMatchObject({ event: 'pull_request', payload: 'octokit', status: 202, body: { status: 'accepted', event: 'pull_request' }, change: { action: 'opened', number: 7, headSha: head } });
  });

  it('a wrong secret is refused with 401 and exit code 1, and queues nothing', async () => {
    const before = fromWebhooks().length;
    const result = await cli(['dev', 'webhook', 'push', '--url', hook, '--secret', 'not-the-secret', '--repo', repo]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('401 Unauthorized');
    expect(result.stdout).toContain('X-Hub-Signature-256 does not match');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fromWebhooks()).toHaveLength(before);
  });

  it('says what is wrong with the command line, with exit code 2', async () => {
    const base = ['--url', hook, '--repo', repo];
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['push', ...base], {}, /no webhook secret: give --secret S or set PILOT_WEBHOOK_SECRET/],
      [['issues', ...base, '--secret', 's'], {}, /unknown event "issues": use push, pull_request, release/],
      [[...base, '--secret', 's'], {}, /give the event to send/],
      [['push', ...base, '--secret', 's', '--tag', 'v1'], {}, /--tag does not apply to push/],
      [['pull_request', ...base, '--secret', 's', '--merged'], {}, /--merged goes with --action closed/],
      [['pull_request', ...base, '--secret', 's', '--action', 'labeled'], {}, /--action must be one of opened, synchronize, reopened, edited, closed/],
      [['push', ...base, '--secret', 's', '--ref', 'nowhere'], {}, /has no refs\/heads\/nowhere: push it, or give --sha/],
      [['push', '--secret', 's', '--repo', 'https://github.com/acme/infra.git'], {}, /give --sha: https:\/\/github.com\/acme\/infra.git is not on this machine/],
      [['push', '--secret', 's'], {}, /give --repo URL/],
    ];
    for (const [args, env, message] of cases) {
      const result = await cli(['dev', 'webhook', ...args], { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('exits 1 when no daemon answers', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/webhooks/github`;
    const result = await cli(['dev', 'webhook', 'push', '--url', url, '--secret', 's', '--repo', repo]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not reach ${url} (`);
    expect(result.stderr).toContain("is 'pilot serve' running there?");
  });

  it('is listed with the other commands and has --help', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/dev webhook +send a running daemon a sample GitHub delivery/);
    const help = await cli(['dev', 'webhook', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pilot dev webhook push|pull_request|release');
  });
});
