// A short one-way fingerprint of a config value, to compare without keeping the value.

import { createHash } from 'node:crypto';

export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
