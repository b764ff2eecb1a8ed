// The daemon's configuration: pilot.config.yaml, then PILOT_* variables, then flags.
// Secrets are references ({ env } or { file }), resolved here and held in memory only.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { mergeClouds, type RawClouds } from '../drivers/settings.js';
import { resolveSourceCredentials, type SourceCredentials } from '../sources/git/source-credentials.js';
import type { TlsMode } from '../waypoint/client/connection.js';
import { locate } from '../sources/manifests/locate.js';
import { parseManifestFile } from '../sources/manifests/parse.js';
import { formatPath, formatProblem, type Problem } from '../sources/manifests/problem.js';
import { checkSchema } from '../sources/manifests/schema.js';

export const configSchemaUrl = new URL('../../schemas/pilot-config.schema.json', import.meta.url);

export type SecretRef = { env: string } | { file: string };

export interface DaemonConfig {
  repository?: { url: string; branch: string; token?: string; sshKeyFile?: string };
  pollMs: number;
  driftMs: number;
  selfHeal: boolean;
  concurrency: number;
  stateDir?: string;
  waypoint?: { address: string; tls: TlsMode; caFile?: string; token?: string };
  webhookSecrets: string[];
  github?: { token?: string; apiUrl: string };
  http: { host: string; port: number };
  /** The `clouds` section with PILOT_CLOUDS / --clouds applied; resolved against the state directory at start. */
  clouds: RawClouds;
  /** Credentials for private app repositories, sent on their jobs (default: the manifest repository's, for its host). */
  sources?: SourceCredentials;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseDuration(value: string | number | undefined, fallbackMs: number, where = 'duration'): number {
  if (value === undefined) return fallbackMs;
  if (typeof value === 'number') return value * 1000;
  const match = /^(\d+)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new ConfigError(`${where}: ${JSON.stringify(value)} is not a duration: use one such as 30s, 10m or 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
}

/** Reads a secret reference; a file readable by others is refused. */
export function readSecret(ref: SecretRef, env: Readonly<Record<string, string | undefined>>, where: string): string {
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new ConfigError(`${where}: the variable ${ref.env} is not set`);
    return value;
  }
  let mode: number;
  try {
    mode = statSync(ref.file).mode;
  } catch {
    throw new ConfigError(`${where}: cannot read ${ref.file}`);
  }
  if ((mode & 0o077) !== 0) throw new ConfigError(`${where}: ${ref.file} can be read by other users; run chmod 600 ${ref.file}`);
  return readFileSync(ref.file, 'utf8').trim();
}

interface RawConfig {
  repository?: { url: string; branch?: string; token?: SecretRef; sshKeyFile?: string };
  pollInterval?: string;
  driftInterval?: string;
  selfHeal?: boolean;
  concurrency?: number;
  stateDir?: string;
  waypoint?: { address: string; tls?: TlsMode; caFile?: string; token?: SecretRef };
  webhooks?: { secrets?: SecretRef[] };
  github?: { token?: SecretRef; apiUrl?: string };
  http?: { host?: string; port?: number };
  clouds?: RawClouds;
  sources?: { host?: string; username?: string; token?: SecretRef; sshKeyFile?: string };
}

/** Parses and checks the file; every problem is reported with file:line:col. */
export function readConfigFile(file: string): RawConfig {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the config file`);
  }
  const name = path.basename(file);
  const parsed = parseManifestFile({ path: name, content });
  const problems: Problem[] = [...parsed.problems];
  const doc = parsed.documents[0];
  if (doc) {
    for (const e of checkSchema(doc.value, configSchemaUrl)) {
      const { line, col } = locate(doc, e.segments, e.target);
      problems.push({ severity: 'error', file: name, line, col, path: formatPath(e.segments), message: e.message, rule: e.rule });
    }
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new ConfigError(errors.map(formatProblem).join('\n'));
  return (doc?.value ?? {}) as RawConfig;
}

export type Overrides = Partial<{
  repoUrl: string; branch: string; poll: string; drift: string; selfHeal: boolean; concurrency: number; stateDir: string;
  waypoint: string; waypointTls: string; waypointCa: string; host: string; port: number; clouds: string;
}>;

/** Names where a value came from, for messages: the flag, else the variable, else the key. */
function from(flag: unknown, flagName: string, variable: string | undefined, variableName: string, key: string): string {
  return flag !== undefined ? flagName : variable !== undefined ? variableName : key;
}

const num = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

function cloudsOf(raw: RawClouds, env: Readonly<Record<string, string | undefined>>, mode: string | undefined): RawClouds {
  try {
    return mergeClouds(raw, env, mode === undefined ? {} : { mode });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/** File < PILOT_* variables < flags; secrets resolved. */
export function resolveConfig(raw: RawConfig, env: Readonly<Record<string, string | undefined>>, flags: Overrides = {}): DaemonConfig {
  const url = flags.repoUrl ?? env.PILOT_REPO_URL ?? raw.repository?.url;
  const address = flags.waypoint ?? env.PILOT_WAYPOINT_ADDR ?? raw.waypoint?.address;
  const tls = (flags.waypointTls ?? env.PILOT_WAYPOINT_TLS ?? raw.waypoint?.tls ?? 'verify') as TlsMode;
  if (!['verify', 'skip-verify', 'off'].includes(tls)) throw new ConfigError(`waypoint.tls: ${JSON.stringify(tls)} is not verify, skip-verify or off`);
  const config: DaemonConfig = {
    pollMs: parseDuration(flags.poll ?? env.PILOT_POLL_INTERVAL ?? raw.pollInterval, 60_000, from(flags.poll, '--poll', env.PILOT_POLL_INTERVAL, 'PILOT_POLL_INTERVAL', 'pollInterval')),
    driftMs: parseDuration(flags.drift ?? env.PILOT_DRIFT_INTERVAL ?? raw.driftInterval, 600_000, from(flags.drift, '--drift', env.PILOT_DRIFT_INTERVAL, 'PILOT_DRIFT_INTERVAL', 'driftInterval')),
    selfHeal: flags.selfHeal ?? (env.PILOT_SELF_HEAL ? env.PILOT_SELF_HEAL !== 'false' : raw.selfHeal ?? true),
    concurrency: flags.concurrency ?? num(env.PILOT_CONCURRENCY) ?? raw.concurrency ?? 4,
    webhookSecrets: [],
    http: { host: flags.host ?? env.PILOT_HOST ?? raw.http?.host ?? '127.0.0.1', port: flags.port ?? num(env.PILOT_PORT) ?? raw.http?.port ?? 7900 },
    clouds: cloudsOf(raw.clouds ?? {}, env, flags.clouds),
  };
  const stateDir = flags.stateDir ?? env.PILOT_HOME ?? raw.stateDir;
  if (stateDir) config.stateDir = stateDir;
  if (url) {
    config.repository = { url, branch: flags.branch ?? env.PILOT_REPO_BRANCH ?? raw.repository?.branch ?? 'main' };
    const token = env.PILOT_REPO_TOKEN ?? (raw.repository?.token ? readSecret(raw.repository.token, env, 'repository.token') : undefined);
    if (token) config.repository.token = token;
    if (raw.repository?.sshKeyFile) config.repository.sshKeyFile = raw.repository.sshKeyFile;
  }
  if (address) {
    config.waypoint = { address, tls };
    const ca = flags.waypointCa ?? env.PILOT_WAYPOINT_CA ?? raw.waypoint?.caFile;
    if (ca) config.waypoint.caFile = ca;
    const token = env.PILOT_WAYPOINT_TOKEN ?? (raw.waypoint?.token ? readSecret(raw.waypoint.token, env, 'waypoint.token') : undefined);
    if (token) config.waypoint.token = token;
  }
  const secrets = env.PILOT_WEBHOOK_SECRET
    ? env.PILOT_WEBHOOK_SECRET.split(',').filter(Boolean)
    : (raw.webhooks?.secrets ?? []).map((ref, i) => readSecret(ref, env, `webhooks.secrets[${i}]`));
  config.webhookSecrets = secrets;
  const githubToken = env.PILOT_GITHUB_TOKEN ?? (raw.github?.token ? readSecret(raw.github.token, env, 'github.token') : undefined);
  if (githubToken || raw.github) config.github = { apiUrl: raw.github?.apiUrl ?? 'https://api.github.com', ...(githubToken ? { token: githubToken } : {}) };
  const sourceToken = env.PILOT_SOURCE_TOKEN ?? (raw.sources?.token ? readSecret(raw.sources.token, env, 'sources.token') : undefined);
  const sources = resolveSourceCredentials(
    {
      ...(raw.sources?.host ? { host: raw.sources.host } : {}),
      ...(raw.sources?.username ? { username: raw.sources.username } : {}),
      ...(sourceToken ? { token: sourceToken } : {}),
      ...(raw.sources?.sshKeyFile ? { sshKeyFile: raw.sources.sshKeyFile } : {}),
      ...(config.repository ? { repository: config.repository } : {}),
    },
    (file) => readSecret({ file }, env, 'sources.sshKeyFile'),
  );
  if (sources) config.sources = sources;
  if (!Number.isInteger(config.concurrency) || config.concurrency < 1) throw new ConfigError('concurrency: use a whole number of 1 or more');
  if (!Number.isInteger(config.http.port) || config.http.port < 0 || config.http.port > 65535) throw new ConfigError('http.port: use a port number from 0 to 65535');
  return config;
}
