// Resolves a branch, tag or commit of a remote repository to a commit with `git ls-remote`.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PilotError } from '../../reconciler/errors.js';
import type { SourcePort } from '../../reconciler/ports.js';
import { gitEnvFor, type SourceCredentials } from './source-credentials.js';

const run = promisify(execFile);
const fullCommit = /^[0-9a-f]{40}$/;

/** https://user:token@host/x -> https://***@host/x: credentials never reach a message. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]+@/i, '$1***@');
}

export function pickCommit(listing: string, ref: string): string | undefined {
  const refs = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const [sha, name] = line.split('\t');
    if (sha && name) refs.set(name, sha);
  }
  for (const name of [`refs/heads/${ref}`, `refs/tags/${ref}^{}`, `refs/tags/${ref}`, ref]) {
    const sha = refs.get(name);
    if (sha) return sha;
  }
  return undefined;
}

export function gitSource(env: NodeJS.ProcessEnv = process.env, credentials?: SourceCredentials): SourcePort {
  const cache = new Map<string, Promise<string>>();
  async function resolve(repo: string, ref: string): Promise<string> {
    if (fullCommit.test(ref)) return ref;
    let listing: string;
    try {
      ({ stdout: listing } = await run('git', ['ls-remote', '--heads', '--tags', repo, ref], {
        env: { ...gitEnvFor(credentials, repo, env), GIT_TERMINAL_PROMPT: '0' },
        timeout: 30_000,
        maxBuffer: 16 * 1024 * 1024,
      }));
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '').split('\n')[0]!.replaceAll(repo, redactUrl(repo));
      throw new PilotError('transient', 'source.unreachable', `cannot read ${redactUrl(repo)}: ${stderr || 'git ls-remote failed'}`);
    }
    const commit = pickCommit(listing, ref);
    if (!commit) throw new PilotError('stalled', 'source.ref-not-found', `${redactUrl(repo)} has no branch or tag ${JSON.stringify(ref)}: fix source.ref, or push it`);
    return commit;
  }
  return {
    resolveCommit(repo, ref) {
      const key = `${repo}#${ref}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = resolve(repo, ref);
        cache.set(key, pending);
        pending.catch(() => cache.delete(key));
      }
      return pending;
    },
  };
}
