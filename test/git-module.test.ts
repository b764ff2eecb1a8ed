// The git module against real repositories: a token-protected git http-backend, a
// server that never answers, and file:// remotes. Errors are classified, carry no
// secret, and a deadline ends a command that hangs.

import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPilotError, type PilotError } from '../src/reconciler/errors.js';
import { cloneRepository } from '../src/sources/git/clone.js';
import { openGit } from '../src/sources/git/git.js';
import { remoteCommit } from '../src/sources/git/remote-refs.js';
import { startGitHttpServer, type GitHttpServer } from './support/git-http-server.js';
import { createSourceRepo, git, removeTemporaryFolders, temporaryFolder, type SourceRepo } from './support/git-repos.js';

const token = 'pilot-module-token-7d1e93';
const username = 'pilot-bot';
const header = Buffer.from(`${username}:${token}`).toString('base64');
let server: GitHttpServer;
let repo: SourceRepo & { first: string };
let url: string;
const messages: string[] = [];

async function failure(promise: Promise<unknown>): Promise<PilotError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isPilotError(error)) throw new Error(`expected a PilotError, got ${String(error)}`);
  messages.push(error.message, String(error.stack));
  return error;
}

beforeAll(async () => {
  repo = await createSourceRepo('module');
  server = await startGitHttpServer({ root: path.dirname(repo.bare), username, token });
  url = server.url('module.git');
});

afterAll(async () => {
  await server.close();
  await removeTemporaryFolders();
  // Every message any test saw: no token, and not the header it travels in.
  expect(messages.length).toBeGreaterThan(8);
  for (const message of messages) {
    expect(message).not.toContain(token);
    expect(message).not.toContain(header);
  }
});

describe('the git module', () => {
  it('reads a private repository with the token, and only with it', async () => {
    expect(await remoteCommit(url, 'main', { auth: { token, username } })).toBe(repo.first);
    const wrong = await failure(remoteCommit(url, 'main', { auth: { token: `${token}x`, username } }));
    expect(wrong).toMatchObject({ kind: 'stalled', code: 'source.unauthorized' });
    expect(wrong.message).toMatch(/^cannot read http:\/\/127\.0\.0\.1:\d+\/module\.git: it refused access .*check the token/);
    const none = await failure(remoteCommit(url, 'main', { credentials: 'PILOT_REPO_TOKEN' }));
    expect(none).toMatchObject({ kind: 'stalled', code: 'source.unauthorized' });
    expect(none.message).toContain('in PILOT_REPO_TOKEN');
  });

  it('takes the credentials out of the URL, and shows the URL without them', async () => {
    const inUrl = url.replace('http://', `http://${username}:${token}@`);
    expect(await remoteCommit(inUrl, 'main')).toBe(repo.first);
    const missing = await failure(remoteCommit(inUrl.replace('module.git', 'absent.git'), 'main'));
    expect(missing).toMatchObject({ kind: 'stalled', code: 'source.repo-not-found' });
    expect(missing.message).toMatch(/^cannot read http:\/\/127\.0\.0\.1:\d+\/absent\.git: /);
  });

  it('says which repository or ref is missing', async () => {
    const gone = await failure(remoteCommit(`${repo.url}-gone`, 'main'));
    expect(gone).toMatchObject({ kind: 'stalled', code: 'source.repo-not-found' });
    const ref = await failure(remoteCommit(url, 'release-9', { auth: { token, username } }));
    expect(ref).toMatchObject({ kind: 'stalled', code: 'source.ref-not-found' });
    expect(ref.message).toContain('"release-9"');
    const dir = path.join(await temporaryFolder('pilot-clone-'), 'work');
    const clone = await failure(cloneRepository(url, dir, { ref: 'release-9', depth: 1, auth: { token, username } }));
    expect(clone).toMatchObject({ kind: 'stalled', code: 'source.ref-not-found' });
    expect(clone.message).toMatch(/^cannot clone .*no branch or tag "release-9"/);
  });

  it('reports progress lines of a clone, and clones exactly the commit', async () => {
    const lines: string[] = [];
    const dir = path.join(await temporaryFolder('pilot-clone-'), 'work');
    await cloneRepository(url, dir, { ref: 'main', depth: 1, auth: { token, username }, onProgress: (line) => lines.push(line) });
    expect(await git(dir, ['rev-parse', 'HEAD'])).toBe(repo.first);
    expect(lines.some((line) => /^Receiving objects: +100% \(\d+\/\d+\)/.test(line)), lines.join('\n')).toBe(true);
    expect(lines.join('\n')).not.toContain(token);
    expect(await git(dir, ['config', '--get', 'remote.origin.url'])).toBe(url);
  });

  it('keeps the exit code of a command that answers "no" without a message', async () => {
    const second = await repo.commit({ 'b.txt': 'b\n' });
    const bare = openGit({ cwd: repo.bare });
    expect((await bare.run(['merge-base', '--is-ancestor', repo.first, second])).code).toBe(0);
    expect(await bare.run(['merge-base', '--is-ancestor', second, repo.first])).toMatchObject({ code: 1, stderr: '', timedOut: false });
  });
});

describe('a server that never answers', () => {
  it('is transient after the deadline, and leaves no git process behind', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const running = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(`127.0.0.1:${port}/`));
    try {
      const started = Date.now();
      const error = await failure(remoteCommit(`http://127.0.0.1:${port}/module.git`, 'main', { auth: { token, username }, timeoutMs: 1_000 }));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toMatchObject({ kind: 'transient', code: 'source.unreachable' });
      expect(error.message).toMatch(/no answer within 1 s$/);
      // git's HTTP helper outlives the killed git; the low-speed limit ends it soon after the deadline.
      const deadline = Date.now() + 5_000;
      while (running().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(running()).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
