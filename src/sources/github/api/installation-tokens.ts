// A GitHub App's installation tokens: the installation found from the repository (or
// set in the settings), a token made with the app's JWT and made again five minutes
// before it expires, so no request is sent with a token GitHub is about to refuse.

import { createAppAuth } from '@octokit/auth-app';
import type { Octokit } from '@octokit/rest';
import type { GithubAppSettings } from './settings.js';

/** Refresh this long before expires_at (GitHub's tokens live one hour). */
export const refreshMarginMs = 5 * 60_000;

export interface InstallationTokens {
  /** A valid token for the installation on `repository` (owner/name). */
  token(repository: string): Promise<string>;
  /** A JWT for the app's own endpoints (GET /app). */
  appJwt(): Promise<string>;
}

export function installationTokens(app: GithubAppSettings, base: Octokit, now: () => number = Date.now): InstallationTokens {
  const auth = createAppAuth({ appId: app.id, privateKey: app.privateKey, request: base.request });
  const installations = new Map<string, number>();
  const tokens = new Map<number, { token: string; expiresAt: number }>();
  const pending = new Map<number, Promise<string>>();

  const appJwt = async () => (await auth({ type: 'app' })).token;

  async function installationOf(repository: string): Promise<number> {
    if (app.installationId) return app.installationId;
    const known = installations.get(repository);
    if (known) return known;
    const [owner, repo] = repository.split('/') as [string, string];
    const { data } = await base.request('GET /repos/{owner}/{repo}/installation', { owner, repo, headers: { authorization: `bearer ${await appJwt()}` } });
    installations.set(repository, data.id);
    return data.id;
  }

  async function fresh(id: number): Promise<string> {
    const made = await auth({ type: 'installation', installationId: id, refresh: true });
    tokens.set(id, { token: made.token, expiresAt: Date.parse(made.expiresAt) });
    return made.token;
  }

  return {
    appJwt,
    async token(repository) {
      const id = await installationOf(repository);
      const held = tokens.get(id);
      if (held && held.expiresAt - now() > refreshMarginMs) return held.token;
      // One refresh at a time per installation, however many requests wait for it.
      let making = pending.get(id);
      if (!making) {
        making = fresh(id).finally(() => pending.delete(id));
        pending.set(id, making);
      }
      return making;
    },
  };
}
