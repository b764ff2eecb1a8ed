// Checks X-Hub-Signature-256 against the raw request bytes, before anything parses them:
// at once (verifySignature) or chunk by chunk as the body streams in (signatureCheck).

import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto';

const signaturePattern = /^sha256=([0-9a-f]{64})$/i;

/** The 32 bytes of a well-formed `sha256=<hex>` header; undefined for anything else. */
export function parseSignature(header: string | undefined): Buffer | undefined {
  const match = header === undefined ? null : signaturePattern.exec(header.trim());
  return match === null ? undefined : Buffer.from(match[1] as string, 'hex');
}

export interface SignatureCheck {
  update(chunk: Buffer): void;
  /** Whether the bytes given so far are signed by `header`; call once they all are. */
  matches(): boolean;
}

/**
 * An HMAC-SHA256 of the body under each of `secrets` (several during a rotation: the
 * current one and the previous one), fed as the body arrives, so it need not be held to
 * be checked. Empty secrets are skipped: an HMAC under an empty key is no proof of anything.
 */
export function signatureCheck(secrets: readonly string[], header: string | undefined): SignatureCheck {
  const given = parseSignature(header);
  const hmacs: Hmac[] = given === undefined ? [] : secrets.filter((secret) => secret !== '').map((secret) => createHmac('sha256', secret));
  let result: boolean | undefined;
  return {
    update(chunk) {
      for (const hmac of hmacs) hmac.update(chunk);
    },
    matches() {
      if (result !== undefined) return result;
      result = false;
      // Every secret is compared, so the time taken says nothing about which one matched.
      for (const hmac of hmacs) if (timingSafeEqual(hmac.digest(), given as Buffer)) result = true;
      return result;
    },
  };
}

/** True when `header` is `sha256=<hex>` of the HMAC-SHA256 of `rawBody` under any of `secrets`. */
export function verifySignature(secrets: readonly string[], rawBody: Buffer, header: string | undefined): boolean {
  const check = signatureCheck(secrets, header);
  check.update(rawBody);
  return check.matches();
}
