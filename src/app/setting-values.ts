// The values settings are made of: durations, secret references and the error every
// bad setting becomes. Secrets are references ({ env } or { file }), read here and
// held in memory only.

import { readFileSync, statSync } from 'node:fs';

export type SecretRef = { env: string } | { file: string };

export type Env = Readonly<Record<string, string | undefined>>;

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
export function readSecret(ref: SecretRef, env: Env, where: string): string {
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

/** A variable's secret, else the file's reference read; undefined when neither is set. */
export function secretOf(env: Env, variable: string, ref: SecretRef | undefined, where: string): string | undefined {
  return env[variable] || (ref ? readSecret(ref, env, where) : undefined);
}
