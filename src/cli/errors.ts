// Errors that end a command with a message for the user and a given exit code.

export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** The command line itself is wrong (unknown flag, missing argument): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The user asked for something that cannot be done as asked: exit 1, message only. */
export class UserError extends Error {
  override name = 'UserError';
}
