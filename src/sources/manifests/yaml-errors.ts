// YAML syntax errors, moved to where a person would look and said in plain words.

import type { YAMLError } from 'yaml';

const hints: Record<string, string> = {
  BAD_INDENT: 'check the indentation of this line against the lines above',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  DUPLICATE_KEY: 'a key may appear once per mapping: remove or rename one',
  MISSING_CHAR: 'a quote or bracket is not closed',
  UNEXPECTED_TOKEN: 'check the line for a stray character',
  BLOCK_AS_IMPLICIT_KEY: 'a key is missing its colon, or the indentation is off',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: is a colon or quote missing?',
  BAD_ALIAS: 'the alias names no anchor defined above it',
};

export interface SyntaxError {
  offset: number;
  message: string;
}

function lineEnd(content: string, offset: number): number {
  const end = content.indexOf('\n', offset);
  return end === -1 ? content.length : end;
}

function skipSpaces(content: string, offset: number): number {
  let at = offset;
  while (content[at] === ' ') at += 1;
  return at;
}

function describe(content: string, error: YAMLError): SyntaxError {
  const text = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // The parser notices an unclosed quote at the end of the text; point at the quote that opened it.
  const quote = /closing (["'])quote/.exec(text)?.[1];
  if (error.code === 'MISSING_CHAR' && quote) {
    const opened = content.lastIndexOf(quote, Math.max(0, error.pos[0] - 1));
    if (opened >= 0) return { offset: opened, message: `this ${quote === '"' ? 'double' : 'single'} quote is never closed: add the closing quote` };
  }
  const hint = hints[error.code];
  // An indentation error names the start of the line; the key after the spaces is what is misplaced.
  const offset = error.code === 'BAD_INDENT' ? skipSpaces(content, error.pos[0]) : error.pos[0];
  return { offset, message: `${text}${hint ? `: ${hint}` : ''}` };
}

export function describeSyntaxErrors(content: string, errors: readonly YAMLError[]): SyntaxError[] {
  // A key indented deeper than its siblings makes the value above it run onto the next
  // line, and the parser blames that value. The line below is the one to fix.
  const deeper = errors.find((e) => e.code === 'MULTILINE_IMPLICIT_KEY' && e.pos[1] > lineEnd(content, e.pos[0]));
  if (deeper) {
    const offset = skipSpaces(content, lineEnd(content, deeper.pos[0]) + 1);
    const rest = errors.filter((e) => e.pos[0] !== deeper.pos[0]).map((e) => describe(content, e));
    return [{ offset, message: 'this line is indented deeper than the key above it: align it with its sibling keys' }, ...rest];
  }
  return errors.map((e) => describe(content, e));
}
