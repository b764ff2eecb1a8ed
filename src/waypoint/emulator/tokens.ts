// Tokens the emulator accepts: a fixed one from its options, or the one that
// BootstrapToken hands out once. Real tokens are base58("wp24" + signed protobuf);
// these look alike but are opaque random strings, compared exactly.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rpcError, status } from './errors.js';

const base58Alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let text = '';
  while (value > 0n) {
    text = base58Alphabet[Number(value % 58n)]! + text;
    value /= 58n;
  }
  return text;
}

/** A fresh token in the real tokens' alphabet and rough length. */
export function generateToken(): string {
  return base58(Buffer.concat([Buffer.from('wp24'), randomBytes(60)]));
}

export interface TokenStore {
  accepts(token: string): boolean;
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
    bootstrap() {
      if (current !== undefined) throw rpcError(status.PERMISSION_DENIED, 'server is already bootstrapped');
      current = generateToken();
      return current;
    },
  };
}
