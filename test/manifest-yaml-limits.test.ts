// The parser's guards, at their edges: alias counts, undefined aliases, nesting depth,
// and values YAML reads but Pilot could not use faithfully (numbers past 2^53, lone
// surrogates). Every one is a problem at its place, never a crash.

import { describe, expect, it } from 'vitest';
import { parseManifestFile } from '../src/sources/manifests/parse.js';

const head = 'apiVersion: pilot.dev/v1\nkind: Project\nname: acme\n';

function problems(content: string) {
  return parseManifestFile({ path: 'pilot.yaml', content }).problems.map((p) => `${p.line}:${p.col} ${p.rule}: ${p.message}`);
}

/** `depth` levels in all: the document's mapping, then `depth - 1` nested collections under x. */
function nested(depth: number, open: string, close = ''): string {
  const inner = `${open.repeat(depth - 1)}1${close.repeat(depth - 1)}`;
  // A block list cannot start on its key's line.
  return close === '' ? `${head}x:\n  ${inner}\n` : `${head}x: ${inner}\n`;
}

describe('YAML aliases', () => {
  const aliases = (n: number) => `${head}x: &a 1\ny: [${Array.from({ length: n }, () => '*a').join(', ')}]\n`;

  it('allows exactly 100 aliases and refuses the 101st', () => {
    expect(problems(aliases(100))).toEqual([]);
    expect(problems(aliases(101))).toEqual([expect.stringMatching(/^5:5 limits\.aliases: YAML aliases expand to more than 100 copies/)]);
  });

  it('says an alias names no anchor, at the alias, instead of calling it an alias bomb', () => {
    expect(problems(`${head}x: [1, *nope]\n`)).toEqual([
      '4:8 yaml.alias: the alias *nope names no anchor defined above it: define &nope before using it, or write the value out',
    ]);
    // An anchor defined below the alias does not count: YAML reads top to bottom.
    expect(problems(`${head}x: *late\ny: &late 1\n`)).toEqual([expect.stringMatching(/^4:4 yaml\.alias: the alias \*late names no anchor/)]);
  });
});

describe('YAML nesting', () => {
  it.each([
    { style: 'flow lists', open: '[', close: ']', at: '4:67' },
    { style: 'flow mappings', open: '{a: ', close: '}', at: `4:${4 + 4 * 63}` },
    { style: 'block lists on one line', open: '- ', close: '', at: `5:${3 + 2 * 63}` },
  ])('$style: 64 levels are read, 65 are refused at the 65th', ({ open, close, at }) => {
    expect(problems(nested(64, open, close))).toEqual([]);
    expect(problems(nested(65, open, close))).toEqual([
      `${at} limits.nesting: the YAML is nested more than 64 levels deep (a Project needs a handful): check for unclosed brackets, or flatten it`,
    ]);
  });

  it('reports 10,000 levels as too deep, not as a stack overflow', () => {
    const found = problems(nested(10_000, '['));
    expect(found).toEqual([expect.stringContaining('nested more than 64 levels deep')]);
    expect(found.join('\n')).not.toContain('call stack');
  });
});

describe('values YAML reads but Pilot cannot use', () => {
  it.each([
    ['9007199254740993', '4:4'],
    ['-9007199254740993', '4:4'],
    ['1e300', '4:4'],
    ['.inf', '4:4'],
  ])('refuses the number %s at %s', (text, at) => {
    expect(problems(`${head}x: ${text}\n`)).toEqual([expect.stringMatching(new RegExp(`^${at} yaml\\.number: this number is too large to be read exactly`))]);
  });

  it('reads the largest safe integer and ordinary numbers', () => {
    expect(problems(`${head}x: [9007199254740991, -9007199254740991, 0.25, 1e3, .nan]\n`)).toEqual([]);
  });

  it('refuses a lone surrogate in a value or a key without repeating the value', () => {
    const found = problems(`${head}x: "secret\\ud800"\n"\\udc00k": 1\ny: "pair \\ud83d\\ude80 is fine"\n`);
    expect(found).toEqual([
      expect.stringMatching(/^4:4 yaml\.surrogate: this text holds a lone UTF-16 surrogate/),
      expect.stringMatching(/^5:1 yaml\.surrogate: this text holds a lone UTF-16 surrogate/),
    ]);
    expect(found.join('\n')).not.toContain('secret');
  });
});
