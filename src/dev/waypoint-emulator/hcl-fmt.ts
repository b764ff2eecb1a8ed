// The emulator's WaypointHclFmt, as v0.11.4's configpkg.Format (pkg/config/fmt.go):
// input that does not parse as native HCL is refused (hclwrite.ParseConfig); every
// attribute of a body whose value is exactly one "${...}" is unwrapped; every block's
// labels are written again as quoted strings (hcl-labels.ts); then File.Bytes() applies
// hclwrite's whitespace pass (hcl-format.ts). Nothing more: it does not validate
// Waypoint's schema, and keeps blank lines, line endings and a missing final newline.

import { formatTokens, tokensText } from './hcl-format.js';
import { requoteLabels } from './hcl-labels.js';
import { lexHcl, type HclToken, type HclTokenType } from './hcl-lex.js';
import { parseHcl } from './hcl-parse.js';

export class HclSyntaxError extends Error {
  override name = 'HclSyntaxError';
}

const opens = new Set<HclTokenType>(['OBrace', 'OBrack', 'OParen', 'TemplateInterp', 'TemplateControl', 'OQuote', 'OHeredoc']);
const closes = new Set<HclTokenType>(['CBrace', 'CBrack', 'CParen', 'TemplateSeqEnd', 'CQuote', 'CHeredoc']);

const endsLine = (token: HclToken) => token.type === 'Newline' || token.type === 'EOF' || (token.type === 'Comment' && token.text.endsWith('\n'));

/** End (exclusive) of an attribute's expression: its last token before the line ends
 * (or, in a one-line block, before the block's `}`); trailing comments are not part of it. */
function expressionEnd(tokens: HclToken[], start: number): number {
  let depth = 0;
  let last = start - 1;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (depth === 0 && (endsLine(token) || token.type === 'CBrace')) break;
    if (opens.has(token.type)) depth++;
    else if (closes.has(token.type)) depth--;
    if (token.type !== 'Comment') last = i;
  }
  return last + 1;
}

/** formatValueExpr (pkg/config/fmt.go 51-113): "${x}" becomes x when nothing else is in the quotes. */
function unwrapInterpolation(tokens: HclToken[]): HclToken[] {
  const [open, interp] = tokens;
  if (tokens.length < 5 || open!.type !== 'OQuote' || interp!.type !== 'TemplateInterp') return tokens;
  if (tokens[tokens.length - 2]!.type !== 'TemplateSeqEnd' || tokens[tokens.length - 1]!.type !== 'CQuote') return tokens;
  const inside = tokens.slice(2, -2);
  let quotes = 0;
  for (const token of inside) {
    if (token.type === 'OQuote' || token.type === 'CQuote') {
      quotes += token.type === 'OQuote' ? 1 : -1;
      continue;
    }
    if (quotes > 0) continue;
    if (token.type === 'TemplateInterp' || token.type === 'TemplateSeqEnd' || token.type === 'QuotedLit') return tokens;
  }
  let [from, to] = [0, inside.length];
  while (from < to && inside[from]!.type === 'Newline') from++;
  while (to > from && inside[to - 1]!.type === 'Newline') to--;
  return inside.slice(from, to);
}

/** Copies one body's items into `out` with Format's two rewrites; returns the index of its `}` or EOF. */
function rewriteBody(tokens: HclToken[], start: number, out: HclToken[]): number {
  let i = start;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.type === 'EOF' || token.type === 'CBrace') return i;
    out.push(token);
    i++;
    if (token.type !== 'Ident') continue;
    let next = i;
    while (tokens[next]!.type === 'Comment') next++;
    if (tokens[next]!.type === 'Equal') {
      out.push(...tokens.slice(i, next + 1));
      i = next + 1;
      while (tokens[i]!.type === 'Comment' && !endsLine(tokens[i]!)) out.push(tokens[i++]!);
      const end = expressionEnd(tokens, i);
      out.push(...unwrapInterpolation(tokens.slice(i, end)));
      i = end;
      continue;
    }
    i = rewriteLabels(tokens, i, out);
    out.push(tokens[i]!);
    i = rewriteBody(tokens, i + 1, out);
    out.push(tokens[i]!);
    i++;
  }
  return i;
}

/** A block header from after its type to its `{` (returned): labels requoted, comments
 * before the first and after the last label kept. */
function rewriteLabels(tokens: HclToken[], start: number, out: HclToken[]): number {
  const labels: HclToken[][] = [];
  const before: HclToken[] = [];
  let after: HclToken[] = [];
  let i = start;
  while (tokens[i]!.type !== 'OBrace') {
    const token = tokens[i]!;
    if (token.type === 'Comment') {
      (labels.length ? after : before).push(token);
      i++;
      continue;
    }
    let end = i + 1;
    if (token.type === 'OQuote') while (tokens[end - 1]!.type !== 'CQuote') end++;
    labels.push(tokens.slice(i, end));
    after = [];
    i = end;
  }
  out.push(...before, ...requoteLabels(labels), ...after);
  return i;
}

/** Formats like the real server; throws HclSyntaxError (with file:line,col) when the input does not parse. */
export async function formatHcl(text: string, filename = 'waypoint.hcl'): Promise<string> {
  const parsed = await parseHcl(filename, text);
  if (!parsed.ok) throw new HclSyntaxError(parsed.error);
  const tokens = lexHcl(text);
  const out: HclToken[] = [];
  const end = rewriteBody(tokens, 0, out);
  out.push(...tokens.slice(end));
  formatTokens(out);
  return tokensText(out);
}
