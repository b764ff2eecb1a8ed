// `npm run bench -- --table`: the figures as aligned lines, for a person.

import type { Writable } from 'node:stream';

/** Flattens nested figures into "a.b.c  value" lines. */
function rows(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, Array.isArray(value) ? value.join(' ') : String(value)]];
  const entries = Object.entries(value as Record<string, unknown>);
  // A median with its range reads as one figure.
  if (entries.every(([k]) => ['median', 'min', 'max'].includes(k))) {
    const { median, min, max } = value as Record<string, number>;
    return [[prefix, `${median}  (min ${min}, max ${max})`]];
  }
  return entries.flatMap(([key, inner]) => rows(inner, prefix ? `${prefix}.${key}` : key));
}

export function printTable(document: unknown, out: Writable): void {
  const lines = rows(document);
  const width = Math.max(...lines.map(([name]) => name.length));
  for (const [name, value] of lines) out.write(`${name.padEnd(width)}  ${value}\n`);
}
