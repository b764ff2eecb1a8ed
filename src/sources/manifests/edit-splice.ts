// Where a new app goes in the text of a project document: after the last item of a
// block list, inside a flow list, or as a new `apps:` key; in the style of its neighbours.

import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  blockEnd, column, dashOffset, detectStyle, findPair, hasPadding, indentLines, lineEnd, lineStart,
  renderBlock, renderFlow, type Splice, type Style,
} from './edit-text.js';
import type { App } from './manifest.gen.js';

/** True when the lines above `offset`, past any comments, end in a blank line. */
function blankBefore(text: string, offset: number): boolean {
  let start = lineStart(text, offset);
  while (start > 0) {
    const prev = lineStart(text, start - 1);
    const line = text.slice(prev, start - 1).trim();
    if (line === '') return true;
    if (!line.startsWith('#')) return false;
    start = prev;
  }
  return false;
}

/** Where a new block list goes: one level under the map's keys, or level with them. */
function listColumn(mapCol: number, style: Style): number {
  return mapCol + (style.indentSeq ? style.indent : 0);
}

/** Where the lines of a top-level pair end, including a block list written level with its key. */
function pairEnd(text: string, pair: Pair, mapCol: number): number {
  const value = pair.value as Node | null;
  if (isSeq(value) && !value.flow && value.items.length > 0) {
    const dash = dashOffset(text, value.items[value.items.length - 1] as Node);
    if (column(text, dash) === mapCol) return blockEnd(text, dash, mapCol);
  }
  return blockEnd(text, (pair.key as Node).range?.[0] ?? 0, mapCol);
}

function blockListSplices(text: string, seq: YAMLSeq, entry: App, style: Style): Splice[] {
  const last = seq.items[seq.items.length - 1] as Node;
  const dash = dashOffset(text, last);
  const dashCol = column(text, dash);
  const item = isMap(last) && last.flow ? `- ${renderFlow(entry, hasPadding(text, last))}` : renderBlock([entry], style);
  const gap = seq.items.length > 1 && blankBefore(text, dash) ? '\n' : '';
  return [{ at: blockEnd(text, dash, dashCol), text: `\n${gap}${indentLines(item, dashCol)}` }];
}

function flowListSplices(text: string, seq: YAMLSeq, pair: Pair, entry: App, mapCol: number, style: Style): Splice[] | undefined {
  const [open, end] = seq.range ?? [0, 0];
  const close = end - 1;
  if (text[open] !== '[' || text[close] !== ']') return undefined;
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (!last?.range) {
    const inside = text.slice(open + 1, close);
    const alone = text.slice(close + 1, lineEnd(text, close)).trim() === '';
    const keyStart = (pair.key as Node).range?.[0] ?? -1;
    if (inside.trim() === '' && alone && lineStart(text, keyStart) === lineStart(text, open)) {
      // `apps: []` on a line of its own becomes a block list.
      const colon = text.lastIndexOf(':', open);
      return [{ at: colon + 1, remove: end - colon - 1, text: `\n${indentLines(renderBlock([entry], style), listColumn(mapCol, style))}` }];
    }
    return [{ at: inside.trim() === '' ? open + 1 : close, remove: inside.trim() === '' ? inside.length : 0, text: renderFlow(entry, true) }];
  }
  const item = renderFlow(entry, hasPadding(text, last));
  const lastEnd = last.range[1];
  let p = lastEnd;
  while (text[p] === ' ' || text[p] === '\t') p += 1;
  const trailingComma = text[p] === ',';
  if (lineStart(text, last.range[0]) === lineStart(text, open)) {
    return trailingComma ? [{ at: p + 1, text: ` ${item},` }] : [{ at: lastEnd, text: `, ${item}` }];
  }
  const pad = ' '.repeat(column(text, last.range[0]));
  if (trailingComma) return [{ at: Math.min(lineEnd(text, p), close), text: `\n${pad}${item},` }];
  const eol = lineEnd(text, lastEnd);
  if (close < eol) return [{ at: lastEnd, text: `,\n${pad}${item}` }];
  return [{ at: lastEnd, text: ',' }, { at: eol, text: `\n${pad}${item}` }];
}

/** Splices that add `entry` to the apps of `doc`; undefined when the layout is too unusual. */
export function appSplices(text: string, doc: Document.Parsed, entry: App): Splice[] | undefined {
  const map = doc.contents as YAMLMap;
  if (map.flow || !map.range || map.items.length === 0) return undefined;
  const style = detectStyle(text, doc);
  const mapCol = column(text, map.range[0]);
  const pair = findPair(map, 'apps');
  if (!pair) {
    const last = map.items[map.items.length - 1] as Pair;
    return [{ at: pairEnd(text, last, mapCol), text: `\n${indentLines(renderBlock({ apps: [entry] }, style), mapCol)}` }];
  }
  const value = pair.value as Node | null;
  if (isSeq(value) && value.flow) return flowListSplices(text, value, pair, entry, mapCol, style);
  if (isSeq(value) && value.items.length > 0) return blockListSplices(text, value, entry, style);
  const emptyValue = value === null || (isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1]);
  if (!emptyValue) return undefined;
  // `apps:` with nothing after it.
  const keyStart = (pair.key as Node).range?.[0] ?? 0;
  return [{ at: blockEnd(text, keyStart, mapCol), text: `\n${indentLines(renderBlock([entry], style), listColumn(mapCol, style))}` }];
}
