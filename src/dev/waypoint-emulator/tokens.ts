// Tokens the emulator accepts: a fixed one from its options, or the one that
// BootstrapToken hands out once. Real tokens are base58("wp24" + TokenTransport), the
// transport carrying a signed body and the HMAC key id "k1"; these are built the same
// way with random body and signature, and are compared exactly. A token that is not
// the accepted one is refused with the real server's reason (token-decode.ts).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rpcError, status } from './errors.js';
import { tokenRejection } from './token-decode.js';

const base58Alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** The key id of the HMAC key the real server creates when it first signs a token. */
const defaultKeyId = 'k1';

function base58(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let text = '';
  while (value > 0n) {
    text = base58Alphabet[Number(value % 58n)]! + text;
    value /= 58n;
  }
  return text;
}

/** Length-delimited protobuf field (all lengths here are under 128). */
function field(number: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(number << 3) | 2, value.length]), value]);
}

/** A fresh token shaped like a real one: TokenTransport{body, signature, key_id: "k1"}. */
export function generateToken(): string {
  const transport = Buffer.concat([field(1, randomBytes(40)), field(2, randomBytes(32)), field(3, Buffer.from(defaultKeyId))]);
  return base58(Buffer.concat([Buffer.from('wp24'), transport]));
}

export interface TokenStore {
  accepts(token: string): boolean;
  /** The real server's reason for refusing a token that is not the accepted one. */
  rejection(token: string): string;
  /** BootstrapToken: once, and only when no token exists yet. */
  bootstrap(): string;
  readonly current: string | undefined;
}

export function createTokenStore(initial: string | undefined): TokenStore {
  let current = initial === '' ? undefined : initial;
  return {
    get current() {
      return current;
    },
    accepts(token) {
      if (current === undefined) return false;
      const a = Buffer.from(token);
      const b = Buffer.from(current);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    rejection(token) {
      // Before any token exists the real server has no HMAC key yet.
      return tokenRejection(token, new Set(current === undefined ? [] : [defaultKeyId]));
    },
    bootstrap() {
      if (current !== undefined) throw rpcError(status.PERMISSION_DENIED, 'server is already bootstrapped');
      current = generateToken();
      return current;
    },
  };
}
