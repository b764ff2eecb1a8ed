// How deeply a YAML document nests, measured on the parser's tokens before anything
// recursive (composing, toJS, the schema) walks it: 10,000 brackets would overflow the stack.

import type { CST } from 'yaml';

type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;

function isCollection(token: CST.Token | null | undefined): token is Collection {
  return token?.type === 'block-map' || token?.type === 'block-seq' || token?.type === 'flow-collection';
}

/**
 * The offset of the first collection (in the text) that lies deeper than `limit`
 * levels in `document`, or undefined when none does. Walks with its own stack.
 */
export function tooDeepAt(document: CST.Document, limit: number): number | undefined {
  const stack: { token: Collection; depth: number }[] = isCollection(document.value) ? [{ token: document.value, depth: 1 }] : [];
  let first: number | undefined;
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (depth > limit) {
      if (first === undefined || token.offset < first) first = token.offset;
      continue;
    }
    for (const item of token.items) {
      for (const child of [item.key, item.value]) {
        if (isCollection(child)) stack.push({ token: child, depth: depth + 1 });
      }
    }
  }
  return first;
}
