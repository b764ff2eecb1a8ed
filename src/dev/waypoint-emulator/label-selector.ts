// Label selectors of config variables, as v0.11.4 evaluates them (pkg/config/funcs/
// selector.go, go-bexpr v0.1.10 grammar.peg and evaluate.go) against GetConfig's labels:
// ==, !=, contains / in, is (not) empty, matches, and, or, not, parentheses. A selector
// naming a label that is not set is false as a whole (internal/server/boltdbstate/
// config.go 279-285), `not` and `!=` included; one that does not parse is an error.

export class SelectorError extends Error {}
class NotFound extends Error {}

type Token = { kind: 'word' | 'string' | 'number' | 'symbol'; text: string };
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; operand: Node }
  | { op: 'match'; path: string[]; match: 'equal' | 'in' | 'empty' | 'matches'; negate: boolean; value: string };

const tokenPattern = /\s*(?:(==|!=|\(|\))|"((?:[^"\\]|\\.)*)"|`([^`]*)`|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?)(?![\w.])|([a-zA-Z][a-zA-Z0-9_/]*(?:\.[a-zA-Z][a-zA-Z0-9_/]*|\.[0-9]+)*))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(tokenPattern.lastIndex))) break;
    const m = tokenPattern.exec(text);
    if (!m) throw new SelectorError(`invalid selector: ${text}`);
    if (m[1]) tokens.push({ kind: 'symbol', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'string', text: JSON.parse(`"${m[2]}"`) as string });
    else if (m[3] !== undefined) tokens.push({ kind: 'string', text: m[3] });
    else if (m[4]) tokens.push({ kind: 'number', text: m[4] });
    else tokens.push({ kind: 'word', text: m[5]! });
  }
  return tokens;
}

function parse(tokens: Token[]): Node {
  let at = 0;
  const peek = (offset = 0) => tokens[at + offset];
  const isWord = (text: string, offset = 0) => peek(offset)?.kind === 'word' && peek(offset)!.text === text;
  const expect = (ok: boolean) => {
    if (!ok) throw new SelectorError('invalid selector');
  };
  const skipWord = (text: string) => {
    const found = isWord(text);
    if (found) at++;
    return found;
  };
  const or = (): Node => {
    const left = and();
    return skipWord('or') ? { op: 'or', left, right: or() } : left;
  };
  const and = (): Node => {
    const left = not();
    return skipWord('and') ? { op: 'and', left, right: and() } : left;
  };
  const not = (): Node => {
    if (skipWord('not')) return { op: 'not', operand: not() };
    if (peek()?.text === '(' && peek()?.kind === 'symbol') {
      at++;
      const inner = or();
      expect(peek()?.text === ')');
      at++;
      return inner;
    }
    return match();
  };
  const match = (): Node => {
    const first = peek();
    expect(first !== undefined && first.kind !== 'symbol');
    at++;
    const negate = skipWord('not');
    if (skipWord('in')) {
      const selector = peek();
      expect(selector?.kind === 'word');
      at++;
      return { op: 'match', path: selector!.text.split('.'), match: 'in', negate, value: first!.text };
    }
    expect(first!.kind === 'word');
    const path = first!.text.split('.');
    if (!negate && skipWord('is')) {
      const emptyNegate = skipWord('not');
      expect(skipWord('empty'));
      return { op: 'match', path, match: 'empty', negate: emptyNegate, value: '' };
    }
    const operator = peek();
    expect(operator !== undefined && (negate ? ['contains', 'matches'] : ['==', '!=', 'contains', 'matches']).includes(operator.text));
    at++;
    const value = peek();
    expect(value !== undefined && value.kind !== 'symbol');
    at++;
    const kind = operator!.text === 'contains' ? 'in' : operator!.text === 'matches' ? 'matches' : 'equal';
    return { op: 'match', path, match: kind, negate: negate || operator!.text === '!=', value: value!.text };
  };
  const node = or();
  expect(at === tokens.length);
  return node;
}

function evaluate(node: Node, labels: Record<string, string>): boolean {
  if (node.op === 'not') return !evaluate(node.operand, labels);
  if (node.op !== 'match') return node.op === 'and' ? evaluate(node.left, labels) && evaluate(node.right, labels) : evaluate(node.left, labels) || evaluate(node.right, labels);
  const value = Object.hasOwn(labels, node.path[0]!) ? labels[node.path[0]!]! : undefined;
  if (value === undefined) throw new NotFound();
  if (node.path.length > 1) throw new SelectorError('a label value has no fields');
  const result =
    node.match === 'equal' ? value === node.value : node.match === 'in' ? value.includes(node.value) : node.match === 'empty' ? value === '' : new RegExp(node.value).test(value);
  return node.negate ? !result : result;
}

/** True when the selector matches; throws SelectorError when it cannot be evaluated. */
export function selectorMatches(selector: string, labels: Record<string, string>): boolean {
  try {
    return evaluate(parse(tokenize(selector)), labels);
  } catch (error) {
    if (error instanceof NotFound) return false;
    throw error instanceof SelectorError ? error : new SelectorError(String(error));
  }
}
