// The two ways pilot-sync can fail, decided once here so that main only maps them to exit codes.

/** The command line is wrong: nothing was touched, and retrying the same deploy cannot help (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A step failed at run time (exit 1); the message already says which step and why. */
export class SyncError extends Error {
  override name = 'SyncError';
}

/** One line for the job log: SDK errors carry their code in `name`, and some messages span lines. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.replace(/\s*\n\s*/g, ' ').trim();
  const code = error.name;
  if (!code || code === 'Error' || error instanceof SyncError || message.includes(code)) return message || code;
  return message ? `${code}: ${message}` : code;
}

/** Wraps a step so that its failure says what was being done. */
export async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SyncError || error instanceof UsageError) throw error;
    throw new SyncError(`${what}: ${describeError(error)}`, { cause: error });
  }
}
