// Short one-way fingerprints of config values, to compare what Waypoint stores with
// what the manifests want without keeping the values (secrets among them).

import { createHash } from 'node:crypto';
import type { ConfigValue } from '../reconciler/ports.js';
import type { ConfigValue as ClientConfigValue } from './client/config.js';

export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/** The fingerprint the reconciler compares, for a value as Pilot wants it or Waypoint stores it. */
export function configFingerprint(value: ConfigValue | ClientConfigValue): string {
  if (value.kind === 'static') return fingerprint(value.value);
  const from = 'from' in value ? value.from : value.value;
  return fingerprint(`dynamic:${from}:${JSON.stringify(Object.entries(value.config ?? {}).sort())}`);
}
