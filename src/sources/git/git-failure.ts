// Turns a failed git command into one of Pilot's error kinds, here at the boundary,
// with a message an operator can act on and no credential in it.

import { PilotError } from '../../reconciler/errors.js';
import type { GitResult } from './git-command.js';

/** Hides every secret and the user information of any URL in text git printed. */
export function scrub(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret.length > 0) clean = clean.replaceAll(secret, '***');
  return clean.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]+@/gi, '$1***@');
}

/** The line that says what went wrong: the first from ssh or a fatal or error line of git, else the first line. */
function reason(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const telling = lines.filter((line) => /^(ssh|fatal|error):/i.test(line));
  return (telling[0] ?? lines[0] ?? 'git failed without a message').replace(/^(fatal|error):\s*/i, '');
}

const refused = /authentication failed|could not read (username|password)|terminal prompts disabled|permission denied \(publickey|returned error: 40[13]|access denied|invalid username or password|host key verification failed/i;
const missing = /repository .* not found|does not appear to be a git repository|returned error: 404|no such repository/i;

export interface FailureContext {
  /** What was being done, e.g. "read the branches of". */
  action: string;
  /** The repository, already free of credentials. */
  url: string;
  secrets: readonly string[];
  timeoutMs: number;
}

export function gitFailure(result: GitResult, context: FailureContext): PilotError {
  const why = scrub(reason(result.stderr), context.secrets);
  const where = scrub(context.url, context.secrets);
  if (result.timedOut) {
    return new PilotError('transient', 'source.unreachable', `could not ${context.action} ${where}: no answer within ${Math.round(context.timeoutMs / 1000)} s`);
  }
  if (refused.test(result.stderr)) {
    return new PilotError('stalled', 'source.unauthorized', `${where} refused access (${why}): check the token, user name or SSH key in the daemon configuration`);
  }
  if (missing.test(result.stderr)) {
    return new PilotError('stalled', 'source.repo-not-found', `${where} is not a git repository Pilot can read (${why}): check the manifest repository URL`);
  }
  return new PilotError('transient', 'source.unreachable', `could not ${context.action} ${where}: ${why}`);
}
