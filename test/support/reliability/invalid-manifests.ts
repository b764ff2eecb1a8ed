// Invalid revisions of a converged manifest repository, for the invalid-commit scenario:
// the invalid fixture corpus (test/fixtures/invalid, each under a folder of its own,
// its expected file:line:col kept) and seeded mutations of the repository's own,
// deployed manifests (wrong types, unknown keys, broken YAML, duplicate names, bad
// references, a revision that would prune if it were valid), each with where the
// error must be reported.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileChanges } from '../git-repos.js';
import { fixtureDir, fixtureNames, readExpected, type ExpectedInvalid } from '../fixtures.js';
import type { Random } from './random.js';

/** Where an error of the variant must be reported: a file, and the line when the mutation fixes it. */
export interface ExpectedAt {
  file: string;
  line?: number;
  col?: number;
  /** A fragment the message must contain. */
  contains?: string;
}

export interface InvalidVariant {
  name: string;
  /** Files of the repository to write, or delete (null), on top of the converged revision. */
  files: FileChanges;
  /** Every one of these must be reported (a fixture's whole list; a mutation's one place). */
  expected: ExpectedAt[];
}

/** The fixture corpus, each fixture under broken-<name>/. Symbolic links are left out: copied, they would point elsewhere. */
export function fixtureVariants(): InvalidVariant[] {
  const variants: InvalidVariant[] = [];
  for (const name of fixtureNames('invalid')) {
    if (name.startsWith('symlink-')) continue;
    const dir = fixtureDir('invalid', name);
    const folder = `broken-${name}`;
    const files: FileChanges = {};
    const walk = (sub: string) => {
      for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
        const relative = sub ? `${sub}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(relative);
        else if (entry.isFile() && relative !== 'expected.json') files[`${folder}/${relative}`] = readFileSync(path.join(dir, relative), 'utf8');
      }
    };
    walk('');
    // Messages name other files of the fixture (a duplicate "is already declared at pilot.yaml:4"): under the folder now.
    const relative = Object.keys(files).map((file) => file.slice(folder.length + 1));
    const moved = (text: string) => relative.reduce((out, file) => out.split(` ${file}:`).join(` ${folder}/${file}:`), text);
    const expected = readExpected<ExpectedInvalid>('invalid', name).errors.map((e) => {
      const [file, line, col] = e.at.split(':');
      return { file: `${folder}/${file}`, line: Number(line), col: Number(col), contains: moved(e.contains) };
    });
    variants.push({ name: `fixture ${name}`, files, expected });
  }
  return variants;
}

/** One manifest file of the converged repository as text, with the names of its apps. */
export interface SteadyFile {
  file: string;
  text: string;
  apps: string[];
}

type Mutation = (steady: SteadyFile, app: number, others: readonly SteadyFile[]) => { files: FileChanges; expected: ExpectedAt } | undefined;

/** The 0-based index of the first line at or after `from` matching `pattern`, within app `app`'s block. */
function lineIn(lines: string[], appName: string, pattern: RegExp): number {
  const start = lines.findIndex((l) => l === `  - name: ${appName}`);
  if (start < 0) throw new Error(`no app ${appName}`);
  for (let i = start; i < lines.length; i++) {
    if (i > start && lines[i]!.startsWith('  - name: ')) break;
    if (pattern.test(lines[i]!)) return i;
  }
  throw new Error(`no line ${pattern} in app ${appName}`);
}

function edit(steady: SteadyFile, change: (lines: string[]) => number | undefined, contains?: string) {
  const lines = steady.text.split('\n');
  const at = change(lines);
  return { files: { [steady.file]: lines.join('\n') }, expected: { file: steady.file, ...(at !== undefined ? { line: at + 1 } : {}), ...(contains ? { contains } : {}) } };
}

/** Replaces the value after `key:` on line `i`, keeping the indentation. */
function setValue(lines: string[], i: number, value: string): number {
  lines[i] = lines[i]!.replace(/:\s.*$/, `: ${value}`);
  return i;
}

/** Adds `on` to the dependencies of `app` (to its list, or a new one); returns the line of the new item. */
function addDependency(lines: string[], app: string, on: string): number {
  const existing = (() => {
    try {
      return lineIn(lines, app, /^ {4}dependsOn:/);
    } catch {
      return undefined;
    }
  })();
  if (existing !== undefined) {
    lines.splice(existing + 1, 0, `      - ${on}`);
    return existing + 1;
  }
  const at = lineIn(lines, app, /^ {6}MODE:/) + 1;
  lines.splice(at, 0, '    dependsOn:', `      - ${on}`);
  return at + 1;
}

export const mutations: Record<string, Mutation> = {
  'wrong type (memory as text)': (s, a) => edit(s, (l) => setValue(l, lineIn(l, s.apps[a]!, /^ {6}memory:/), 'lots')),
  'number past 2^53': (s, a) => edit(s, (l) => setValue(l, lineIn(l, s.apps[a]!, /^ {6}memory:/), '9007199254740993')),
  'unknown key in deploy': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {4}deploy:/) + 1;
    l.splice(at, 0, '      replicas: 3');
    return at;
  }),
  'misspelt key of an app': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {4}build:/);
    l[at] = '    biuld:';
    return at;
  }),
  'unknown top-level key': (s) => edit(s, (l) => {
    l.splice(2, 0, 'owner: team-x');
    return 2;
  }),
  'wrong apiVersion': (s) => edit(s, (l) => setValue(l, 0, 'pilot.dev/v2')),
  'platform not in the enum': (s, a) => edit(s, (l) => setValue(l, lineIn(l, s.apps[a]!, /^ {6}platform:/), 'mainframe')),
  'env name not a variable name': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {6}MODE:/);
    l[at] = '      bad-name: live';
    return at;
  }),
  'unclosed quote': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {2}- name:/);
    l[at] = `  - name: "${s.apps[a]}`;
    return undefined;
  }),
  'tab indentation': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {4}source:/);
    l[at] = `\t${l[at]!.trimStart()}`;
    return at;
  }),
  'bad indentation': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {6}platform:/);
    l[at] = ` ${l[at]}`;
    return undefined;
  }),
  'duplicate key': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {6}platform:/) + 1;
    l.splice(at, 0, l[at - 1]!);
    return at;
  }),
  'duplicate app name': (s, a) => {
    if (s.apps.length < 2) return undefined;
    // The later of two neighbours takes the earlier one's name: the later is the duplicate.
    const [first, second] = a + 1 < s.apps.length ? [a, a + 1] : [a - 1, a];
    return edit(s, (l) => {
      const at = lineIn(l, s.apps[second]!, /^ {2}- name:/);
      l[at] = `  - name: ${s.apps[first]}`;
      return at;
    }, 'already declared');
  },
  'dependsOn an app that does not exist': (s, a) => edit(s, (l) => addDependency(l, s.apps[a]!, 'ghost')),
  'dependsOn itself': (s, a) => edit(s, (l) => addDependency(l, s.apps[a]!, s.apps[a]!)),
  'fromDatabase of a database that does not exist': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {6}MODE:/) + 1;
    l.splice(at, 0, '      DATABASE_URL:', '        fromDatabase: ghost', '        property: url');
    return undefined;
  }),
  'source without repo': (s, a) => edit(s, (l) => {
    const at = lineIn(l, s.apps[a]!, /^ {6}repo:/);
    l[at] = '      ref: main';
    return undefined;
  }),
  // Files are read in sorted order: the copy, read last, holds the duplicate.
  'the same project in another file': (s) => ({ files: { [`zz-copy-of-${path.dirname(s.file)}/pilot.yaml`]: s.text }, expected: { file: `zz-copy-of-${path.dirname(s.file)}/pilot.yaml`, line: 3 } }),
  'a list instead of a document': (s) => ({ files: { [s.file]: '- apps\n- are\n- here\n' }, expected: { file: s.file, line: 1 } }),
  // Valid, these would prune every other app (and every app of the other files): invalid, nothing may go.
  'every other app removed, the one left broken': (s, a, others) => {
    const lines = s.text.split('\n');
    const first = lines.findIndex((l) => l.startsWith('  - name: '));
    const start = lineIn(lines, s.apps[a]!, /^ {2}- name:/);
    let end = lines.findIndex((l, i) => i > start && l.startsWith('  - name: '));
    if (end < 0) end = lines.length;
    const kept = [...lines.slice(0, first), ...lines.slice(start, end)];
    const at = kept.findIndex((l) => /^ {6}platform:/.test(l));
    kept[at] = kept[at]!.replace(/:\s.*$/, ': mainframe');
    return { files: { [s.file]: kept.join('\n'), ...Object.fromEntries(others.map((o) => [o.file, null])) }, expected: { file: s.file, line: at + 1 } };
  },
};

/** Every mutation of every app of every file, then the fixtures, shuffled; the first `count`. */
export function invalidVariants(steady: readonly SteadyFile[], count: number, random: Random): InvalidVariant[] {
  const candidates: InvalidVariant[] = [...fixtureVariants()];
  for (const [kind, mutate] of Object.entries(mutations)) {
    for (const file of steady) {
      for (let app = 0; app < file.apps.length; app++) {
        const made = mutate(file, app, steady.filter((f) => f !== file));
        if (made) candidates.push({ name: `${kind} (${file.file}, ${file.apps[app]})`, files: made.files, expected: [made.expected] });
      }
    }
  }
  if (candidates.length < count) throw new Error(`only ${candidates.length} invalid variants can be made, ${count} asked`);
  return random.shuffle(candidates).slice(0, count);
}
