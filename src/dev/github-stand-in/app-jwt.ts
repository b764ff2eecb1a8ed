// Checks a GitHub App's JWT the way GitHub does: RS256 signed by the app's private
// key, `iss` the app id, `iat` at most 60 s ahead, `exp` in the future and at most
// 10 minutes after `iat`. The claim messages are GitHub's own, which @octokit/auth-app
// matches to correct a skewed clock. Rules from
// https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app

import { verify } from 'node:crypto';
import type { AppIdentity } from './app-identity.js';

const undecodable = 'A JSON web token could not be decoded';

export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

/** Why the JWT is refused, or undefined when it is good. */
export function jwtProblem(jwt: string, app: AppIdentity, nowSeconds: number): string | undefined {
  const [headerPart, payloadPart, signaturePart] = jwt.split('.');
  if (!headerPart || !payloadPart || !signaturePart) return undecodable;
  const header = decodePart(headerPart);
  const claims = decodePart(payloadPart);
  if (!header || !claims) return undecodable;
  if (header.alg !== 'RS256') return `${undecodable}: the algorithm must be RS256, not ${String(header.alg)}`;
  const signed = verify('RSA-SHA256', Buffer.from(`${headerPart}.${payloadPart}`), app.keys().publicKey, Buffer.from(signaturePart, 'base64url'));
  if (!signed) return `${undecodable}: its signature does not verify with the public key of app ${app.id}`;
  const { iss, iat, exp } = claims;
  if (String(iss) !== String(app.id) || (typeof iss !== 'number' && typeof iss !== 'string')) {
    return `'Issuer' claim ('iss') must be the app's id (${app.id}), not ${JSON.stringify(iss)}`;
  }
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > nowSeconds + 60) {
    return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
  }
  if (typeof exp !== 'number' || exp <= nowSeconds) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  }
  if (exp - iat > 600) return "'Expiration time' claim ('exp') is too far in the future";
  return undefined;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
