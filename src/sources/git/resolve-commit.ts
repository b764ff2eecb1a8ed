// The source port over git: a branch, tag or commit of an app's repository resolved to
// a commit (through the git module's ls-remote), once per repository and ref.

import type { SourcePort } from '../../reconciler/ports.js';
import { remoteCommit } from './remote-refs.js';
import { gitAuthFor, type SourceCredentials } from './source-credentials.js';

export { pickCommit } from './remote-refs.js';

/** https://user:token@host/x -> https://***@host/x: credentials never reach a message. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]+@/i, '$1***@');
}

export function gitSource(env: NodeJS.ProcessEnv = process.env, credentials?: SourceCredentials): SourcePort {
  const cache = new Map<string, Promise<string>>();
  const resolve = (repo: string, ref: string) => {
    const auth = gitAuthFor(credentials, repo);
    return remoteCommit(repo, ref, { base: env, timeoutMs: 30_000, credentials: 'the source credentials (PILOT_SOURCE_TOKEN, or sources in the daemon configuration)', ...(auth ? { auth } : {}) });
  };
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
