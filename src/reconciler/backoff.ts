// Retries by error kind: transient with exponential backoff and full jitter, waiting
// after the hint it carries, stalled never. Pure policy plus one small loop.

import { setTimeout as sleep } from 'node:timers/promises';
import { isPilotError, PilotError } from './errors.js';

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 6, baseMs: 500, maxMs: 30_000 };

/**
 * Delay before retry `attempt` (1-based), "equal jitter": half of min(max, base * 2^n) plus a
 * random part of the other half, so retries spread out yet never bunch up near zero.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Unknown errors are bugs or surprises: not retried blindly. */
export function asPilotError(error: unknown): PilotError {
  if (isPilotError(error)) return error;
  return new PilotError('stalled', 'internal', (error as Error)?.message ?? String(error), { cause: error });
}

export async function withRetry<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry: (error: PilotError, delayMs: number, attempt: number) => void = () => {},
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (raw) {
      const error = asPilotError(raw);
      if (error.kind === 'stalled' || attempt >= policy.attempts || signal?.aborted) throw error;
      const delay = error.kind === 'waiting' ? (error.retryAfterMs ?? policy.maxMs) : backoffMs(policy, attempt);
      onRetry(error, delay, attempt);
      await sleep(delay, undefined, signal ? { signal } : undefined).catch(() => undefined);
    }
  }
}
