// Turns a path inside a document into the line and column a person should look at.

import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ParsedDocument } from './parse.js';
import type { PathSegment } from './problem.js';

/**
 * `value`: the value at the path. `key`: the key that names it (for unknown keys,
 * and for objects that lack a required key, where the key is what a reader scans for).
 */
export type Target = 'value' | 'key';

/** The key under which a document remembers where a path is (see ParsedDocument.located). */
export const locationKey = (segments: readonly PathSegment[], target: Target) => `${target} ${segments.join('\0')}`;

export function locate(parsed: ParsedDocument, segments: readonly PathSegment[], target: Target = 'value'): { line: number; col: number } {
  const key = locationKey(segments, target);
  const known = parsed.located?.get(key);
  if (known) return known;
  const found = find(parsed, segments, target);
  parsed.located?.set(key, found);
  return found;
}

function find(parsed: ParsedDocument, segments: readonly PathSegment[], target: Target): { line: number; col: number } {
  let node: unknown = parsed.doc.contents;
  let keyNode: Node | null = null;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => {
        const key = isScalar(item.key) ? item.key.value : item.key;
        return String(key) === String(segment);
      });
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : null;
      node = pair.value;
      offset = keyNode?.range?.[0] ?? offset;
      const valueOffset = (node as Node | null)?.range?.[0];
      if (target === 'value' && valueOffset !== undefined) offset = valueOffset;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      keyNode = null;
      offset = (node as Node | null)?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return parsed.lineCounter.linePos(offset);
}
