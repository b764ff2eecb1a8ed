import { execFileSync } from 'node:child_process';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isPilotError, type PilotError } from '../src/reconciler/errors.js';
import type { Logger } from '../src/reconciler/logger.js';
import { gitEnvironment, splitCredentials } from '../src/sources/git/git-auth.js';
import { scrub } from '../src/sources/git/git-failure.js';
import { openManifestRepo, projectsTouched, type ManifestRepoOptions } from '../src/sources/git/manifest-repo.js';
import { loadDesiredStateFromDirectory } from '../src/sources/manifests/load.js';
import { startGitHttpServer, type GitHttpServer } from './support/git-http-server.js';
import { git, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';

function manifest(project: string, app = 'web'): string {
  return [
    'apiVersion: pilot.dev/v1',
    'kind: Project',
    `name: ${project}`,
    'defaults:',
    '  provider: aws',
    '  region: us-east-1',
    'apps:',
    `  - name: ${app}`,
    '    source:',
    `      repo: https://github.com/acme/${app}.git`,
    '    build:',
    '      builder: yarn',
    '      outputDir: dist',
    '    deploy:',
    '      platform: static',
    '',
  ].join('\n');
}

/** A bare "remote" under the temp folder, filled from a work clone. */
async function createRemote(branch = 'main') {
  const root = await temporaryFolder('pilot-remote-');
  const bare = path.join(root, 'manifests.git');
  const work = path.join(root, 'work');
  await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await git(root, ['init', '--quiet', `--initial-branch=${branch}`, work]);
  await git(work, ['remote', 'add', 'origin', bare]);
  async function commit(files: Record<string, string | null>, message = 'change'): Promise<string> {
    for (const [name, content] of Object.entries(files)) {
      if (content === null) await git(work, ['rm', '--quiet', name]);
      else {
        const file = path.join(work, name);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, content);
      }
    }
    await git(work, ['add', '--all']);
    await git(work, ['commit', '--quiet', '--allow-empty', '-m', message]);
    return git(work, ['rev-parse', 'HEAD']);
  }
  return {
    bare,
    root,
    url: pathToFileURL(bare).href,
    /** Commits and pushes; returns the new commit. */
    async push(files: Record<string, string | null>, message?: string): Promise<string> {
      const sha = await commit(files, message);
      await git(work, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
      return sha;
    },
    /** Drops the last commit, commits instead, force-pushes: history rewritten. */
    async rewrite(files: Record<string, string | null>): Promise<string> {
      await git(work, ['reset', '--quiet', '--hard', 'HEAD~1']);
      const sha = await commit(files, 'rewritten');
      await git(work, ['push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`]);
      return sha;
    },
    deleteBranch: () => git(work, ['push', '--quiet', 'origin', '--delete', branch]),
  };
}

interface LogLine {
  level: string;
  data: object;
  message: string;
}

function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (data: object, message: string) => void lines.push({ level, data, message });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

async function open(url: string, extra: Partial<ManifestRepoOptions> = {}) {
  const { logger, lines } = recordingLogger();
  const cacheDir = extra.cacheDir ?? path.join(await temporaryFolder('pilot-cache-'), 'manifests');
  const repo = openManifestRepo({ url, branch: 'main', cacheDir, logger, timeoutMs: 20_000, ...extra });
  return { repo, lines, cacheDir };
}

async function failure(promise: Promise<unknown>): Promise<PilotError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPilotError(error)) throw new Error(`expected a PilotError, got ${String(error)}`);
  return error;
}

const exists = (file: string) => access(file).then(() => true, () => false);

afterAll(removeTemporaryFolders);

describe('manifest repository over file://', () => {
  it('clones on the first fetch and reports every path as changed', async () => {
    const remote = await createRemote();
    const first = await remote.push({ 'shop/pilot.yaml': manifest('shop') });
    const { repo, lines } = await open(remote.url);
    expect(repo.head()).toBeUndefined();
    expect(await repo.fetch()).toEqual({ commit: first, changedPaths: 'all', forced: false });
    expect(repo.head()).toBe(first);
    expect(lines.map((l) => l.message)).toContain('manifest cache created');
  });

  it('lists exactly the paths a new commit changed, and nothing when nothing changed', async () => {
    const remote = await createRemote();
    const first = await remote.push({ 'a/pilot.yaml': manifest('a'), 'b/pilot.yaml': manifest('b'), 'c/pilot.yaml': manifest('c'), 'README.md': '#\n' });
    const { repo } = await open(remote.url);
    await repo.fetch();
    const second = await remote.push({ 'a/pilot.yaml': manifest('a', 'api'), 'c/pilot.yaml': null, 'd/site.pilot.yaml': manifest('d') });
    const fetched = await repo.fetch();
    expect(fetched).toEqual({ commit: second, previous: first, changedPaths: ['a/pilot.yaml', 'c/pilot.yaml', 'd/site.pilot.yaml'], forced: false });
    expect(await repo.fetch()).toEqual({ commit: second, previous: second, changedPaths: [], forced: false });
    expect(await repo.changedSince(first, second)).toEqual(['a/pilot.yaml', 'c/pilot.yaml', 'd/site.pilot.yaml']);
    expect(await repo.changedSince('0123456789abcdef0123456789abcdef01234567', second)).toBe('all');
  });

  it('reports a force-push as forced, with every path changed', async () => {
    const remote = await createRemote();
    const first = await remote.push({ 'a/pilot.yaml': manifest('a') });
    const dropped = await remote.push({ 'b/pilot.yaml': manifest('b') });
    const { repo, lines } = await open(remote.url);
    await repo.fetch();
    const rewritten = await remote.rewrite({ 'c/pilot.yaml': manifest('c') });
    expect(await repo.fetch()).toEqual({ commit: rewritten, previous: dropped, changedPaths: 'all', forced: true });
    expect(await repo.changedSince(dropped, rewritten)).toBe('all');
    expect(await repo.changedSince(first, rewritten)).toEqual(['c/pilot.yaml']);
    expect(lines.find((l) => l.message === 'manifest branch history rewritten')?.level).toBe('warn');
  });

  it('stalls, naming the branch, when the branch is deleted, and keeps the last good commit', async () => {
    const remote = await createRemote('release/live');
    const good = await remote.push({ 'a/pilot.yaml': manifest('a') });
    const { repo } = await open(remote.url, { branch: 'release/live' });
    await repo.fetch();
    await remote.deleteBranch();
    const error = await failure(repo.fetch());
    expect(error).toMatchObject({ kind: 'stalled', code: 'source.branch-missing' });
    expect(error.message).toContain('"release/live"');
    expect(repo.head()).toBe(good);
    const dir = await repo.checkout(good);
    expect(await readFile(path.join(dir, 'a/pilot.yaml'), 'utf8')).toBe(manifest('a'));
  });

  it('checks out exactly the files of a commit, not those of a later one, and removes strays', async () => {
    const remote = await createRemote();
    const first = await remote.push({ 'shop/pilot.yaml': manifest('shop') });
    const second = await remote.push({ 'shop/pilot.yaml': manifest('shop', 'api'), 'blog/pilot.yaml': manifest('blog') });
    const { repo } = await open(remote.url);
    await repo.fetch();

    const dir = await repo.checkout(second);
    await writeFile(path.join(dir, 'stray.pilot.yaml'), manifest('stray'));
    expect(await repo.checkout(first)).toBe(dir);
    expect(await exists(path.join(dir, 'blog/pilot.yaml'))).toBe(false);
    expect(await exists(path.join(dir, 'stray.pilot.yaml'))).toBe(false);
    const older = await loadDesiredStateFromDirectory(dir);
    expect(older.problems).toEqual([]);
    expect(older.state?.projects.map((p) => [p.name, p.apps.map((a) => a.name)])).toEqual([['shop', ['web']]]);

    const newer = await loadDesiredStateFromDirectory(await repo.checkout(second));
    expect(newer.state?.projects.map((p) => [p.name, p.apps.map((a) => a.name)])).toEqual([['blog', ['web']], ['shop', ['api']]]);
    expect(await git(dir, ['rev-parse', 'HEAD'])).toBe(second);

    const missing = await failure(repo.checkout('--orphan'));
    expect(missing).toMatchObject({ kind: 'stalled', code: 'source.commit-missing' });
    await expect(repo.checkout('0123456789abcdef0123456789abcdef01234567')).rejects.toMatchObject({ code: 'source.commit-missing' });
  });

  it('reuses the clone after a restart, and fetches into it', async () => {
    const remote = await createRemote();
    const first = await remote.push({ 'a/pilot.yaml': manifest('a') });
    const before = await open(remote.url);
    await before.repo.fetch();
    const marker = path.join(before.cacheDir, 'repo', '.git', 'pilot-test-marker');
    await writeFile(marker, 'still here');

    const after = await open(remote.url, { cacheDir: before.cacheDir });
    // A new process knows nothing it applied: its first fetch says "all" again.
    expect(await after.repo.fetch()).toEqual({ commit: first, changedPaths: 'all', forced: false });
    expect(after.lines.map((l) => l.message)).toContain('manifest cache reused');
    expect(await exists(marker)).toBe(true);

    const second = await remote.push({ 'b/pilot.yaml': manifest('b') });
    expect(await after.repo.fetch()).toEqual({ commit: second, previous: first, changedPaths: ['b/pilot.yaml'], forced: false });
    expect(await exists(marker)).toBe(true);
  });

  it('checks out the cached revision after a restart while the remote is gone', async () => {
    const remote = await createRemote();
    const first = await remote.push({ 'a/pilot.yaml': manifest('a') });
    const before = await open(remote.url);
    await before.repo.fetch();
    await rm(remote.bare, { recursive: true });

    const after = await open(remote.url, { cacheDir: before.cacheDir });
    const dir = await after.repo.checkout(first);
    expect(await readFile(path.join(dir, 'a/pilot.yaml'), 'utf8')).toBe(manifest('a'));
    await expect(after.repo.fetch()).rejects.toMatchObject({ kind: 'stalled', code: 'source.repo-not-found' });
  });

  it('replaces a broken clone, or one of another remote', async () => {
    const remote = await createRemote();
    const first = await remote.push({ 'a/pilot.yaml': manifest('a') });
    const before = await open(remote.url);
    await before.repo.fetch();
    await writeFile(path.join(before.cacheDir, 'repo', '.git', 'HEAD'), 'garbage\n');

    const after = await open(remote.url, { cacheDir: before.cacheDir });
    expect(await after.repo.fetch()).toEqual({ commit: first, changedPaths: 'all', forced: false });
    expect(after.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'manifest cache replaced', data: expect.objectContaining({ reason: 'not a git repository' }) }));

    const other = await createRemote();
    const elsewhere = await other.push({ 'z/pilot.yaml': manifest('z') });
    const moved = await open(other.url, { cacheDir: before.cacheDir });
    expect((await moved.repo.fetch()).commit).toBe(elsewhere);
    expect(moved.lines.find((l) => l.message === 'manifest cache replaced')?.data).toMatchObject({ reason: 'origin differs from the configured URL' });
    expect(await exists(path.join(await moved.repo.checkout(elsewhere), 'a/pilot.yaml'))).toBe(false);
  });

  it('runs one git command at a time when calls overlap', async () => {
    const remote = await createRemote();
    await remote.push({ 'a/pilot.yaml': manifest('a') });
    const { repo } = await open(remote.url);
    const first = await repo.fetch();
    const second = await remote.push({ 'b/pilot.yaml': manifest('b') });
    const [fetched, dir, again] = await Promise.all([repo.fetch(), repo.checkout(first.commit), repo.checkout(second)]);
    expect(fetched.commit).toBe(second);
    expect(again).toBe(dir);
    expect(await git(dir, ['rev-parse', 'HEAD'])).toBe(second);
  });

  it('stalls when the cache folder cannot be written', async () => {
    const remote = await createRemote();
    await remote.push({ 'a/pilot.yaml': manifest('a') });
    const blocker = path.join(await temporaryFolder('pilot-cache-'), 'a-file');
    await writeFile(blocker, 'not a folder');
    const { repo } = await open(remote.url, { cacheDir: path.join(blocker, 'manifests') });
    await expect(repo.fetch()).rejects.toMatchObject({ kind: 'stalled', code: 'source.cache', message: expect.stringContaining('make it writable') });
  });

  it('refuses options disguised as a URL or a branch before running git', () => {
    const { logger } = recordingLogger();
    expect(() => openManifestRepo({ url: '--upload-pack=touch /tmp/x', branch: 'main', cacheDir: '/nonexistent', logger })).toThrow(/not a git URL/);
    for (const branch of ['-x', 'a..b', 'a b', 'main.lock', '']) {
      expect(() => openManifestRepo({ url: 'file:///x.git', branch, cacheDir: '/nonexistent', logger }), branch).toThrow(/not a valid branch name/);
    }
  });
});

describe('manifest repository over HTTP with a token', () => {
  const token = 'pilot-test-token-4f9c2e71';
  const username = 'pilot-bot';
  let server: GitHttpServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function served() {
    const remote = await createRemote();
    const first = await remote.push({ 'a/pilot.yaml': manifest('a') });
    server = await startGitHttpServer({ root: remote.root, username, token });
    return { remote, first, url: server.url('manifests.git') };
  }

  it('fetches with the token, and the token is in no log line, origin or file of the cache', async () => {
    const { remote, first, url } = await served();
    const { repo, lines, cacheDir } = await open(url, { auth: { token, username } });
    expect(await repo.fetch()).toEqual({ commit: first, changedPaths: 'all', forced: false });
    const second = await remote.push({ 'b/pilot.yaml': manifest('b') });
    expect((await repo.fetch()).changedPaths).toEqual(['b/pilot.yaml']);
    expect(repo.head()).toBe(second);
    expect(server!.attempts.authorized).toBeGreaterThan(0);

    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(await readFile(path.join(cacheDir, 'repo', '.git', 'config'), 'utf8')).not.toContain(token);
    const files = (await readdir(cacheDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(await readFile(path.join(file.parentPath, file.name), 'latin1'), file.name).not.toContain(token);
  });

  it('takes credentials out of the URL and keeps them out of logs, origin and errors', async () => {
    const { first, url } = await served();
    const withCredentials = url.replace('http://', `http://${username}:${token}@`);
    const { repo, lines, cacheDir } = await open(withCredentials);
    expect((await repo.fetch()).commit).toBe(first);
    expect(await readFile(path.join(cacheDir, 'repo', '.git', 'config'), 'utf8')).toContain(url);
    expect(await readFile(path.join(cacheDir, 'repo', '.git', 'config'), 'utf8')).not.toContain(token);
    await server!.close();
    server = undefined;
    const error = await failure(repo.fetch());
    expect(error.kind).toBe('transient');
    expect(error.message).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('never lets a credential helper of the machine store the token', async () => {
    const { first, url } = await served();
    const home = await temporaryFolder('pilot-home-');
    const store = path.join(home, 'stored-credentials');
    const globalConfig = path.join(home, 'gitconfig');
    await writeFile(globalConfig, `[credential]\n\thelper = store --file ${store}\n`);
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = globalConfig;
    try {
      const { repo } = await open(url, { auth: { token, username } });
      expect((await repo.fetch()).commit).toBe(first);
      expect(await exists(store)).toBe(false);
      // The same configuration does store what a plain git command is given: the check can fail.
      execFileSync('git', ['credential', 'approve'], { input: `protocol=http\nhost=example.invalid\nusername=u\npassword=${token}\n\n` });
      expect(await readFile(store, 'utf8')).toContain(token);
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved;
    }
  });

  it('stalls without the token or with a wrong one, and says so without the token', async () => {
    const { url } = await served();
    const anonymous = await open(url);
    const refused = await failure(anonymous.repo.fetch());
    expect(refused).toMatchObject({ kind: 'stalled', code: 'source.unauthorized' });
    expect(refused.message).toMatch(/refused access.*check the token/);

    const wrongToken = `${token}-wrong`;
    const wrong = await open(url, { auth: { token: wrongToken, username } });
    const error = await failure(wrong.repo.fetch());
    expect(error).toMatchObject({ kind: 'stalled', code: 'source.unauthorized' });
    expect(server!.attempts.refused).toBeGreaterThan(1);
    for (const text of [refused.message, error.message, String(error.stack), JSON.stringify(anonymous.lines), JSON.stringify(wrong.lines)]) {
      expect(text).not.toContain(token);
    }
    expect(wrong.repo.head()).toBeUndefined();
  });
});

describe('manifest repository that cannot be reached', () => {
  it('is transient when nothing listens at the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const { repo } = await open(`http://127.0.0.1:${port}/manifests.git`);
    const error = await failure(repo.fetch());
    expect(error).toMatchObject({ kind: 'transient', code: 'source.unreachable' });
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('is transient when the server never answers within the deadline', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const { repo } = await open(`http://127.0.0.1:${port}/manifests.git`, { timeoutMs: 1_000 });
      const error = await failure(repo.fetch());
      expect(error).toMatchObject({ kind: 'transient', code: 'source.unreachable' });
      expect(error.message).toMatch(/no answer within 1 s/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('pure helpers', () => {
  it.each([
    { changed: 'all' as const, expected: 'all' },
    { changed: [], expected: [] },
    { changed: ['shop/pilot.yaml', 'README.md'], expected: ['shop'] },
    { changed: ['./blog/pilot.yaml', 'shop/pilot.yaml'], expected: ['blog', 'shop'] },
    { changed: ['shop/pilot.yaml.bak', 'shop'], expected: [] },
  ])('projectsTouched($changed)', ({ changed, expected }) => {
    const files = [
      { project: 'shop', file: 'shop/pilot.yaml' },
      { project: 'blog', file: 'blog/pilot.yaml' },
      { project: 'blog-admin', file: 'blog/pilot.yaml' },
    ];
    const touched = projectsTouched(changed, files);
    const sorted = touched === 'all' ? 'all' : [...touched].sort();
    expect(sorted).toEqual(expected === 'all' ? 'all' : [...expected, ...(expected.includes('blog') ? ['blog-admin'] : [])].sort());
  });

  it.each([
    ['https://bot:s3cr%40t@github.com/acme/m.git', { url: 'https://github.com/acme/m.git', username: 'bot', password: 's3cr@t' }],
    ['https://:tok@github.com/acme/m.git', { url: 'https://github.com/acme/m.git', password: 'tok' }],
    ['ssh://git@github.com/acme/m.git', { url: 'ssh://git@github.com/acme/m.git' }],
    ['git@github.com:acme/m.git', { url: 'git@github.com:acme/m.git' }],
    ['https://github.com/acme/m.git', { url: 'https://github.com/acme/m.git' }],
  ])('splitCredentials(%s)', (url, expected) => {
    expect(splitCredentials(url)).toEqual(expected);
  });

  it('hands git the token and the SSH key through its environment only, and never prompts', () => {
    const base = { PATH: '/usr/bin', GIT_ASKPASS: '/usr/bin/ksshaskpass', GIT_DIR: '/elsewhere/.git', EDITOR: 'vi' };
    const env = gitEnvironment({ token: 't0k3n', sshKeyFile: "/keys/it's key" }, 'https://git.acme.dev:8443/infra/m.git', base);
    expect(env).toMatchObject({
      GIT_TERMINAL_PROMPT: '0',
      GIT_SSH_COMMAND: "ssh -i '/keys/it'\\''s key' -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o BatchMode=yes",
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
    });
    const config = Object.fromEntries(Array.from({ length: Number(env.GIT_CONFIG_COUNT) }, (_, i) => [env[`GIT_CONFIG_KEY_${i}`], env[`GIT_CONFIG_VALUE_${i}`]]));
    // The token only as the header for the repository's own origin (port included), base64 like Basic auth.
    expect(config['http.https://git.acme.dev:8443/.extraHeader']).toBe(`Authorization: Basic ${Buffer.from('x-access-token:t0k3n').toString('base64')}`);
    expect(Object.values(env).join('\n')).not.toContain('t0k3n');
    for (const name of ['GIT_DIR', 'GIT_ASKPASS', 'EDITOR']) expect(env[name], name).toBeUndefined();
    const anonymous = gitEnvironment({}, 'https://git.acme.dev/infra/m.git', base);
    expect(Object.values(anonymous).join('\n')).not.toContain('Authorization');
    expect(anonymous.GIT_SSH_COMMAND).toBeUndefined();
    // A token given with an ssh or file URL goes nowhere.
    expect(Object.values(gitEnvironment({ token: 't0k3n' }, 'file:///srv/m.git', base)).join('\n')).not.toContain('Authorization');
  });

  it('scrubs secrets and URL credentials from what git prints', () => {
    expect(scrub("fatal: unable to access 'https://bot:hunter2@host/x.git/': hunter2 rejected", ['hunter2'])).toBe(
      "fatal: unable to access 'https://***@host/x.git/': *** rejected",
    );
  });
});
