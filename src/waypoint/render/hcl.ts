// A small HCL tree and its printer. The layout is the canonical one of hclwrite (and so
// of `waypoint fmt`): 2-space indent, `=` aligned across consecutive single-line
// attributes, one blank line around blocks, one trailing newline. Output is a fixed
// point of the formatter, so a rendered file never shows a formatting diff.

import { hclKey, quoteHclString } from './hcl-string.js';

/** A bare reference such as `path.app`: built only by the renderer, never from user input. */
export interface HclExpression {
  readonly kind: 'expression';
  readonly text: string;
}

export interface HclMap {
  readonly kind: 'map';
  readonly entries: Readonly<Record<string, HclValue>>;
}

export type HclValue = string | number | boolean | HclExpression | HclMap | readonly HclValue[];

export interface HclAttribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly value: HclValue;
}

export interface HclBlock {
  readonly kind: 'block';
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: readonly HclNode[];
}

export type HclNode = HclAttribute | HclBlock;

/** What a body may list: optional parts are left out by passing `undefined`. */
export type HclBodyItem = HclNode | undefined;

export function attribute(name: string, value: HclValue): HclAttribute {
  return { kind: 'attribute', name, value };
}

/** An attribute only when there is a value. */
export function optionalAttribute(name: string, value: HclValue | undefined): HclAttribute | undefined {
  return value === undefined ? undefined : attribute(name, value);
}

export function block(type: string, labels: readonly string[], body: readonly HclBodyItem[] = []): HclBlock {
  return { kind: 'block', type, labels, body: body.filter((node): node is HclNode => node !== undefined) };
}

export function hclMap(entries: Readonly<Record<string, HclValue>>): HclMap {
  return { kind: 'map', entries };
}

const traversal = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function expression(text: string): HclExpression {
  if (!traversal.test(text)) throw new Error(`not a plain HCL reference: ${JSON.stringify(text)}`);
  return { kind: 'expression', text };
}

const indent = (depth: number) => '  '.repeat(depth);

function isMap(value: HclValue): value is HclMap {
  return typeof value === 'object' && !Array.isArray(value) && (value as HclMap | HclExpression).kind === 'map';
}

function inlineValue(value: HclValue): string {
  if (typeof value === 'string') return quoteHclString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`HCL has no number ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(inlineValue).join(', ')}]`;
  if (isMap(value)) throw new Error('maps are printed on several lines, never inside a list');
  return (value as HclExpression).text;
}

/** The value's lines: the first follows `name = `, the rest are already indented. */
function valueLines(value: HclValue, depth: number): string[] {
  if (!isMap(value)) return [inlineValue(value)];
  const keys = Object.keys(value.entries).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return ['{}'];
  const entries = keys.map((key) => ({ name: hclKey(key), value: value.entries[key] as HclValue }));
  return ['{', ...assignmentLines(entries, depth + 1), `${indent(depth)}}`];
}

/** `name = value` lines with `=` aligned over each run of single-line values. */
function assignmentLines(entries: readonly { name: string; value: HclValue }[], depth: number): string[] {
  const lines: string[] = [];
  let run: { name: string; text: string }[] = [];
  const flush = () => {
    const width = Math.max(...run.map((r) => r.name.length));
    for (const r of run) lines.push(`${indent(depth)}${r.name.padEnd(width)} = ${r.text}`);
    run = [];
  };
  for (const entry of entries) {
    const [first = '', ...rest] = valueLines(entry.value, depth);
    if (rest.length === 0) {
      run.push({ name: entry.name, text: first });
      continue;
    }
    if (run.length > 0) flush();
    lines.push(`${indent(depth)}${entry.name} = ${first}`, ...rest);
  }
  if (run.length > 0) flush();
  return lines;
}

function blockLines(node: HclBlock, depth: number): string[] {
  const header = [node.type, ...node.labels.map(quoteHclString)].join(' ');
  if (node.body.length === 0) return [`${indent(depth)}${header} {}`];
  return [`${indent(depth)}${header} {`, ...bodyLines(node.body, depth + 1), `${indent(depth)}}`];
}

/** Attributes stay together; a blank line separates every block from its neighbours. */
function bodyLines(nodes: readonly HclNode[], depth: number): string[] {
  const lines: string[] = [];
  let attributes: HclAttribute[] = [];
  const flush = () => {
    if (attributes.length > 0) lines.push(...assignmentLines(attributes, depth));
    attributes = [];
  };
  nodes.forEach((node, i) => {
    const previous = nodes[i - 1];
    if (previous && (node.kind === 'block' || previous.kind === 'block')) {
      flush();
      lines.push('');
    }
    if (node.kind === 'attribute') attributes.push(node);
    else lines.push(...blockLines(node, depth));
  });
  flush();
  return lines;
}

/** The file's text: deterministic, canonical, with exactly one trailing newline. */
export function printHcl(body: readonly HclNode[]): string {
  return `${bodyLines(body, 0).join('\n')}\n`;
}
