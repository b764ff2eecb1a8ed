// GitHub calls leave the run's path: a reporter hands its work to this queue and the
// lanes go on. Tasks run one at a time, in order (a plan's comment before the next
// plan's), each failure logged, none dropped; a rate limit makes them wait.

import type { Logger } from '../../../reconciler/logger.js';

export interface Outbox {
  send(what: string, task: () => Promise<void>): void;
  /** Resolves once every task sent so far has ended. */
  idle(): Promise<void>;
}

export function outbox(logger: Logger): Outbox {
  let tail: Promise<void> = Promise.resolve();
  return {
    send(what, task) {
      tail = tail.then(task).catch((error: unknown) => {
        const status = (error as { status?: number }).status;
        logger.warn({ what, ...(status ? { status } : {}), err: { message: error instanceof Error ? error.message : String(error) } }, 'github report failed');
      });
    },
    idle: () => tail,
  };
}
