// The emulator's WaypointHclFmt: canonical formatting of a waypoint.hcl, in the style
// of hclwrite. Pilot's renderer must produce text that formatHcl leaves unchanged,
// so these rules are a contract; change them only together with the renderer.
//
//  1. Input that does not parse (HashiCorp's parser, via hcl2json) is rejected.
//  2. Line endings become "\n". Leading whitespace of every line is replaced by the
//     indentation of rule 3; trailing whitespace is removed.
//  3. Indentation is 2 spaces per open bracket level ({ [ ( and the ${ %{ of
//     templates), counted outside strings and comments, like hclwrite: a line whose
//     brackets open more than they close is indented at the current level and starts
//     ONE new level after it; a line that closes more than it opens closes those
//     levels first and is indented at the level that remains; a line that opens and
//     closes equally (e.g. `}, {`) stays at the current level.
//  4. An attribute line is one whose first `=` (not part of == != <= >= =>), outside
//     strings and comments, has something before it. It is rewritten as
//     `name = value`: one space after `=`, and one space before it unless rule 5 aligns it.
//  5. A run of consecutive single-line attribute lines (brackets after the `=` balance
//     on the line) at the same indentation has its `=` aligned: each name is padded so
//     that `=` sits one space after the longest name of the run. Any other line (a
//     blank line, a comment line, a block header, a closing brace, an attribute whose
//     value continues on later lines) ends the run. An attribute whose value is a
//     heredoc counts as single-line: its opener line is aligned like the others.
//  6. Heredoc bodies and closing markers are kept exactly as written (trailing spaces
//     included); continuation lines of a multi-line /* comment */ are kept as written
//     except for trailing whitespace.
//  7. Blank lines are kept, but never two in a row; blank lines at the start and the
//     end of the file are removed; the result ends with exactly one "\n" (an empty
//     or blank-only input gives "").
// Unlike hclwrite, spacing between other tokens and trailing comments are left alone;
// the real server's WaypointHclFmt also unwraps "${x}"-only strings and rewrites block
// labels as quoted strings, which this does not do.

import { parseHcl } from './hcl-parse.js';
import { scanLines, type ScannedLine } from './hcl-scan.js';

export class HclSyntaxError extends Error {
  override name = 'HclSyntaxError';
}

interface Planned {
  line: ScannedLine;
  indent: number;
  /** Set for attribute lines: the name and value around `=`. */
  attribute?: { name: string; value: string; aligned: boolean };
}

/** Indent levels with hclwrite's stack: each level remembers how many brackets opened it. */
function plan(lines: ScannedLine[]): Planned[] {
  const levels: number[] = [];
  return lines.map((line) => {
    if (line.blank) return { line, indent: levels.length };
    let indent = levels.length;
    if (line.net > 0) levels.push(line.net);
    else if (line.net < 0) {
      let closed = -line.net;
      while (closed > 0 && levels.length > 0) {
        const top = levels[levels.length - 1]!;
        if (closed >= top) {
          closed -= top;
          levels.pop();
        } else {
          levels[levels.length - 1] = top - closed;
          closed = 0;
        }
      }
      indent = levels.length;
    }
    if (line.equals < 0) return { line, indent };
    const name = line.first.slice(0, line.equals).trim();
    const value = line.first.slice(line.equals + 1).trim();
    return { line, indent, attribute: { name, value, aligned: line.afterEquals === 0 } };
  });
}

const width = (text: string) => [...text].length;

/** Output lines; `blank` marks blank lines of the source (not empty heredoc lines). */
function render(planned: Planned[]): { text: string; blank: boolean }[] {
  const out: { text: string; blank: boolean }[] = [];
  let i = 0;
  while (i < planned.length) {
    const run: Planned[] = [];
    const head = planned[i]!;
    while (head.attribute?.aligned && i < planned.length) {
      const next = planned[i]!;
      if (!next.attribute?.aligned || next.line.blank || next.indent !== head.indent) break;
      run.push(next);
      i++;
    }
    const group = run.length ? run : [planned[i++]!];
    const longest = Math.max(...group.map((p) => width(p.attribute?.name ?? '')));
    for (const { line, indent, attribute } of group) {
      const pad = '  '.repeat(indent);
      if (line.blank) out.push({ text: '', blank: true });
      else if (!attribute) out.push({ text: pad + line.first.trim(), blank: false });
      else {
        const gap = attribute.aligned ? ' '.repeat(longest - width(attribute.name) + 1) : ' ';
        out.push({ text: `${pad}${attribute.name}${gap}=${attribute.value === '' ? '' : ` ${attribute.value}`}`, blank: false });
      }
      for (const rest of line.rest) out.push({ text: rest.verbatim ? rest.text : rest.text.trimEnd(), blank: false });
    }
  }
  return out;
}

/** Canonical text of `text`; throws HclSyntaxError (with file:line,col) when it does not parse. */
export async function formatHcl(text: string, filename = 'waypoint.hcl'): Promise<string> {
  const parsed = await parseHcl(filename, text);
  if (!parsed.ok) throw new HclSyntaxError(parsed.error);
  const kept: { text: string; blank: boolean }[] = [];
  for (const line of render(plan(scanLines(text)))) {
    if (line.blank && (kept.length === 0 || kept[kept.length - 1]!.blank)) continue;
    kept.push(line);
  }
  while (kept.length && kept[kept.length - 1]!.blank) kept.pop();
  return kept.length ? `${kept.map((line) => line.text).join('\n')}\n` : '';
}
