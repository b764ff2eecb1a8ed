import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaUrl } from '../src/sources/manifests/schema.js';

interface Node {
  type?: unknown;
  description?: string;
  properties?: Record<string, Node>;
  $ref?: string;
  items?: Node;
  additionalProperties?: boolean | Node;
}

const schema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as Node & { $id: string; $schema: string; $defs: Record<string, Node> };

describe('schemas/pilot.schema.json', () => {
  it('is JSON Schema 2020-12 with an $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\//);
  });

  it('describes every property, so editors can show help for each key', () => {
    const missing: string[] = [];
    const walk = (node: Node, where: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        const target = child.$ref ? schema.$defs[child.$ref.replace('#/$defs/', '')]! : child;
        if (!child.description && !target.description) missing.push(`${where}.${key}`);
        walk(child, `${where}.${key}`);
      }
    };
    walk(schema, '$');
    for (const [name, def] of Object.entries(schema.$defs)) walk(def, `$defs.${name}`);
    expect(missing).toEqual([]);
  });

  it('closes every object, so a misspelt key is an error rather than ignored', () => {
    const open: string[] = [];
    const walk = (node: Node, where: string) => {
      if (node.properties && node.additionalProperties !== false) open.push(where);
      for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${where}.${key}`);
    };
    walk(schema, '$');
    for (const [name, def] of Object.entries(schema.$defs)) walk(def, `$defs.${name}`);
    expect(open).toEqual([]);
  });
});
