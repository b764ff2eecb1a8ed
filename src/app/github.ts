// GitHub wired for `pilot serve`: the client (an App or a token), the manifest
// repository it reports applies to, and the reporter; none when no GitHub credentials
// are set (plans still show on the status page). Every secret Pilot holds is handed
// to the client, which strips it from anything it sends.

import type { PinoLogger } from '../daemon/logger.js';
import { githubReporter, type GithubReporter } from '../daemon/reporters/github/github-reporter.js';
import { noteMerge, type DaemonStatus } from '../daemon/status.js';
import { openGithubClient, type GithubClientOptions } from '../sources/github/api/client.js';
import { webUrlOf } from '../sources/github/api/settings.js';
import { normalizeRepoUrl } from '../sources/github/repo-url.js';
import type { Settings } from './settings.js';

/** Every secret the settings hold, for the client to keep out of requests. */
export function secretsOf(settings: Settings): string[] {
  const { repository, waypoint, github, sources } = settings;
  return [repository?.token, waypoint?.token, github?.token, github?.app?.privateKey, sources?.token, sources?.sshKey?.pem, settings.http.apiToken, ...settings.webhookSecrets]
    .filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** owner/name of the manifest repository: github.repository, else from repository.url when it is on the API's host. */
export function manifestRepositoryOf(settings: Settings): string | undefined {
  if (settings.github?.repository) return settings.github.repository;
  const url = settings.repository?.url;
  const key = url ? normalizeRepoUrl(url) : undefined;
  if (!key || !settings.github) return undefined;
  const [host, ...rest] = key.split('/');
  return host === new URL(webUrlOf(settings.github.apiUrl)).hostname && rest.length === 2 ? rest.join('/') : undefined;
}

export function githubReporterFor(settings: Settings, logger: PinoLogger, status: DaemonStatus, client?: Pick<GithubClientOptions, 'pacing' | 'retryAfterUnitMs'>): GithubReporter | undefined {
  const github = settings.github;
  if (!github || (!github.app && !github.token)) return undefined;
  const api = openGithubClient(github, { logger: logger.child({ component: 'github' }), secrets: secretsOf(settings), ...client });
  const repository = manifestRepositoryOf(settings);
  if (!repository) logger.warn({}, 'github: applies are not reported: set github.repository (owner/name) for a manifest repository not on GitHub');
  const { publicUrl } = settings.http;
  return githubReporter({
    client: api, logger, comments: github.comments, deployments: github.deployments,
    ...(repository ? { repository: { repository, htmlUrl: `${webUrlOf(github.apiUrl)}/${repository}` } } : {}),
    ...(publicUrl ? { statusUrl: () => publicUrl } : {}),
    onMerged: (revision, pullRequest) => noteMerge(status, { revision, number: pullRequest.number, url: pullRequest.htmlUrl }),
  });
}
