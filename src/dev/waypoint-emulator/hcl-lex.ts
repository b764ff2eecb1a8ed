// HCL native-syntax tokens as hclsyntax's scanner cuts them (hcl v2 at 327f3ce, the
// version v0.11.4 pins: hclsyntax/scan_tokens.rl), with hclwrite's "spaces before"
// (hclwrite/parser.go writerTokens). Only input that already parsed is lexed, so the
// scanner's error tokens are not modelled beyond a one-character Invalid token.

import { heredocLiteral, quotedLiteral, type HeredocMode } from './hcl-lex-template.js';

export type HclTokenType =
  | 'OBrace' | 'CBrace' | 'OBrack' | 'CBrack' | 'OParen' | 'CParen' | 'OQuote' | 'CQuote' | 'OHeredoc' | 'CHeredoc'
  | 'TemplateInterp' | 'TemplateControl' | 'TemplateSeqEnd' | 'QuotedLit' | 'StringLit' | 'NumberLit' | 'Ident'
  | 'Comment' | 'Newline' | 'EOF' | 'Equal' | 'EqualOp' | 'NotEqual' | 'LessThan' | 'LessThanEq' | 'GreaterThan'
  | 'GreaterThanEq' | 'And' | 'Or' | 'Bang' | 'Dot' | 'Comma' | 'Ellipsis' | 'FatArrow' | 'Question' | 'Colon'
  | 'Plus' | 'Minus' | 'Star' | 'Slash' | 'Percent' | 'Other' | 'Invalid' | 'Nil';

export interface HclToken {
  type: HclTokenType;
  text: string;
  spacesBefore: number;
}

const selfTokens: Record<string, HclTokenType> = {
  '[': 'OBrack', ']': 'CBrack', '(': 'OParen', ')': 'CParen', '.': 'Dot', ',': 'Comma', '*': 'Star', '/': 'Slash',
  '%': 'Percent', '+': 'Plus', '-': 'Minus', '=': 'Equal', '<': 'LessThan', '>': 'GreaterThan', '!': 'Bang',
  '?': 'Question', ':': 'Colon', '&': 'Other', '|': 'Other', '~': 'Other', '^': 'Other', ';': 'Other', '`': 'Other', "'": 'Other',
};
const operators: [string, HclTokenType][] = [
  ['...', 'Ellipsis'], ['==', 'EqualOp'], ['!=', 'NotEqual'], ['>=', 'GreaterThanEq'], ['<=', 'LessThanEq'],
  ['&&', 'And'], ['||', 'Or'], ['=>', 'FatArrow'],
];
const ident = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const heredocStart = /<<-?[\p{ID_Start}_][\p{ID_Continue}-]*\r?\n/uy;
const number = /[0-9](?:[0-9.]|[eE][+-]?[0-9])*/y;

type Mode = { kind: 'string' } | ({ kind: 'heredoc' } & HeredocMode) | { kind: 'interp'; braces: number };

function matchAt(pattern: RegExp, src: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(src)?.[0];
}

export function lexHcl(input: string): HclToken[] {
  // hclsyntax strips a byte order mark and starts counting after its three bytes.
  const bom = input.startsWith('\uFEFF');
  const src = bom ? input.slice(1) : input;
  const tokens: HclToken[] = [];
  const modes: Mode[] = [];
  let lastEnd = bom ? -3 : 0;
  let braces = 0;
  let pos = 0;
  const emit = (type: HclTokenType, end: number, start = pos) => {
    tokens.push({ type, text: src.slice(start, end), spacesBefore: start - lastEnd });
    lastEnd = end;
    pos = end;
  };
  const openSequence = (type: HclTokenType, length: number, mode: Mode | undefined) => {
    if (mode?.kind === 'heredoc') mode.lineStart = false;
    emit(type, pos + length);
    braces++;
    modes.push({ kind: 'interp', braces });
  };
  const closeBrace = (length: number, tilde: boolean) => {
    const top = modes[modes.length - 1];
    const returns = top?.kind === 'interp' && top.braces === braces;
    emit(returns || tilde ? 'TemplateSeqEnd' : 'CBrace', pos + length);
    braces--;
    if (returns) modes.pop();
  };

  while (pos < src.length) {
    const mode = modes[modes.length - 1];
    const c = src[pos]!;
    if (mode?.kind === 'string' || mode?.kind === 'heredoc') {
      const opener = src.slice(pos, pos + 2);
      if (opener === '${' || opener === '%{') {
        openSequence(c === '$' ? 'TemplateInterp' : 'TemplateControl', src[pos + 2] === '~' ? 3 : 2, mode);
      } else if (mode.kind === 'string' && c === '"') {
        emit('CQuote', pos + 1);
        modes.pop();
      } else if (mode.kind === 'string') {
        const literal = quotedLiteral(src, pos);
        emit(literal.type, literal.end);
      } else {
        const literal = heredocLiteral(src, pos, mode);
        emit(literal.type, literal.end);
        if (literal.close !== undefined) {
          emit('Newline', literal.close);
          modes.pop();
        }
      }
      continue;
    }
    if (c === ' ' || c === '\t') {
      pos++;
      continue;
    }
    const word = matchAt(ident, src, pos);
    const digits = word === undefined ? matchAt(number, src, pos)?.replace(/\.+$/, '') : undefined;
    const heredoc = c === '<' ? matchAt(heredocStart, src, pos) : undefined;
    const operator = operators.find(([text]) => src.startsWith(text, pos));
    if (word) emit('Ident', pos + word.length);
    else if (digits) emit('NumberLit', pos + digits.length);
    else if (c === '#' || src.startsWith('//', pos)) {
      const newline = src.indexOf('\n', pos);
      emit('Comment', newline < 0 ? src.length : newline + 1);
    } else if (src.startsWith('/*', pos)) {
      const close = src.indexOf('*/', pos + 2);
      emit(close < 0 ? 'Invalid' : 'Comment', close < 0 ? src.length : close + 2);
    } else if (c === '\n' || src.startsWith('\r\n', pos)) emit('Newline', pos + (c === '\n' ? 1 : 2));
    else if (heredoc) {
      const marker = heredoc.slice(heredoc[2] === '-' ? 3 : 2).replace(/\r?\n$/, '');
      emit('OHeredoc', pos + heredoc.length);
      modes.push({ kind: 'heredoc', marker, lineStart: true });
    } else if (operator) emit(operator[1], pos + operator[0].length);
    else if (c === '{') {
      emit('OBrace', pos + 1);
      braces++;
    } else if (c === '}') closeBrace(1, false);
    else if (src.startsWith('~}', pos)) closeBrace(2, true);
    else if (c === '"') {
      emit('OQuote', pos + 1);
      modes.push({ kind: 'string' });
    } else emit(selfTokens[c] ?? 'Invalid', pos + 1);
  }
  emit('EOF', src.length);
  return tokens;
}
