// How Pilot reaches GitHub's API, as resolved from pilot.config.yaml and PILOT_*
// variables (src/app/settings.ts): an App, or a token. Secrets held in memory only.

export interface GithubAppSettings {
  id: number;
  /** The app's private key, PEM. */
  privateKey: string;
  /** Default: looked up from the repository the call is about. */
  installationId?: number;
}

/** The web address of a GitHub API: api.github.com -> github.com; HOST/api/v3 -> HOST. */
export function webUrlOf(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname.startsWith('api.')) url.hostname = url.hostname.slice('api.'.length);
  url.pathname = url.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '');
  return url.toString().replace(/\/+$/, '');
}

export interface GithubSettings {
  /** owner/name of the manifest repository on GitHub (default: from repository.url). */
  repository?: string;
  /** e.g. https://api.github.com, or https://ghe.example.com/api/v3. No trailing slash. */
  apiUrl: string;
  /** Exactly one of app and token when Pilot posts anything; neither: nothing is posted. */
  app?: GithubAppSettings;
  token?: string;
  /** Post the plan comment (default true). */
  comments: boolean;
  /** Create deployments on apply (default true). */
  deployments: boolean;
}
