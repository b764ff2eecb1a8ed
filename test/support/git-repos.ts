// Real git repositories for tests: bare repositories under the temp folder, served
// over file://, filled from a work clone; and a manifest repository (a work tree of
// pilot.yaml files whose revision is a real commit).

import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const identity = ['-c', 'user.name=Pilot Tests', '-c', 'user.email=tests@pilot.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
const gitEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull };

export async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', [...identity, ...args], { cwd, env: gitEnv, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

const temporary: string[] = [];

/** A fresh folder under os.tmpdir(), removed by `removeTemporaryFolders`. */
export async function temporaryFolder(prefix = 'pilot-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

export async function removeTemporaryFolders(): Promise<void> {
  const dirs = temporary.splice(0);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Files to write (text) or delete (null), by path relative to the work tree. */
export type FileChanges = Record<string, string | null>;

async function applyChanges(root: string, files: FileChanges): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    if (content === null) {
      await rm(file, { force: true });
      continue;
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

async function commitAll(work: string, message: string): Promise<string> {
  await git(work, ['add', '--all']);
  await git(work, ['commit', '--quiet', '--allow-empty', '-m', message]);
  return git(work, ['rev-parse', 'HEAD']);
}

/** A bare repository (the "remote" an app's source.repo names) and the clone that fills it. */
export interface SourceRepo {
  /** file:// URL of the bare repository. */
  url: string;
  bare: string;
  /** Commits the changes on main, pushes them, returns the new commit. */
  commit(files: FileChanges, message?: string): Promise<string>;
  /** The commit main points at in the bare repository. */
  head(): Promise<string>;
}

/** An app a runner can build either way: with buildpacks, or from its Dockerfile. */
export function appFiles(name: string): FileChanges {
  return {
    'README.md': `# ${name}\n`,
    'package.json': JSON.stringify({ name, private: true, scripts: { start: 'node server.js' } }, null, 2),
    'server.js': "require('node:http').createServer((_, res) => res.end('ok')).listen(process.env.PORT || 8080);\n",
    Dockerfile: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
  };
}

export async function createSourceRepo(name = 'app', files: FileChanges = appFiles(name)): Promise<SourceRepo & { first: string }> {
  const root = await temporaryFolder(`pilot-src-${name}-`);
  const bare = path.join(root, `${name}.git`);
  const work = path.join(root, 'work');
  await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await git(root, ['init', '--quiet', '--initial-branch=main', work]);
  await git(work, ['remote', 'add', 'origin', bare]);
  let count = 0;
  const repo: SourceRepo = {
    url: pathToFileURL(bare).href,
    bare,
    async commit(changes, message) {
      await applyChanges(work, changes);
      const sha = await commitAll(work, message ?? `change ${++count} of ${name}`);
      await git(work, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
      return sha;
    },
    head: () => git(bare, ['rev-parse', 'refs/heads/main']),
  };
  const first = await repo.commit(files, `initial ${name}`);
  return { ...repo, first };
}

/** A work tree of manifests: `pilot apply DIR` reads it, and its HEAD is the revision. */
export interface ManifestRepo {
  dir: string;
  /** Writes (or deletes, with null) files, commits, returns the commit. */
  commit(files: FileChanges, message?: string): Promise<string>;
  /** Deletes every file but .git, commits, returns the commit. */
  clear(message?: string): Promise<string>;
  head(): Promise<string>;
}

export async function createManifestRepo(files: FileChanges = {}): Promise<ManifestRepo & { first: string }> {
  const dir = await temporaryFolder('pilot-manifests-');
  await git(dir, ['init', '--quiet', '--initial-branch=main']);
  const repo: ManifestRepo = {
    dir,
    async commit(changes, message = 'update manifests') {
      await applyChanges(dir, changes);
      return commitAll(dir, message);
    },
    async clear(message = 'remove every manifest') {
      const tracked = (await git(dir, ['ls-files'])).split('\n').filter(Boolean);
      await applyChanges(dir, Object.fromEntries(tracked.map((file) => [file, null])));
      return commitAll(dir, message);
    },
    head: () => git(dir, ['rev-parse', 'HEAD']),
  };
  const first = await repo.commit(files, 'initial manifests');
  return { ...repo, first };
}
