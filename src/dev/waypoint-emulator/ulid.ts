// ULIDs like the real server's ids (oklog/ulid): 26 Crockford base32 characters,
// 48-bit millisecond time then 80 random bits; monotonic within one millisecond.

import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
let lastRandom = 0n;

function encode(value: bigint, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    text = alphabet[Number(value & 31n)]! + text;
    value >>= 5n;
  }
  return text;
}

export function ulid(now: number = Date.now()): string {
  if (now <= lastTime) {
    // Same (or an earlier) millisecond: keep the time and count up, so ids stay ordered.
    lastRandom = (lastRandom + 1n) & ((1n << 80n) - 1n);
  } else {
    lastTime = now;
    lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`);
  }
  return encode(BigInt(lastTime), 10) + encode(lastRandom, 16);
}

export function isUlid(text: string): boolean {
  return /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(text);
}
