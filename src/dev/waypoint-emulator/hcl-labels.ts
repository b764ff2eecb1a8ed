// What `block.SetLabels(block.Labels())` does to a block's labels in v0.11.4's
// WaypointHclFmt (pkg/config/fmt.go 45; hcl v2 at 327f3ce, hclwrite/ast_block.go
// Labels/SetLabels, generate.go escapeQuotedStringLit): every label is written again
// as a quoted string; a quoted label that is not exactly one literal token (the
// scanner splits a literal at each `$` and `%`) is not returned by Labels() and so is
// dropped; comments between labels go with the old label tokens.

import type { HclToken } from './hcl-lex.js';

const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** hclsyntax.ParseStringLiteralToken for a literal that already parsed. */
function decodeLiteral(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|([$%])\2\{/gu, (all, escape: string | undefined, doubled: string | undefined) => {
    if (doubled) return `${doubled}{`;
    if (escape!.length > 1) return String.fromCodePoint(parseInt(escape!.slice(1), 16));
    return escapes[escape!] ?? escape!;
  });
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** hclwrite's escapeQuotedStringLit. */
function encodeLiteral(value: string): string {
  let out = '';
  const chars = [...value];
  chars.forEach((char, i) => {
    if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '$' || char === '%') out += chars[i + 1] === '{' ? char + char : char;
    else if (printable.test(char)) out += char;
    else {
      const code = char.codePointAt(0)!;
      out += code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
    }
  });
  return out;
}

/** Labels() of one label: an identifier, or a quoted string of at most one literal token. */
function labelValue(tokens: HclToken[]): string | undefined {
  const types = tokens.map((token) => token.type).join(' ');
  if (types === 'Ident') return tokens[0]!.text;
  if (types === 'OQuote CQuote') return '';
  if (types === 'OQuote QuotedLit CQuote') return decodeLiteral(tokens[1]!.text);
  return undefined;
}

/** The label tokens SetLabels writes for the labels found between a block's type and `{`. */
export function requoteLabels(labels: HclToken[][]): HclToken[] {
  const out: HclToken[] = [];
  for (const label of labels) {
    const value = labelValue(label);
    if (value === undefined) continue;
    out.push({ type: 'OQuote', text: '"', spacesBefore: 0 });
    const literal = encodeLiteral(value);
    if (literal !== '') out.push({ type: 'QuotedLit', text: literal, spacesBefore: 0 });
    out.push({ type: 'CQuote', text: '"', spacesBefore: 0 });
  }
  return out;
}
