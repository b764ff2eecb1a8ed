// Line arithmetic for editing YAML text in place: where a block ends, how the file
// indents, and rendering new nodes in that style. Everything not inserted stays as written.

import { Document, isMap, isPair, isScalar, isSeq, visit, type Node, type Pair, type YAMLSeq } from 'yaml';

export interface Splice {
  at: number;
  text: string;
  /** Characters replaced from `at` (default 0: a pure insertion). */
  remove?: number;
}

export function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.at - a.at)) out = out.slice(0, s.at) + s.text + out.slice(s.at + (s.remove ?? 0));
  return out;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the newline that ends the line holding `offset`, or the text's length. */
export function lineEnd(text: string, offset: number): number {
  const at = text.indexOf('\n', offset);
  return at === -1 ? text.length : at;
}

export function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/**
 * The end (its newline) of the last line of the block that starts on the line of `offset`.
 * Lines indented deeper than `col` belong to it; blank lines and shallower comments are
 * skipped; the first shallower content line (a key, `---`, `...`) ends it.
 */
export function blockEnd(text: string, offset: number, col: number): number {
  let end = lineEnd(text, offset);
  let pos = end + 1;
  while (pos <= text.length - 1) {
    const eol = lineEnd(text, pos);
    const line = text.slice(pos, eol);
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (trimmed !== '' && indent > col) end = eol;
    else if (trimmed !== '' && !trimmed.startsWith('#')) break;
    pos = eol + 1;
  }
  return end;
}

/** Offset of the `-` that introduces a block sequence item. */
export function dashOffset(text: string, item: Node): number {
  const start = item.range?.[0] ?? 0;
  const at = text.lastIndexOf('-', start - 1);
  return at === -1 ? start : at;
}

export interface Style {
  /** Spaces per nesting level of block mappings. */
  indent: number;
  /** Whether block sequences are indented under their key (`key:\n  - a`) or not (`key:\n- a`). */
  indentSeq: boolean;
}

/** Reads the file's indentation from the first nested block collection it holds. */
export function detectStyle(text: string, doc: Document.Parsed): Style {
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  visit(doc, {
    Pair(_key, pair: Pair) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (!isScalar(key) || !key.range || !value?.range) return;
      const keyCol = column(text, key.range[0]);
      if (indent === undefined && isMap(value) && !value.flow && value.items.length > 0) {
        const first = value.items[0]?.key as Node | undefined;
        if (first?.range) indent = column(text, first.range[0]) - keyCol;
      }
      if (indentSeq === undefined && isSeq(value) && !value.flow && value.items.length > 0) {
        indentSeq = column(text, dashOffset(text, value.items[0] as Node)) > keyCol;
      }
      if (indent !== undefined && indentSeq !== undefined) return visit.BREAK;
    },
  });
  return { indent: indent !== undefined && indent > 0 && indent <= 8 ? indent : 2, indentSeq: indentSeq ?? true };
}

/** Prefixes every line but empty ones with `spaces` spaces; no trailing newline. */
export function indentLines(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return block
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** Writes lists of scalars in flow style, `[a, b]`, as the spec's examples do. */
export function flowLists(node: Document | Node): void {
  visit(node, {
    Seq(_key, seq: YAMLSeq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
  });
}

/** `value` in block style (lists of scalars stay flow, `[a, b]`), without a trailing newline. */
export function renderBlock(value: unknown, style: Style): string {
  const doc = new Document(value);
  flowLists(doc);
  return doc.toString({ indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0, flowCollectionPadding: false }).replace(/\n+$/, '');
}

/** `value` as a one-line flow collection, `{ a: 1 }` or `{a: 1}`. */
export function renderFlow(value: unknown, padding: boolean): string {
  const doc = new Document(value);
  if (isMap(doc.contents) || isSeq(doc.contents)) doc.contents.flow = true;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: padding }).replace(/\n+$/, '');
}

/** Whether a flow collection is written with spaces inside its brackets. */
export function hasPadding(text: string, node: unknown): boolean {
  const start = (node as Node | null)?.range?.[0];
  return start === undefined ? true : text[start + 1] === ' ';
}

export function findPair(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair | undefined;
}
