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
const missingRef = /remote branch .* not found|couldn't find remote ref|not our ref|unknown revision/i;

export interface FailureContext {
  /** What was being done, e.g. "read the branches of": the message says "cannot <action> <url>". */
  action: string;
  /** The repository, already free of credentials. */
  url: string;
  secrets: readonly string[];
  timeoutMs: number;
  /** Where an operator sets the credentials. Default: the daemon configuration. */
  credentials?: string;
  /** The branch, tag or commit asked for, named when the remote does not have it. */
  ref?: string;
}

/** Every message starts "cannot <action> <url>:", then says what to fix. */
export function gitFailure(result: GitResult, context: FailureContext): PilotError {
  const why = scrub(reason(result.stderr), context.secrets);
  const lead = `cannot ${context.action} ${scrub(context.url, context.secrets)}`;
  if (result.timedOut) return new PilotError('transient', 'source.unreachable', `${lead}: no answer within ${Math.round(context.timeoutMs / 1000)} s`);
  if (refused.test(result.stderr)) {
    const where = context.credentials ?? 'the daemon configuration';
    return new PilotError('stalled', 'source.unauthorized', `${lead}: it refused access (${why}): check the token, user name or SSH key in ${where}`);
  }
  if (missing.test(result.stderr)) {
    return new PilotError('stalled', 'source.repo-not-found', `${lead}: not a git repository Pilot can read (${why}): check the repository URL`);
  }
  if (missingRef.test(result.stderr)) {
    const ref = context.ref === undefined ? 'the ref asked for' : JSON.stringify(context.ref);
    return new PilotError('stalled', 'source.ref-not-found', `${lead}: it has no branch or tag ${ref} (${why}): push it, or name another`);
  }
  return new PilotError('transient', 'source.unreachable', `${lead}: ${why}`);
}
