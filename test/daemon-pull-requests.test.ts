// Pull requests in the daemon: a pull_request delivery against the tracked branch
// becomes a plan request in the plan lane; its head is fetched into a folder of its
// own, planned against what runs, and shown on the status page; nothing is applied.

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { convergedAt, startTestDaemon, statusWhere, stopAllDaemons, waypointToken, webhookSecret } from './support/daemon-harness.js';
import { app, githubSource, repoToken, servedManifests, upsOf } from './support/daemon-scenario.js';
import { deliver, pullRequestPayload, signed } from './support/daemon-webhooks.js';
import type { GitHttpServer } from './support/git-http-server.js';
import { git, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';

let emulator: Emulator;
const servers: GitHttpServer[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
});

afterEach(async () => {
  await stopAllDaemons();
  for (const server of servers.splice(0)) await server.close();
});

afterAll(async () => {
  await emulator?.stop();
  await removeTemporaryFolders();
});

/** Pushes `content` as pilot.yaml of project `pr` to refs/pull/<number>/head only: main does not move. */
async function openPullRequest(bare: string, number: number, content: (yaml: string) => string): Promise<string> {
  const work = path.join(await temporaryFolder('pilot-pr-'), 'work');
  await git(path.dirname(work), ['clone', '--quiet', bare, work]);
  const file = path.join(work, 'pr', 'pilot.yaml');
  await writeFile(file, content(await readFile(file, 'utf8')));
  await git(work, ['-c', 'user.name=T', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '-am', `pull request ${number}`]);
  await git(work, ['push', '--quiet', 'origin', `HEAD:refs/pull/${number}/head`]);
  return git(work, ['rev-parse', 'HEAD']);
}

describe('pull request plans', () => {
  it('plans a pull request head in the plan lane, shows it, and applies nothing', async () => {
    const web = await githubSource('web');
    const { remote, server, url } = await servedManifests({ name: 'pr', apps: [app('web', web.https, { memory: 512 })] });
    servers.push(server);
    const d = await startTestDaemon({ emulator, repository: { url, branch: 'main', token: repoToken } });
    await statusWhere(d, convergedAt(remote.first, ['pr/web']), 'main converged');
    const head = await openPullRequest(remote.bare, 7, (yaml) => yaml.replace('memory: 512', 'memory: 1024'));
    const broken = await openPullRequest(remote.bare, 8, (yaml) => yaml.replace('memory: 512', 'memory: lots'));

    for (const [number, headSha] of [[7, head], [8, broken]] as const) {
      const payload = pullRequestPayload(url, 'acme/manifests', { action: 'opened', number, headSha, headRef: `change-${number}`, base: 'main' });
      expect(await deliver(d.url, await signed('pull_request', payload, { secret: webhookSecret }))).toMatchObject({ status: 202 });
    }
    const status = await statusWhere(d, (s) => s.pullRequests.length === 2, 'both pull requests planned');
    const seven = status.pullRequests.find((p) => p.number === 7)!;
    expect(seven).toMatchObject({ repository: 'acme/manifests', headSha: head, outcome: 'planned' });
    expect(seven.lines.join('\n')).toContain('memory 512 -> 1024');
    const eight = status.pullRequests.find((p) => p.number === 8)!;
    expect(eight.outcome).toBe('invalid');
    expect(eight.lines.join('\n')).toMatch(/pr\/pilot\.yaml:\d+:\d+/);
    // Planned, never applied: no job, and the status page still shows main's revision.
    expect(upsOf(emulator, 'pr')).toHaveLength(1);
    expect(status.revision).toBe(remote.first);
    expect(d.requests.filter((r) => r.kind === 'pull-request').map((r) => r.kind === 'pull-request' && r.number)).toEqual([7, 8]);
    expect(d.logs.text()).not.toContain(repoToken);
    const page = await (await fetch(`${d.url}/`)).text();
    expect(page).toContain('Pull request plans');
    expect(page).toMatch(new RegExp(`>acme/manifests#7</a> <code>${head.slice(0, 12)}</code>: planned<`));
    expect(page).toContain('memory 512 -&#62; 1024');
  });
});
