// The literal text of HCL templates, cut as hclsyntax's scanner cuts it (hcl v2 at
// 327f3ce, hclsyntax/scan_tokens.rl stringTemplate and heredocTemplate): a quoted
// string's text ends at every `$` and `%` (each then a token of its own, or of three
// with an escaped `$${` / `%%{`); a heredoc's text ends at each line end, and a whole
// line equal to the marker (spaces trimmed) closes it.

/** `$` or `%` not opening a sequence: alone, or doubled before `{` (an escape, one literal token). */
function escapedIntroducer(src: string, pos: number): number {
  const c = src[pos]!;
  if (src[pos + 1] === c && src[pos + 2] === '{') return src[pos + 3] === '~' ? 4 : 3;
  return 1;
}

/** End of the QuotedLit at `pos` (not at `"`, `${` or `%{`); 'Invalid' for a line break. */
export function quotedLiteral(src: string, pos: number): { type: 'QuotedLit' | 'Invalid'; end: number } {
  const c = src[pos]!;
  if (c === '$' || c === '%') return { type: 'QuotedLit', end: pos + escapedIntroducer(src, pos) };
  let end = pos;
  while (end < src.length) {
    const d = src[end]!;
    if (d === '\\' && end + 1 < src.length && src[end + 1] !== '\r' && src[end + 1] !== '\n') end += 2;
    else if (!'$%"\\\r\n'.includes(d)) end += 1;
    else break;
  }
  return end > pos ? { type: 'QuotedLit', end } : { type: 'Invalid', end: pos + 1 };
}

export interface HeredocMode {
  marker: string;
  /** The scanner's StartOfLine: only a literal starting a line can close the heredoc. */
  lineStart: boolean;
}

/** The heredoc literal at `pos` (not at `${` or `%{`): text up to and with its line end,
 * or the closing marker (`close`: where its newline ends). */
export function heredocLiteral(src: string, pos: number, mode: HeredocMode): { type: 'StringLit' | 'CHeredoc'; end: number; close?: number } {
  let end = pos;
  if (src[pos] === '$' || src[pos] === '%') end += escapedIntroducer(src, pos);
  else while (end < src.length && !'$%\r\n'.includes(src[end]!)) end++;
  const eol = src[end] === '\n' ? 1 : src.startsWith('\r\n', end) ? 2 : 0;
  if (eol === 0) {
    mode.lineStart = false;
    return { type: 'StringLit', end: Math.max(end, pos + 1) };
  }
  if (mode.lineStart && src.slice(pos, end).trim() === mode.marker) return { type: 'CHeredoc', end, close: end + eol };
  mode.lineStart = true;
  return { type: 'StringLit', end: end + eol };
}
