// GitHub calls leave the run's path: a reporter hands its work to this queue and the
// lanes go on. Tasks run one at a time, in order (a plan's comment before the next
// plan's), each failure logged, none dropped; a rate limit makes them wait.

import type { Logger } from '../../../reconciler/logger.js';

export interface Outbox {
  send(what: string, task: () => Promise<void>): void;
  /** Resolves once every task sent so far has ended. */
  idle(): Promise<void>;
  /** Takes no more tasks; waits up to `graceMs` for those sent, then says how many were not sent. */
  close(graceMs: number): Promise<void>;
}

export function outbox(logger: Logger): Outbox {
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  let skipped = 0;
  return {
    send(what, task) {
      if (closed) return void (skipped += 1);
      tail = tail.then(() => (closed ? void (skipped += 1) : task())).catch((error: unknown) => {
        const status = (error as { status?: number }).status;
        logger.warn({ what, ...(status ? { status } : {}), err: { message: error instanceof Error ? error.message : String(error) } }, 'github report failed');
      });
    },
    idle: () => tail,
    async close(graceMs) {
      const drained = tail.then(() => true);
      const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
      const done = await Promise.race([drained, timer]);
      closed = true;
      if (!done || skipped > 0) logger.warn({ notSent: skipped || 'the rest of the queue' }, 'github reports not sent: the daemon stopped');
    },
  };
}
