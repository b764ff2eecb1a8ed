// Reads a webhook body as it streams: each chunk goes into the HMAC of every secret and
// is held only while the shared budget has room, until a deadline. Nothing is parsed
// here; the route parses the bytes once the signature holds.

import type { Readable } from 'node:stream';
import type { BodyBudget } from './body-budget.js';
import { signatureCheck } from './verify.js';

export interface ReadBody {
  bytes: Buffer;
  signatureValid: boolean;
  /** Gives the bytes back to the budget; call once they are no longer needed (repeats are harmless). */
  release(): void;
}

/** Why a body was not read to its end; `statusCode` is the answer (the route's table). */
export class BodyRefused extends Error {
  override name = 'BodyRefused';
  constructor(readonly statusCode: 400 | 408 | 413 | 503, message: string) {
    super(message);
  }
}

export interface ReadOptions {
  /** The Content-Length header, when there is one. */
  declaredLength: string | undefined;
  secrets: readonly string[];
  signature: string | undefined;
  maxBytes: number;
  budget: BodyBudget;
  deadlineMs: number;
}

export async function readSignedBody(stream: Readable, options: ReadOptions): Promise<ReadBody> {
  const { budget, maxBytes } = options;
  const declared = options.declaredLength === undefined ? undefined : Number(options.declaredLength);
  if (declared !== undefined && !(Number.isSafeInteger(declared) && declared >= 0)) throw new BodyRefused(400, 'the request body could not be read');
  if (declared !== undefined && declared > maxBytes) throw new BodyRefused(413, 'too large');
  let held = 0;
  const hold = (bytes: number): boolean => {
    if (!budget.take(bytes)) return false;
    held += bytes;
    return true;
  };
  const release = () => {
    budget.release(held);
    held = 0;
  };
  // A declared length is held before a byte is read, so a body that cannot fit is refused at once.
  if (declared !== undefined && !hold(declared)) throw new BodyRefused(503, 'busy');

  return new Promise<ReadBody>((resolve, reject) => {
    const check = signatureCheck(options.secrets, options.signature);
    const whole = declared === undefined ? undefined : Buffer.allocUnsafe(declared);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;

    const stop = () => {
      settled = true;
      clearTimeout(timer);
      stream.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
    };
    const fail = (error: BodyRefused) => {
      if (settled) return;
      stop();
      chunks.length = 0;
      release();
      reject(error);
    };
    function onData(chunk: Buffer): void {
      if (received + chunk.length > (declared ?? maxBytes)) return fail(new BodyRefused(declared === undefined ? 413 : 400, 'too large'));
      if (whole === undefined && !hold(chunk.length)) return fail(new BodyRefused(503, 'busy'));
      check.update(chunk);
      if (whole !== undefined) chunk.copy(whole, received);
      else chunks.push(chunk);
      received += chunk.length;
    }
    function onEnd(): void {
      if (settled) return;
      stop();
      const bytes = whole === undefined ? Buffer.concat(chunks, received) : whole.subarray(0, received);
      resolve({ bytes, signatureValid: check.matches(), release });
    }
    function onAbort(): void {
      fail(new BodyRefused(400, 'the request body could not be read'));
    }
    const timer = setTimeout(() => fail(new BodyRefused(408, 'too slow')), options.deadlineMs);
    stream.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}
