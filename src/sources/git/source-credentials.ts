// Credentials for app source repositories: sent on each Waypoint job so the runner can
// clone a private repository (Job.git.basic / Job.git.ssh), and used by Pilot's own
// `git ls-remote` through the git module. They go only to the one host they were given
// for, so a manifest naming another host never receives them.

import type { GitAuth } from './git-auth.js';

export interface SourceCredentials {
  /** The git host the credentials are for, e.g. github.com. */
  host: string;
  /** HTTPS token (or password). */
  token?: string;
  /** HTTPS user name; default x-access-token, as GitHub expects with a token. */
  username?: string;
  /** SSH private key (PEM) for ssh:// and git@host:path URLs, and the file it came from. */
  sshKey?: { pem: string; file: string };
}

/** What a job carries; matches the client's GitAuth. */
export type JobGitAuth = { username: string; password: string } | { sshKeyPem: string; user?: string };

interface RepoAddress {
  scheme: 'https' | 'ssh';
  host: string;
  user?: string;
}

/** The scheme, host and user of a git URL; undefined for file:// and local paths. */
export function repoAddress(url: string): RepoAddress | undefined {
  const scp = /^([^@/:]+)@([^:/]+):(?!\/)/.exec(url);
  if (scp) return { scheme: 'ssh', host: scp[2]!.toLowerCase(), user: scp[1]! };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.toLowerCase();
  if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return { scheme: 'https', host };
  if (parsed.protocol === 'ssh:') return { scheme: 'ssh', host, ...(parsed.username ? { user: decodeURIComponent(parsed.username) } : {}) };
  return undefined;
}

/** The credentials a job for `repo` should carry, if any. */
export function jobAuthFor(credentials: SourceCredentials | undefined, repo: string): JobGitAuth | undefined {
  const address = repoAddress(repo);
  if (!credentials || !address || address.host !== credentials.host.toLowerCase()) return undefined;
  if (address.scheme === 'https' && credentials.token) return { username: credentials.username ?? 'x-access-token', password: credentials.token };
  if (address.scheme === 'ssh' && credentials.sshKey) return { sshKeyPem: credentials.sshKey.pem, user: address.user ?? 'git' };
  return undefined;
}

/** The credentials Pilot's own git commands on `repo` use (the git module turns them into a header or an ssh command). */
export function gitAuthFor(credentials: SourceCredentials | undefined, repo: string): GitAuth | undefined {
  const auth = jobAuthFor(credentials, repo);
  if (!auth) return undefined;
  return 'password' in auth ? { token: auth.password, username: auth.username } : { sshKeyFile: credentials!.sshKey!.file };
}

export interface CredentialSettings {
  host?: string;
  username?: string;
  token?: string;
  sshKeyFile?: string;
  /** The manifest repository: its host and credentials serve when no others are given. */
  repository?: { url: string; token?: string; sshKeyFile?: string };
}

/** Settings -> credentials; undefined when there are none. `readKey` reads a key file (mode checked by the caller). */
export function resolveSourceCredentials(settings: CredentialSettings, readKey: (file: string) => string): SourceCredentials | undefined {
  const repository = settings.repository;
  const host = settings.host ?? (repository ? repoAddress(repository.url)?.host : undefined);
  const sameHost = !settings.host || (repository && repoAddress(repository.url)?.host === settings.host.toLowerCase());
  const token = settings.token ?? (sameHost ? repository?.token : undefined);
  const sshKeyFile = settings.sshKeyFile ?? (sameHost ? repository?.sshKeyFile : undefined);
  if (!host || (!token && !sshKeyFile)) return undefined;
  return {
    host,
    ...(settings.username ? { username: settings.username } : {}),
    ...(token ? { token } : {}),
    ...(sshKeyFile ? { sshKey: { pem: readKey(sshKeyFile), file: sshKeyFile } } : {}),
  };
}
