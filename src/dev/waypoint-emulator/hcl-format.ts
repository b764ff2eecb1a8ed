// hclwrite's format(): the whitespace pass that File.Bytes() applies to every token
// (hcl v2 at 327f3ce, hclwrite/format.go and ast.go 36-49). It changes only the spaces
// before tokens: indentation by net brackets per line, spacing within a line, and
// alignment of `=` and of trailing comments over runs of consecutive lines. It keeps
// blank lines, line endings and the text of comments and heredocs as they are.

import type { HclToken } from './hcl-lex.js';
import { bracketChange, spaceAfterToken } from './hcl-spaces.js';

interface FormatLine {
  lead: HclToken[];
  assign: HclToken[] | undefined;
  comment: HclToken[] | undefined;
}

const nil: HclToken = { type: 'Nil', text: '', spacesBefore: 0 };

function isNewline(token: HclToken): boolean {
  return token.type === 'Newline' || (token.type === 'Comment' && token.text.endsWith('\n'));
}

/** Grapheme clusters, as hclwrite counts columns (textseg.ScanGraphemeClusters). */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
function columns(tokens: HclToken[] | undefined): number {
  let total = 0;
  for (const token of tokens ?? []) total += token.spacesBefore + [...segmenter.segment(token.text)].length;
  return total;
}

function linesForFormat(tokens: HclToken[]): FormatLine[] {
  const lines: FormatLine[] = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'EOF') break;
    if (isNewline(token)) {
      lines.push({ lead: tokens.slice(start, i + 1), assign: undefined, comment: undefined });
      start = i + 1;
    }
  }
  const rest = tokens.slice(start).filter((token) => token.type !== 'EOF');
  lines.push({ lead: rest, assign: undefined, comment: undefined });
  for (const line of lines) {
    if (line.lead.length > 1 && line.lead[line.lead.length - 1]!.type === 'Comment') {
      line.comment = line.lead.slice(-1);
      line.lead = line.lead.slice(0, -1);
    }
    const equals = line.lead.findIndex((token, i) => i > 0 && token.type === 'Equal');
    // Only a whole expression after `=` (brackets balanced on the line) is an assign cell.
    if (equals > 0 && line.lead.slice(equals).reduce((net, token) => net + bracketChange(token), 0) === 0) {
      line.assign = line.lead.slice(equals);
      line.lead = line.lead.slice(0, equals);
    }
  }
  return lines;
}

function formatIndent(lines: FormatLine[]): void {
  const indents: number[] = [];
  for (const line of lines) {
    const first = line.lead[0];
    if (!first) continue;
    if (first.type === 'Newline') {
      first.spacesBefore = 0;
      continue;
    }
    let net = 0;
    for (const token of line.lead) {
      net += bracketChange(token);
      if (token.type === 'OHeredoc') break;
    }
    for (const token of line.assign ?? []) net += bracketChange(token);
    if (net > 0) {
      first.spacesBefore = 2 * indents.length;
      indents.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && indents.length > 0) {
      const top = indents[indents.length - 1]!;
      if (closed > top) {
        closed -= top;
        indents.pop();
      } else if (closed < top) {
        indents[indents.length - 1] = top - closed;
        closed = 0;
      } else {
        indents.pop();
        closed = 0;
      }
    }
    first.spacesBefore = 2 * indents.length;
  }
}

function spaceCell(cell: HclToken[]): void {
  cell.forEach((token, i) => {
    const after = cell[i + 1] ?? nil;
    after.spacesBefore = spaceAfterToken(token, cell[i - 1] ?? nil, after) ? 1 : 0;
  });
}

function formatSpaces(lines: FormatLine[]): void {
  for (const line of lines) {
    spaceCell(line.lead);
    if (!line.assign) continue;
    line.assign[0]!.spacesBefore = 1;
    spaceCell(line.assign);
  }
}

/** Aligns the first token of a cell over each run of consecutive lines that have it. */
function alignCells(lines: FormatLine[], cell: 'assign' | 'comment', width: (line: FormatLine) => number): void {
  let run: FormatLine[] = [];
  const close = () => {
    const widest = Math.max(0, ...run.map(width));
    for (const line of run) line[cell]![0]!.spacesBefore = widest - width(line) + 1;
    run = [];
  };
  for (const line of lines) {
    if (line[cell]) run.push(line);
    else close();
  }
  close();
}

export function formatTokens(tokens: HclToken[]): void {
  const lines = linesForFormat(tokens);
  formatIndent(lines);
  formatSpaces(lines);
  alignCells(lines, 'assign', (line) => columns(line.lead));
  alignCells(lines, 'comment', (line) => columns(line.lead) + columns(line.assign));
}

export function tokensText(tokens: HclToken[]): string {
  return tokens.map((token) => ' '.repeat(token.spacesBefore) + token.text).join('');
}
