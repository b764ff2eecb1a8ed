// Checks X-Hub-Signature-256 against the raw request bytes, before anything parses them.

import { createHmac, timingSafeEqual } from 'node:crypto';

const signaturePattern = /^sha256=([0-9a-f]{64})$/i;

/**
 * True when `header` is `sha256=<hex>` of the HMAC-SHA256 of `rawBody` under any of
 * `secrets` (several during a rotation: the current one and the previous one).
 * Empty secrets are skipped: an HMAC under an empty key is no proof of anything.
 */
export function verifySignature(secrets: readonly string[], rawBody: Buffer, header: string | undefined): boolean {
  const match = header === undefined ? null : signaturePattern.exec(header.trim());
  if (match === null) return false;
  const given = Buffer.from(match[1] as string, 'hex');
  let valid = false;
  // Every secret is tried, so the time taken says nothing about which one matched.
  for (const secret of secrets) {
    if (secret === '') continue;
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}
