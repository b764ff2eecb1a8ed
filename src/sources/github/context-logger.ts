// Log lines that carry a delivery's id and event, with whatever logger the route was given.

import type { Logger } from '../../reconciler/logger.js';

/** A logger whose lines carry `bindings`: pino's child when there is one. */
export function contextLogger(logger: Logger, bindings: object): Logger {
  const parent = logger as Logger & { child?: (bindings: object) => Logger };
  if (typeof parent.child === 'function') return parent.child(bindings);
  return {
    debug: (data, message) => logger.debug({ ...bindings, ...data }, message),
    info: (data, message) => logger.info({ ...bindings, ...data }, message),
    warn: (data, message) => logger.warn({ ...bindings, ...data }, message),
    error: (data, message) => logger.error({ ...bindings, ...data }, message),
  };
}
