// A systemd unit file read as systemd reads the parts the tests use: sections of
// key=value lines (comments, blank lines and backslash continuations as systemd.syntax(7)
// has them), and command lines and Environment= assignments split by its quoting rules.
// What the tests do not expand (specifiers, $VARIABLES, ExecStart prefixes) is refused.

export type Unit = Map<string, [key: string, value: string][]>;

export function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: [string, string][] | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = [];
      unit.set(header[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`not a unit file line: ${JSON.stringify(line)}`);
    section.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return unit;
}

/** Every value of a key in a section, in order (an empty assignment resets the list, as in systemd). */
export function valuesOf(unit: Unit, section: string, key: string): string[] {
  const values: string[] = [];
  for (const [k, v] of unit.get(section) ?? []) {
    if (k !== key) continue;
    if (v === '') values.length = 0;
    else values.push(v);
  }
  return values;
}

/** The single value of a key; an error when it is missing or set twice. */
export function valueOf(unit: Unit, section: string, key: string): string {
  const values = valuesOf(unit, section, key);
  if (values.length !== 1) throw new Error(`[${section}] ${key}= is set ${values.length} times; the test expects it once`);
  return values[0]!;
}

/** Splits a command line or an assignment list on white space, honouring "double" and 'single' quotes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) words.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3]!));
  return words;
}

/** ExecStart= as argv; prefixes (-@:+!), specifiers (%) and variables ($) are not run by the tests. */
export function commandOf(line: string): string[] {
  if (/^[-@:+!]/.test(line)) throw new Error(`ExecStart prefix in ${JSON.stringify(line)}: the test does not reproduce it`);
  if (/[%$]/.test(line)) throw new Error(`specifier or variable in ${JSON.stringify(line)}: the test does not expand it`);
  const argv = splitWords(line);
  if (!argv[0]?.startsWith('/')) throw new Error(`ExecStart must name an absolute path: ${JSON.stringify(line)}`);
  return argv;
}

/** Environment= lines as variables (later assignments win, as in systemd). */
export function environmentOf(lines: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const word of lines.flatMap(splitWords)) {
    const eq = word.indexOf('=');
    if (eq < 1) throw new Error(`Environment= entry without NAME=: ${JSON.stringify(word)}`);
    if (/[%$]/.test(word)) throw new Error(`specifier or variable in Environment=${word}: the test does not expand it`);
    env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return env;
}
