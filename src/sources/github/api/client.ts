// The one GitHub client: Octokit with GitHub's pacing and rate limits honoured
// (plugin-throttling: requests wait, none is dropped), transient failures retried
// (plugin-retry), authenticated as a GitHub App (installation tokens per repository)
// or with a token, and every request's parameters cleared of Pilot's secrets.

import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { Logger } from '../../../reconciler/logger.js';
import { installationTokens, type InstallationTokens } from './installation-tokens.js';
import { redactSecrets } from './redact.js';
import type { GithubSettings } from './settings.js';

const PilotOctokit = Octokit.plugin(throttling, retry);
export type GithubOctokit = InstanceType<typeof PilotOctokit>;

export interface GithubClientOptions {
  logger: Logger;
  /** Values that must never leave in a request (tokens, keys, webhook secrets). */
  secrets?: readonly string[];
  /** 'github' (default): one write a second, as GitHub asks of integrations. 'none': tests. */
  pacing?: 'github' | 'none';
  /** For retries after a rate limit: 1000 (default) waits the seconds GitHub says. */
  retryAfterUnitMs?: number;
  userAgent?: string;
}

export interface GithubClient {
  /** 'app': check runs and a bot login; 'token': commit statuses. */
  readonly kind: 'app' | 'token';
  readonly octokit: GithubOctokit;
  /** The login Pilot's comments are written by (`<slug>[bot]` for an App). */
  login(): Promise<string>;
  /** Aborts every request under way (they are not retried); later ones fail at once. */
  close(): void;
}

const quiet = { debug() {}, info() {} };

/** owner/name a request is about: its parameters, or its URL (pagination sends only the URL). */
function repositoryOf(params: Record<string, unknown>): string | undefined {
  if (typeof params.owner === 'string' && typeof params.repo === 'string') return `${params.owner}/${params.repo}`;
  const match = typeof params.url === 'string' ? /\/repos\/([^/{}?]+)\/([^/{}?]+)/.exec(params.url) : null;
  return match ? `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}` : undefined;
}

export function openGithubClient(settings: GithubSettings, options: GithubClientOptions): GithubClient {
  const { logger } = options;
  if (!settings.app && !settings.token) throw new Error('github: set app (id and privateKey) or a token');
  const pacing = options.pacing === 'none' ? { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }), notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }) } : {};
  const waited = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    logger.warn({ method: request.method, url: request.url, retryAfterSeconds: retryAfter, retryCount }, `github ${kind} rate limit: waiting, then sending again`);
    return true;
  };
  const aborted = new AbortController();
  const octokit = new PilotOctokit({
    baseUrl: settings.apiUrl,
    request: { signal: aborted.signal },
    userAgent: options.userAgent ?? 'pilot',
    ...(settings.app ? {} : { auth: settings.token }),
    log: { ...quiet, warn: (message: string) => logger.debug({ message }, 'octokit'), error: (message: string) => logger.debug({ message }, 'octokit') },
    throttle: { ...pacing, id: 'pilot', retryAfterBaseValue: options.retryAfterUnitMs ?? 1000, onRateLimit: waited('primary'), onSecondaryRateLimit: waited('secondary') },
  });
  const secrets = [...(options.secrets ?? []), ...(settings.token ? [settings.token] : [])];
  let tokens: InstallationTokens | undefined;
  if (settings.app) {
    // A client of its own for the app's endpoints, so its JWTs skip the hook below.
    tokens = installationTokens(settings.app, new PilotOctokit({ baseUrl: settings.apiUrl, request: { signal: aborted.signal }, log: { ...quiet, warn() {}, error() {} }, throttle: { ...pacing, onRateLimit: waited('primary'), onSecondaryRateLimit: waited('secondary') } }));
  }
  octokit.hook.before('request', async (request) => {
    const params = request as unknown as Record<string, unknown>;
    for (const key of Object.keys(params)) {
      if (!['headers', 'request', 'url', 'method', 'baseUrl', 'mediaType'].includes(key)) params[key] = redactSecrets(params[key], secrets);
    }
    const repository = repositoryOf(params);
    if (tokens && repository) request.headers.authorization = `token ${await tokens.token(repository)}`;
  });
  let login: Promise<string> | undefined;
  return {
    kind: settings.app ? 'app' : 'token',
    octokit,
    close: () => aborted.abort(),
    login() {
      login ??= (async () => {
        if (!tokens) return (await octokit.rest.users.getAuthenticated()).data.login;
        const { data } = await octokit.request('GET /app', { headers: { authorization: `bearer ${await tokens.appJwt()}` } });
        return `${data?.slug ?? 'pilot'}[bot]`;
      })().catch((error: unknown) => {
        login = undefined;
        throw error;
      });
      return login;
    },
  };
}
