// Secret values a stack is known to hold, gathered from terraform's own sensitivity
// marks, and used to mask what terraform itself left unmarked (terraform_data's
// `output` copies a sensitive `input` without the mark) and to scrub free text.

import { isRecord } from './ui-lines.js';

export const sensitiveMask = '(sensitive)';

/** Substrings shorter than this are too common to scrub from text; they are still masked when a whole value equals them. */
const minSubstring = 4;

/** The leaves of `value` where `marks` (terraform's *_sensitive shape) says true. */
export function markedLeaves(value: unknown, marks: unknown, into: Set<string>): void {
  if (marks === true) {
    addLeaves(value, into);
    return;
  }
  if (Array.isArray(marks) && Array.isArray(value)) {
    marks.forEach((m, i) => markedLeaves(value[i], m, into));
  } else if (isRecord(marks) && isRecord(value)) {
    for (const [key, m] of Object.entries(marks)) markedLeaves(value[key], m, into);
  }
}

/** Every string and number inside `value`, as text. */
export function addLeaves(value: unknown, into: Set<string>): void {
  if (typeof value === 'string' && value !== '') into.add(value);
  else if (typeof value === 'number') into.add(String(value));
  else if (Array.isArray(value)) value.forEach((v) => addLeaves(v, into));
  else if (isRecord(value)) Object.values(value).forEach((v) => addLeaves(v, into));
}

/** True when a marks shape holds `true` anywhere, or is not a shape terraform writes (then assume it does). */
export function anyMarked(marks: unknown): boolean {
  if (marks === undefined || marks === null || marks === false) return false;
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(anyMarked);
  if (isRecord(marks)) return Object.values(marks).some(anyMarked);
  return true;
}

/** True when any leaf of `value` is, or for longer secrets contains, a known secret. */
export function holdsSecret(value: unknown, secrets: ReadonlySet<string>): boolean {
  if (secrets.size === 0) return false;
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    if (secrets.has(text)) return true;
    for (const secret of secrets) if (secret.length >= minSubstring && text.includes(secret)) return true;
    return false;
  }
  if (Array.isArray(value)) return value.some((v) => holdsSecret(v, secrets));
  if (isRecord(value)) return Object.values(value).some((v) => holdsSecret(v, secrets));
  return false;
}

/** `text` with every known secret (long enough to find safely) replaced by the mask. */
export function scrub(text: string, secrets: ReadonlySet<string>): string {
  let result = text;
  // Longest first, so a secret containing another is replaced whole.
  const ordered = [...secrets].filter((s) => s.length >= minSubstring).sort((a, b) => b.length - a.length);
  for (const secret of ordered) result = result.split(secret).join(sensitiveMask);
  return result;
}
