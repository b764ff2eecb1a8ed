// Aliases checked before they are expanded: each must name an anchor defined above it,
// and all of them together expand to at most limits.aliasExpansions copies.

import { isAlias, visit, type Document, type Node } from 'yaml';

/** The first alias that names no anchor defined before it (YAML reads top to bottom). */
export function undefinedAlias(doc: Document.Parsed): { name: string; offset: number } | undefined {
  const anchors = new Set<string>();
  let found: { name: string; offset: number } | undefined;
  visit(doc, {
    Node(_key, node: Node) {
      if (isAlias(node)) {
        if (anchors.has(node.source)) return undefined;
        found = { name: node.source, offset: node.range?.[0] ?? 0 };
        return visit.BREAK;
      }
      if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  return found;
}

export function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * The `maxAliasCount` to give yaml's toJS for `expansions` aliases: it counts the
 * anchored value itself as the first copy, so exactly `expansions` aliases need one more.
 */
export function maxAliasCount(expansions: number): number {
  return expansions + 1;
}
