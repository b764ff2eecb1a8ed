// The runner's checkout of a job's git data source, with real git: clone (with the
// job's basic or ssh credentials), resolve the ref, check out the commit, then work in
// `<clone>/<Job.git.path>` (internal/datasource/git.go 140-300).

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { status } from './errors.js';
import type { GitSource } from './types.js';

const run = promisify(execFile);

export interface Checkout {
  /** The clone's root. */
  root: string;
  /** `<root>/<git.path>`: where waypoint.hcl is written and the app's `path` is joined on. */
  dir: string;
  commit: string;
  timestamp: Date;
  message: string;
  remove(): Promise<void>;
}

export type CheckoutResult = { checkout: Checkout } | { code: status; message: string };

function problem(code: status, message: string): CheckoutResult {
  return { code, message };
}

/** Credentials as go-git would use them, given to the git binary without a command line. */
async function authEnv(git: GitSource, scratch: string, runnerEnv: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...runnerEnv, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
  if (git.basic) {
    const basic = Buffer.from(`${git.basic.username}:${git.basic.password}`).toString('base64');
    const count = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
    Object.assign(env, { GIT_CONFIG_COUNT: String(count + 1), [`GIT_CONFIG_KEY_${count}`]: 'http.extraHeader', [`GIT_CONFIG_VALUE_${count}`]: `Authorization: Basic ${basic}` });
  }
  if (git.ssh && git.ssh.private_key_pem.length > 0) {
    const key = path.join(scratch, 'ssh-key');
    await writeFile(key, Buffer.from(git.ssh.private_key_pem), { mode: 0o600 });
    env.GIT_SSH_COMMAND = `ssh -i '${key}' -l '${git.ssh.user || 'git'}' -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o BatchMode=yes`;
  }
  return env;
}

async function git(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ ok: true; out: string } | { ok: false; err: string }> {
  try {
    const { stdout } = await run('git', args, { env, cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, out: stdout.trim() };
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    return { ok: false, err: stderr.split('\n').filter(Boolean).at(-1) ?? 'git failed' };
  }
}

/** The ref as a commit: a full id, a branch, a tag, or whatever git can resolve. */
async function resolveRef(ref: string, env: NodeJS.ProcessEnv, root: string): Promise<string | undefined> {
  for (const candidate of [ref, `refs/remotes/origin/${ref}`, `refs/tags/${ref}`]) {
    const found = await git(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], env, root);
    if (found.ok && found.out) return found.out;
  }
  return undefined;
}

/** `runnerEnv` is the runner's environment (its CA bundle, proxy settings). */
export async function checkoutSource(source: GitSource, baseDir: string, runnerEnv: NodeJS.ProcessEnv): Promise<CheckoutResult> {
  const sub = source.path;
  if (sub && path.isAbsolute(sub)) return problem(status.FAILED_PRECONDITION, 'git path must be relative');
  if (sub && sub.split(/[\\/]/).includes('..')) return problem(status.FAILED_PRECONDITION, "git path may not contain '..'");
  const scratch = await mkdtemp(path.join(baseDir, 'waypoint'));
  const root = path.join(scratch, 'clone');
  const remove = () => rm(scratch, { recursive: true, force: true });
  const env = await authEnv(source, scratch, runnerEnv);
  const cloned = await git(['clone', '--quiet', '--no-checkout', source.url, root], env);
  if (!cloned.ok) {
    await remove();
    return problem(status.ABORTED, `Git clone failed: ${cloned.err}\n\nOutput: `);
  }
  // Without a ref the clone's default branch is used, as go-git's clone leaves it.
  const target = source.ref ? await resolveRef(source.ref, env, root) : 'HEAD';
  if (!target) {
    await remove();
    return problem(status.ABORTED, 'Failed to resolve revision for checkout: reference not found');
  }
  const checkedOut = await git(['checkout', '--quiet', '--detach', target], env, root);
  if (!checkedOut.ok) {
    await remove();
    return problem(status.ABORTED, `Git checkout failed: ${checkedOut.err}`);
  }
  const info = await git(['log', '-1', '--format=%H%x00%at%x00%s'], env, root);
  const [hash = '', seconds = '0', message = ''] = info.ok ? info.out.split('\0') : [];
  return {
    checkout: { root, dir: sub ? path.join(root, sub) : root, commit: hash, timestamp: new Date(Number(seconds) * 1000), message, remove },
  };
}
