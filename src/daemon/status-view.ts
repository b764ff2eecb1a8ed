// The status as /api/status and the page show it: the state directory reads <state>
// and the home folder ~, so errors (git's, terraform's) tell a reader what failed
// without mapping the machine. The log keeps the paths.

import path from 'node:path';
import type { DaemonStatus } from './status.js';

export interface LocalPaths {
  stateDir?: string;
  home?: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A path only where it stands whole: not /var/lib/pilot in /var/lib/pilot-old. */
function pattern(dir: string): RegExp {
  return new RegExp(`(?<![\\w.~-])${escapeRegExp(dir)}(?![\\w.~-])`, 'g');
}

/** Replacements, the state directory first (it is often under home). The root itself is never replaced. */
export function pathRedactions(paths: LocalPaths): [RegExp, string][] {
  const pairs: [string | undefined, string][] = [[paths.stateDir, '<state>'], [paths.home, '~']];
  const redactions: [RegExp, string][] = [];
  for (const [dir, shown] of pairs) {
    const full = dir === undefined || dir === '' ? undefined : path.resolve(dir);
    if (full !== undefined && full !== path.parse(full).root) redactions.push([pattern(full), shown]);
  }
  return redactions;
}

export function redactText(text: string, redactions: readonly [RegExp, string][]): string {
  return redactions.reduce((shown, [dir, as]) => shown.replace(dir, as), text);
}

function redactValue(value: unknown, redactions: readonly [RegExp, string][]): unknown {
  if (typeof value === 'string') return redactText(value, redactions);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redactions));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, redactions)]));
  return value;
}

/** A copy of `status` with local paths replaced in every text. */
export function statusView(status: DaemonStatus, redactions: readonly [RegExp, string][]): DaemonStatus {
  return redactions.length === 0 ? status : (redactValue(status, redactions) as DaemonStatus);
}
