// The few kinds of failure that decide what happens next, classified once where an
// error enters (an adapter), never by matching message text in the core.

/**
 * transient: retry soon with backoff (a server restarting, a network blip).
 * waiting: retry after a hint (a rate limit, a busy app).
 * stalled: needs a person (bad credentials, an invalid manifest, permission denied);
 *   not retried until something changes (a new revision, new configuration).
 */
export type ErrorKind = 'transient' | 'waiting' | 'stalled';

export class PilotError extends Error {
  override name = 'PilotError';
  readonly kind: ErrorKind;
  /** For `waiting`: how long to wait before trying again. */
  readonly retryAfterMs: number | undefined;
  /** A stable code for machines and metrics, e.g. waypoint.unauthenticated. */
  readonly code: string;

  constructor(kind: ErrorKind, code: string, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isPilotError(error: unknown): error is PilotError {
  return error instanceof PilotError;
}
