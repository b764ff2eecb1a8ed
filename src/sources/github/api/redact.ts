// The last guard before a request leaves for GitHub: any string in its parameters that
// holds one of Pilot's secrets (tokens, keys, webhook secrets, config values) has it
// replaced, so a secret that slipped into an error message never reaches a comment.

export const redactedMark = '[redacted]';

/** A copy of `value` with every occurrence of each secret (4 characters or more) replaced. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const live = secrets.filter((s) => s.length >= 4);
  if (live.length === 0) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return live.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(redactedMark) : text), item);
    if (Array.isArray(item)) return item.map(walk);
    if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, walk(v)]));
    return item;
  };
  return walk(value) as T;
}
