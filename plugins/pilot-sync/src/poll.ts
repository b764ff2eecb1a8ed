import { setTimeout as sleep } from 'node:timers/promises';
import { SyncError } from './errors.js';

export interface PollOptions {
  intervalMs: number;
  timeoutMs: number;
  /** The timeout message, asked for when it happens: "invalidation I2 still InProgress". */
  waiting: () => string;
}

/** Calls `check` until it returns true, or fails once `timeoutMs` has passed. */
export async function pollUntil(check: () => Promise<boolean>, { intervalMs, timeoutMs, waiting }: PollOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    const left = deadline - Date.now();
    if (left <= 0) throw new SyncError(`${waiting()} after ${timeoutMs / 1000} s (--wait-timeout)`);
    await sleep(Math.min(intervalMs, left));
  }
}

export function secondsSince(start: number): string {
  return `${Math.round((Date.now() - start) / 1000)} s`;
}
