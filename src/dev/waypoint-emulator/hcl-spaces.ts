// hclwrite's rule for one space or none between two tokens on a line, and its bracket
// counting (hcl v2 at 327f3ce, hclwrite/format.go spaceAfterToken, tokenBracketChange).

import type { HclToken, HclTokenType } from './hcl-lex.js';

const opening = new Set<HclTokenType>(['OBrace', 'OBrack', 'OParen', 'TemplateControl', 'TemplateInterp']);
const closing = new Set<HclTokenType>(['CBrace', 'CBrack', 'CParen', 'TemplateSeqEnd']);

export function bracketChange(token: HclToken): number {
  return opening.has(token.type) ? 1 : closing.has(token.type) ? -1 : 0;
}

/** Tokens after which a `-` is a negation, not a subtraction. */
const beforeNegation = new Set<HclTokenType>([
  'Nil', 'OParen', 'OBrace', 'OBrack', 'Equal', 'Colon', 'Comma', 'Question',
  'Plus', 'Star', 'Slash', 'Percent', 'Minus',
  'EqualOp', 'NotEqual', 'GreaterThan', 'GreaterThanEq', 'LessThan', 'LessThanEq',
  'And', 'Or', 'Bang',
]);
const templateText = new Set<HclTokenType>(['QuotedLit', 'StringLit', 'OQuote', 'OHeredoc']);
const templateEnd = new Set<HclTokenType>(['QuotedLit', 'StringLit', 'CQuote', 'CHeredoc']);

export function spaceAfterToken(subject: HclToken, before: HclToken, after: HclToken): boolean {
  const [s, a] = [subject.type, after.type];
  if (a === 'Newline' || a === 'Nil') return false;
  if (s === 'Ident' && a === 'OParen') return false;
  if (s === 'Dot' || a === 'Dot') return false;
  if (a === 'Comma' || a === 'Ellipsis') return false;
  if (s === 'Comma') return true;
  if (templateText.has(s) || templateEnd.has(a)) return false;
  // `in` of a for expression, so that [for x in [foo]: x] does not become in[foo].
  if (s === 'Ident' && subject.text === 'in' && before.type === 'Ident') return true;
  if (a === 'OBrack' && (s === 'Ident' || s === 'NumberLit' || bracketChange(subject) < 0)) return false;
  if (s === 'Bang') return false;
  if (s === 'Minus') return !beforeNegation.has(before.type);
  if (s === 'OBrace' || a === 'CBrace') return !(s === 'OBrace' && a === 'CBrace');
  if ((s === 'TemplateInterp' || s === 'TemplateControl') && a === 'OBrace') return true;
  if (s === 'CBrace' && a === 'TemplateSeqEnd') return true;
  if (s === 'TemplateSeqEnd' && (a === 'TemplateInterp' || a === 'TemplateControl')) return false;
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}
