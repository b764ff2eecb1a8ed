// The import graph of src/: every relative import of every file (static, type-only
// or dynamic) and every package it names, read from the source text. Used by the
// layering test to hold the folders to the rules of design.md.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ImportEdge {
  /** Importing file, relative to the repository root (src/...). */
  from: string;
  /** Imported file (src/...), or a package name (node:fs, cdktf, @cdktf/provider-aws). */
  to: string;
  typeOnly: boolean;
  dynamic: boolean;
}

const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function importGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of files(path.join(root, 'src'))) {
    const from = path.relative(root, file);
    for (const match of readFileSync(file, 'utf8').matchAll(statement)) {
      const spec = match[3] ?? match[4]!;
      const to = spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts') : packageOf(spec);
      edges.push({ from, to, typeOnly: match[2] !== undefined, dynamic: match[4] !== undefined });
    }
  }
  return edges;
}

/** Files reached from `start` through static value imports (what loading it loads). */
export function loadedBy(edges: readonly ImportEdge[], start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length) {
    const next = queue.pop()!;
    for (const edge of edges) {
      if (edge.from !== next || edge.typeOnly || edge.dynamic || seen.has(edge.to)) continue;
      seen.add(edge.to);
      if (edge.to.startsWith('src/')) queue.push(edge.to);
    }
  }
  return seen;
}
