// Parses manifest files into YAML documents that remember where every value came from.

import { LineCounter, parseAllDocuments, isMap, visit, type Document } from 'yaml';
import { describeSyntaxErrors } from './yaml-errors.js';
import { limits } from './limits.js';
import type { ManifestFile } from './manifest-file.js';
import type { Problem } from './problem.js';

export interface ParsedDocument {
  file: string;
  /** 0-based position of the document in its file. */
  index: number;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain JSON data. */
  value: unknown;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  problems: Problem[];
}

function position(lineCounter: LineCounter, offset: number): { line: number; col: number } {
  return lineCounter.linePos(offset);
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

export function parseManifestFile(file: ManifestFile): ParsedFile {
  const problems: Problem[] = [];
  const documents: ParsedDocument[] = [];
  const at = (line: number, col: number, rule: string, message: string, severity: Problem['severity'] = 'error'): Problem => ({
    severity, file: file.path, line, col, path: '', message, rule,
  });

  const bytes = Buffer.byteLength(file.content, 'utf8');
  if (bytes > limits.fileBytes) {
    problems.push(at(1, 1, 'limits.file-size', `the file is ${bytes} bytes, over the limit of ${limits.fileBytes} (1 MiB): split it into several files`));
    return { documents, problems };
  }

  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(file.content, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, index) => {
    const reported = new Set<string>();
    for (const { offset, message } of describeSyntaxErrors(file.content, doc.errors)) {
      const pos = position(lineCounter, offset);
      // One message per place: the parser often reports one mistake several ways.
      if (reported.has(`${pos.line}:${pos.col}`)) continue;
      reported.add(`${pos.line}:${pos.col}`);
      problems.push(at(pos.line, pos.col, 'yaml.syntax', `YAML syntax: ${message}`));
    }
    for (const warning of doc.warnings) {
      const pos = warning.linePos?.[0] ?? position(lineCounter, warning.pos[0]);
      problems.push(at(pos.line, pos.col, 'yaml.warning', `YAML: ${warning.message.split('\n')[0]}`, 'warning'));
    }
    if (doc.errors.length > 0 || doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.aliasExpansions });
    } catch {
      const pos = position(lineCounter, firstAliasOffset(doc));
      problems.push(
        at(pos.line, pos.col, 'limits.aliases', `YAML aliases expand to more than ${limits.aliasExpansions} copies: write the values out instead of nesting aliases`),
      );
      return;
    }
    if (value === null || value === undefined) return;
    if (!isMap(doc.contents)) {
      const pos = position(lineCounter, doc.contents.range?.[0] ?? 0);
      const got = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
      problems.push(at(pos.line, pos.col, 'schema.type', `a document must be a Project (a mapping with apiVersion, kind and name), got ${got}`));
      return;
    }
    documents.push({ file: file.path, index, doc, lineCounter, value });
  });
  return { documents, problems };
}
