// Who a request comes from: a user's personal access token, an installation token
// (ghs_…, which expires) or the app's JWT. A JWT is taken only on the app's own
// endpoints, and those take nothing else, as on GitHub:
// https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/about-authentication-with-a-github-app

import { randomBytes } from 'node:crypto';
import { docs, refused, type ApiError } from './api-error.js';
import { jwtProblem, looksLikeJwt } from './app-jwt.js';
import type { World } from './world.js';
import type { Account } from './types.js';

export type Caller =
  | { kind: 'user'; account: Account }
  | { kind: 'installation'; account: Account; installationId: number }
  | { kind: 'app' };

export interface InstallationToken {
  token: string;
  installationId: number;
  expiresAt: number;
}

const badCredentials = 'Bad credentials';

export class Credentials {
  private readonly installationTokens = new Map<string, InstallationToken>();

  constructor(
    private readonly world: World,
    private readonly tokenTtlMs: number,
  ) {}

  issueInstallationToken(installationId: number): InstallationToken {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const token = `ghs_${[...randomBytes(36)].map((b) => alphabet[b % alphabet.length]).join('')}`;
    const issued = { token, installationId, expiresAt: Date.now() + this.tokenTtlMs };
    this.installationTokens.set(token, issued);
    return issued;
  }

  /** The caller, or the 401 GitHub answers. `appEndpoint`: GET /app, installations, access tokens. */
  authenticate(authorization: string | undefined, appEndpoint: boolean): Caller | ApiError {
    if (!authorization) return refused(401, 'Requires authentication', { detail: 'no authorization header' });
    const match = /^(token|bearer)\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return refused(401, badCredentials, { detail: 'authorization must be "token X" or "Bearer X"' });
    const token = match[2]!;
    if (appEndpoint) {
      if (!looksLikeJwt(token)) {
        return refused(401, 'A JSON web token could not be decoded', { docs: docs.appJwt, detail: 'app endpoints take only the app JWT' });
      }
      const problem = jwtProblem(token, this.world.app, Math.floor(Date.now() / 1000));
      return problem ? refused(401, problem, { docs: docs.appJwt }) : { kind: 'app' };
    }
    if (looksLikeJwt(token)) {
      const message = "A GitHub App's JWT is accepted only on the app's own endpoints (GET /app, installations, access tokens); use an installation token here";
      return refused(401, message, { docs: docs.appJwt });
    }
    const installation = this.installationTokens.get(token);
    if (installation) {
      if (installation.expiresAt <= Date.now()) {
        return refused(401, badCredentials, { detail: `installation token expired at ${new Date(installation.expiresAt).toISOString()}` });
      }
      return { kind: 'installation', account: this.world.app.bot, installationId: installation.installationId };
    }
    const login = this.world.tokens.get(token);
    const account = login === undefined ? undefined : this.world.accountByLogin(login);
    if (!account) return refused(401, badCredentials, { detail: 'unknown token' });
    return { kind: 'user', account };
  }
}

/** Paths of the app's own endpoints, which take the JWT and only it. */
export function isAppEndpoint(template: string): boolean {
  return template === '/app' || template.startsWith('/app/') || /^\/(repos\/\{owner\}\/\{repo\}|orgs\/\{org\}|users\/\{username\})\/installation$/.test(template);
}
