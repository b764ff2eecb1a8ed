// Pilot's settings, resolved once for the daemon and every CLI command alike:
// pilot.config.yaml, then PILOT_* variables, then flags. Secrets come from the file's
// references or from variables, never from flags, and are held in memory only.

import { existsSync } from 'node:fs';
import { mergeClouds, type RawClouds } from '../drivers/settings.js';
import { parsePostgresUrl } from '../store/index.js';
import { resolveSourceCredentials, type SourceCredentials } from '../sources/git/source-credentials.js';
import { carriesCredentials } from '../sources/manifests/git-url.js';
import type { GithubSettings } from '../sources/github/api/settings.js';
import type { TlsMode } from '../waypoint/client/connection.js';
import type { RawSettings, RawWaypointToken } from './settings-file.js';
import { ConfigError, parseDuration, readSecret, secretOf, type Env } from './setting-values.js';

export interface Settings {
  repository?: { url: string; branch: string; token?: string; sshKeyFile?: string };
  pollMs: number;
  driftMs: number;
  selfHeal: boolean;
  concurrency: number;
  stateDir?: string;
  /** The store's URL when not the state directory's state.db (PostgreSQL: several daemons, one leading). May hold a password: never shown. */
  stateUrl?: string;
  /** bootstrapTokenFile: the daemon's token file, still to be made (waypoint-token.ts); only ever set for the daemon. */
  waypoint?: { address: string; tls: TlsMode; caFile?: string; token?: string; bootstrapTokenFile?: string };
  webhookSecrets: string[];
  github?: GithubSettings;
  /** apiToken: what the status, metrics and sync routes ask for (without it they answer loopback peers only). */
  http: { host: string; port: number; publicUrl?: string; apiToken?: string };
  /** The `clouds` section with PILOT_CLOUDS / --clouds applied; resolved against the state directory at open. */
  clouds: RawClouds;
  /** Credentials for private app repositories, sent on their jobs (default: the manifest repository's, for its host). */
  sources?: SourceCredentials;
}

/** What flags may set: everything but secrets. */
export type Overrides = Partial<{
  repoUrl: string; branch: string; poll: string; drift: string; selfHeal: boolean; concurrency: number; stateDir: string;
  waypoint: string; waypointTls: string; waypointCa: string; host: string; port: number; clouds: string; terraform: string; terraformMirror: string;
}>;

/** Names where a value came from, for messages: the flag, else the variable, else the key. */
function from(flag: unknown, flagName: string, variable: string | undefined, variableName: string, key: string): string {
  return flag !== undefined ? flagName : variable !== undefined ? variableName : key;
}

const num = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

function cloudsOf(raw: RawClouds, env: Env, flags: Overrides): RawClouds {
  try {
    return mergeClouds(raw, env, { ...(flags.clouds === undefined ? {} : { mode: flags.clouds }), ...(flags.terraform ? { binary: flags.terraform } : {}), ...(flags.terraformMirror ? { mirror: flags.terraformMirror } : {}) });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function sourcesOf(raw: RawSettings, env: Env, repository: Settings['repository']): SourceCredentials | undefined {
  return resolveSourceCredentials(
    {
      // Without a host or a manifest repository to take it from, tokens are for github.com.
      host: env.PILOT_SOURCE_HOST ?? raw.sources?.host ?? (repository ? undefined : 'github.com'),
      username: env.PILOT_SOURCE_USERNAME ?? raw.sources?.username,
      token: secretOf(env, 'PILOT_SOURCE_TOKEN', raw.sources?.token, 'sources.token'),
      sshKeyFile: env.PILOT_SOURCE_SSH_KEY_FILE ?? raw.sources?.sshKeyFile,
      ...(repository ? { repository } : {}),
    },
    (file) => readSecret({ file }, env, 'sources.sshKeyFile'),
  );
}

function webhookSecrets(raw: RawSettings, env: Env): string[] {
  if (env.PILOT_WEBHOOK_SECRET) return env.PILOT_WEBHOOK_SECRET.split(',').filter(Boolean);
  return (raw.webhooks?.secrets ?? []).map((ref, i) => readSecret(ref, env, `webhooks.secrets[${i}]`));
}

/** The GitHub section: an App (PILOT_GITHUB_APP_ID + PILOT_GITHUB_APP_PRIVATE_KEY, or github.app) or a token. */
function githubOf(raw: RawSettings, env: Env): GithubSettings | undefined {
  const section = raw.github;
  const token = secretOf(env, 'PILOT_GITHUB_TOKEN', section?.token, 'github.token');
  const appId = num(env.PILOT_GITHUB_APP_ID) ?? section?.app?.id;
  if (appId !== undefined && (!Number.isInteger(appId) || appId < 1)) throw new ConfigError('PILOT_GITHUB_APP_ID: use the App ID shown on the app\'s settings page (a whole number)');
  const privateKey = appId === undefined ? undefined : secretOf(env, 'PILOT_GITHUB_APP_PRIVATE_KEY', section?.app?.privateKey, 'github.app.privateKey');
  if (appId !== undefined && !privateKey) throw new ConfigError('github.app: set privateKey in pilot.config.yaml ({ file: /path/to/key.pem }) or PILOT_GITHUB_APP_PRIVATE_KEY');
  if (!section && !token && appId === undefined) return undefined;
  const installationId = num(env.PILOT_GITHUB_INSTALLATION_ID) ?? section?.app?.installationId;
  const repository = env.PILOT_GITHUB_REPOSITORY ?? section?.repository;
  return {
    ...(repository ? { repository } : {}),
    apiUrl: (env.PILOT_GITHUB_API_URL ?? section?.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    ...(appId !== undefined && privateKey ? { app: { id: appId, privateKey, ...(installationId ? { installationId } : {}) } } : token ? { token } : {}),
    comments: section?.comments ?? true,
    deployments: section?.deployments ?? true,
  };
}

function publicUrlOf(raw: RawSettings, env: Env): { publicUrl?: string } {
  const url = env.PILOT_PUBLIC_URL ?? raw.http?.publicUrl;
  return url ? { publicUrl: url.replace(/\/+$/, '') } : {};
}

/** The API token is the daemon's: a command never needs its secret readable. */
function apiTokenOf(raw: RawSettings, env: Env, reader: Reader): { apiToken?: string } {
  const token = reader === 'daemon' ? secretOf(env, 'PILOT_API_TOKEN', raw.http?.apiToken, 'http.apiToken') : undefined;
  return token ? { apiToken: token } : {};
}

function checked(settings: Settings): Settings {
  if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1) throw new ConfigError('concurrency: use a whole number of 1 or more');
  const { port } = settings.http;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('http.port: use a port number from 0 to 65535');
  return settings;
}

/** Who reads the settings: a command does not read the daemon's own sections (webhooks, github), nor needs their secrets set. */
export type Reader = 'daemon' | 'command';

/**
 * The Waypoint token file the daemon is to make ({ file, bootstrap: true } and no such
 * file yet); undefined when it is read as any secret file. Only `pilot serve` makes it.
 */
function tokenFileToMake(ref: RawWaypointToken | undefined, reader: Reader): string | undefined {
  if (!ref || !('bootstrap' in ref) || ref.bootstrap !== true || existsSync(ref.file)) return undefined;
  if (reader === 'daemon') return ref.file;
  throw new ConfigError(`waypoint.token: ${ref.file} does not exist yet: the daemon makes it with Waypoint's BootstrapToken on its first start; start it (pilot serve), or set PILOT_WAYPOINT_TOKEN`);
}

/**
 * PILOT_STATE_URL, else state.url. A URL written in the file itself must hold no
 * password (the file is read by people and kept in backups): a reference does.
 */
function stateUrlOf(raw: RawSettings, env: Env): string | undefined {
  const written = raw.state?.url;
  if (typeof written === 'string' && !env.PILOT_STATE_URL && /^postgres(ql)?:/i.test(written) && passwordsIn(written).length > 0) {
    throw new ConfigError('state.url: the URL holds a password: write it as { env: VARIABLE } or { file: PATH } (mode 0600), set PILOT_STATE_URL, or leave the password to PGPASSWORD');
  }
  return env.PILOT_STATE_URL || (typeof written === 'string' ? written : written ? readSecret(written, env, 'state.url') : undefined);
}

/** The passwords a PostgreSQL URL carries (user:password@, ?password=); one that does not parse is left to openStore to refuse. */
function passwordsIn(url: string): readonly string[] {
  try {
    return parsePostgresUrl(url).secrets;
  } catch {
    return [];
  }
}

/** File < PILOT_* variables < flags; secrets resolved. */
export function resolveSettings(raw: RawSettings, env: Env, flags: Overrides = {}, reader: Reader = 'daemon'): Settings {
  const url = flags.repoUrl ?? env.PILOT_REPO_URL ?? raw.repository?.url;
  const address = flags.waypoint ?? env.PILOT_WAYPOINT_ADDR ?? raw.waypoint?.address;
  const tls = (flags.waypointTls ?? env.PILOT_WAYPOINT_TLS ?? raw.waypoint?.tls ?? 'verify') as TlsMode;
  if (!['verify', 'skip-verify', 'off'].includes(tls)) throw new ConfigError(`${from(flags.waypointTls, '--waypoint-tls', env.PILOT_WAYPOINT_TLS, 'PILOT_WAYPOINT_TLS', 'waypoint.tls')}: ${JSON.stringify(tls)} is not verify, skip-verify or off`);
  const settings: Settings = {
    pollMs: parseDuration(flags.poll ?? env.PILOT_POLL_INTERVAL ?? raw.pollInterval, 60_000, from(flags.poll, '--poll', env.PILOT_POLL_INTERVAL, 'PILOT_POLL_INTERVAL', 'pollInterval')),
    driftMs: parseDuration(flags.drift ?? env.PILOT_DRIFT_INTERVAL ?? raw.driftInterval, 600_000, from(flags.drift, '--drift', env.PILOT_DRIFT_INTERVAL, 'PILOT_DRIFT_INTERVAL', 'driftInterval')),
    selfHeal: flags.selfHeal ?? (env.PILOT_SELF_HEAL ? env.PILOT_SELF_HEAL !== 'false' : raw.selfHeal ?? true),
    concurrency: flags.concurrency ?? num(env.PILOT_CONCURRENCY) ?? raw.concurrency ?? 4,
    webhookSecrets: reader === 'command' ? [] : webhookSecrets(raw, env),
    http: { host: flags.host ?? env.PILOT_HOST ?? raw.http?.host ?? '127.0.0.1', port: flags.port ?? num(env.PILOT_PORT) ?? raw.http?.port ?? 7900, ...publicUrlOf(raw, env), ...apiTokenOf(raw, env, reader) },
    clouds: cloudsOf(raw.clouds ?? {}, env, flags),
  };
  const stateDir = flags.stateDir ?? env.PILOT_HOME ?? raw.stateDir;
  if (stateDir) settings.stateDir = stateDir;
  const stateUrl = stateUrlOf(raw, env);
  if (stateUrl) settings.stateUrl = stateUrl;
  if (url) {
    // Kept in state and shown in process lists (the URL is never a secret): the token has its own settings.
    if (carriesCredentials(url)) throw new ConfigError(`${from(flags.repoUrl, '--repo', env.PILOT_REPO_URL, 'PILOT_REPO_URL', 'repository.url')}: the URL carries a user name or password (before the @): remove it, and set the token with PILOT_REPO_TOKEN or repository.token in pilot.config.yaml`);
    const token = secretOf(env, 'PILOT_REPO_TOKEN', raw.repository?.token, 'repository.token');
    const sshKeyFile = raw.repository?.sshKeyFile;
    settings.repository = { url, branch: flags.branch ?? env.PILOT_REPO_BRANCH ?? raw.repository?.branch ?? 'main', ...(token ? { token } : {}), ...(sshKeyFile ? { sshKeyFile } : {}) };
  }
  if (address) {
    const caFile = flags.waypointCa ?? env.PILOT_WAYPOINT_CA ?? raw.waypoint?.caFile;
    const toMake = env.PILOT_WAYPOINT_TOKEN ? undefined : tokenFileToMake(raw.waypoint?.token, reader);
    const token = toMake ? undefined : secretOf(env, 'PILOT_WAYPOINT_TOKEN', raw.waypoint?.token, 'waypoint.token');
    settings.waypoint = { address, tls, ...(caFile ? { caFile } : {}), ...(token ? { token } : {}), ...(toMake ? { bootstrapTokenFile: toMake } : {}) };
  }
  const github = reader === 'daemon' ? githubOf(raw, env) : undefined;
  if (github) settings.github = github;
  const sources = sourcesOf(raw, env, settings.repository);
  if (sources) settings.sources = sources;
  return checked(settings);
}
