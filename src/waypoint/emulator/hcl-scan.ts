// Splits HCL source into logical lines for the formatter: a heredoc (opener, body,
// closing marker) or a multi-line /* comment */ is one logical line. For each it
// counts bracket changes ({ [ ( ${ %{ open; } ] ) close) outside strings and comments,
// and finds the first assignment `=`.

export interface ScannedLine {
  /** The first physical line, as written. */
  first: string;
  /** Following physical lines of the same logical line; `verbatim` marks heredoc body lines. */
  rest: { text: string; verbatim: boolean }[];
  blank: boolean;
  /** Net bracket change of the whole logical line. */
  net: number;
  /** Offset in `first` of the first assignment `=` that has something before it, or -1. */
  equals: number;
  /** Net bracket change from that `=` to the end of the logical line. */
  afterEquals: number;
}

type Context = 'code' | 'string' | 'interp' | 'brace';

const heredocOpener = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)\s*$/;

function isAssignment(text: string, i: number): boolean {
  const before = text[i - 1] ?? '';
  const after = text[i + 1] ?? '';
  return !'=!<>'.includes(before || ' ') && after !== '=' && after !== '>';
}

export function scanLines(source: string): ScannedLine[] {
  const physical = source.replace(/\r\n?/g, '\n').split('\n');
  const lines: ScannedLine[] = [];
  let heredoc: string | undefined;
  let inComment = false;
  let current: ScannedLine | undefined;

  for (const text of physical) {
    if (current && heredoc !== undefined) {
      current.rest.push({ text, verbatim: true });
      if (text.trim() === heredoc) {
        heredoc = undefined;
        current = undefined;
      }
      continue;
    }
    let start = 0;
    if (current && inComment) {
      current.rest.push({ text, verbatim: false });
      const end = text.indexOf('*/');
      if (end < 0) continue;
      inComment = false;
      start = end + 2;
    } else {
      current = { first: text, rest: [], blank: text.trim() === '', net: 0, equals: -1, afterEquals: 0 };
      lines.push(current);
    }
    const line: ScannedLine = current;
    const onFirst = line.rest.length === 0;
    const stack: Context[] = ['code'];
    const count = (change: number) => {
      line.net += change;
      if (line.equals >= 0) line.afterEquals += change;
    };
    scan: for (let i = start; i < text.length; i++) {
      const c = text[i]!;
      const pair = text.slice(i, i + 2);
      const top = stack[stack.length - 1]!;
      if (top === 'string') {
        if (c === '\\') i++;
        else if (c === '"') stack.pop();
        else if ((pair === '$$' || pair === '%%') && text[i + 2] === '{') i += 2;
        else if (pair === '${' || pair === '%{') {
          stack.push('interp');
          count(1);
          i++;
        }
        continue;
      }
      if (c === '#' || pair === '//') break;
      if (pair === '/*') {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) {
          inComment = true;
          break;
        }
        i = end + 1;
        continue;
      }
      const opener = c === '<' ? heredocOpener.exec(text.slice(i)) : null;
      if (opener) {
        heredoc = opener[1];
        break scan;
      }
      if (c === '"') stack.push('string');
      else if (c === '{' || c === '[' || c === '(') {
        if (c === '{') stack.push('brace');
        count(1);
      } else if (c === '}' || c === ']' || c === ')') {
        if (c === '}' && (top === 'brace' || top === 'interp')) stack.pop();
        count(-1);
      } else if (c === '=' && onFirst && line.equals < 0 && text.slice(0, i).trim() !== '' && isAssignment(text, i)) {
        line.equals = i;
      }
    }
    if (heredoc === undefined && !inComment) current = undefined;
  }
  return lines;
}
