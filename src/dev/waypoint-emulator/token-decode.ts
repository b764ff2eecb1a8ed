// Why v0.11.4 refuses a token it did not sign, in its words (pkg/server/singleprocess/
// auth.go 338-362, decodeToken): base58 (mr-tron/base58 v1.2.0), the "wp24" magic, a
// TokenTransport protobuf, a known HMAC key id (boltdbstate/token.go 41), then the
// signature. Each is a plain Go error, which gRPC sends as UNKNOWN; only the last two
// carry "invalid authentication token", after their own text.

const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const magic = 'wp24';
const invalidToken = 'invalid authentication token';
const magicMismatch =
  'Failed to decode authentication token. The magic string embedded in the token does not match what was expected. This is likely due to the token string being an invalid auth token.';
// protobuf-go randomly uses a regular or a no-break space after "proto:" (internal/errors, detrand).
const badWireFormat = 'failed to proto unmarshal token: proto: cannot parse invalid wire-format data';

/** Go's strconv.Quote / %q, for the printable text a gRPC header can carry. */
function goQuote(text: string, quote = '"'): string {
  const body = [...text]
    .map((char) => (char === quote || char === '\\' ? `\\${char}` : /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(char) ? char : `\\x${char.codePointAt(0)!.toString(16).padStart(2, '0')}`))
    .join('');
  return quote + body + quote;
}

function base58Decode(text: string): Uint8Array | string {
  let value = 0n;
  for (const char of text) {
    if (char.codePointAt(0)! > 127) return 'High-bit set on invalid digit';
    const digit = alphabet.indexOf(char);
    if (digit < 0) return `Invalid base58 digit (${goQuote(char, "'")})`;
    value = value * 58n + BigInt(digit);
  }
  const zeros = /^1*/.exec(text)![0].length;
  if (value === 0n) return new Uint8Array(text.length);
  const hex = value.toString(16);
  return Uint8Array.from([...new Uint8Array(zeros), ...Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')]);
}

function varint(bytes: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    value += (bytes[at + i]! & 0x7f) * 2 ** (7 * i);
    if (bytes[at + i]! < 0x80) return [value, at + i + 1];
  }
  return undefined;
}

/** Walks a message like protobuf-go's unmarshal; returns the last key_id seen, or an error text. */
function parseTransport(bytes: Uint8Array, utf8Fields: Record<number, string>): { keyId: string } | { error: string } {
  let keyId = '';
  let at = 0;
  const groups: number[] = [];
  while (at < bytes.length) {
    const tag = varint(bytes, at);
    if (!tag || tag[0] / 8 < 1 || tag[0] / 8 >= 2 ** 29) return { error: badWireFormat };
    const [field, type] = [Math.floor(tag[0] / 8), tag[0] % 8];
    at = tag[1];
    if (type === 3) groups.push(field);
    else if (type === 4) {
      if (groups.pop() !== field) return { error: badWireFormat };
    } else if (type === 0) at = varint(bytes, at)?.[1] ?? Infinity;
    else if (type === 1 || type === 5) at += type === 1 ? 8 : 4;
    else if (type === 2) {
      const length = varint(bytes, at);
      if (!length) return { error: badWireFormat };
      const value = bytes.subarray(length[1], length[1] + length[0]);
      at = length[1] + length[0];
      const name = groups.length === 0 ? utf8Fields[field] : undefined;
      if (name !== undefined) {
        const text = Buffer.from(value).toString('utf8');
        if (!Buffer.from(text, 'utf8').equals(value)) return { error: `failed to proto unmarshal token: proto: field ${name} contains invalid UTF-8` };
        if (field === 3) keyId = text;
      }
    } else return { error: badWireFormat };
    if (at > bytes.length) return { error: badWireFormat };
  }
  return groups.length ? { error: badWireFormat } : { keyId };
}

/** The real server's error text for a token that is not one it signed. */
export function tokenRejection(token: string, keyIds: ReadonlySet<string>): string {
  const data = base58Decode(token);
  if (typeof data === 'string') return `failed to base58 decode token: ${data}`;
  const head = Buffer.alloc(magic.length);
  head.set(data.subarray(0, magic.length));
  if (head.toString('latin1') !== magic) return magicMismatch;
  const transport = parseTransport(data.subarray(magic.length), { 3: 'hashicorp.waypoint.TokenTransport.key_id' });
  if ('error' in transport) return transport.error;
  if (!keyIds.has(transport.keyId)) return `unknown key id ${goQuote(transport.keyId)}: ${invalidToken}`;
  return `bad token signature: ${invalidToken}`;
}
