// Parses manifest files into YAML documents that remember where every value came from.

import { Composer, LineCounter, Parser, isMap, type CST, type Document } from 'yaml';
import { describeSyntaxErrors } from './yaml-errors.js';
import { fileTooLarge, limits } from './limits.js';
import type { ManifestFile } from './manifest-file.js';
import type { Problem } from './problem.js';
import { firstAliasOffset, maxAliasCount, undefinedAlias } from './yaml-aliases.js';
import { tooDeepAt } from './yaml-depth.js';
import { unusableValues } from './yaml-values.js';

export interface ParsedDocument {
  file: string;
  /** 0-based position of the document in its file. */
  index: number;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain JSON data. */
  value: unknown;
  /**
   * Where paths were found, kept with a file checked before (check-cache.ts) so that
   * pointing at a line again needs no parse: each app, database and the name, and every
   * path a check pointed at since.
   */
  located?: Map<string, { line: number; col: number }>;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  problems: Problem[];
}

function position(lineCounter: LineCounter, offset: number): { line: number; col: number } {
  return lineCounter.linePos(offset);
}

export function parseManifestFile(file: ManifestFile): ParsedFile {
  const problems: Problem[] = [];
  const documents: ParsedDocument[] = [];
  const at = (line: number, col: number, rule: string, message: string, severity: Problem['severity'] = 'error'): Problem => ({
    severity, file: file.path, line, col, path: '', message, rule,
  });

  const bytes = Buffer.byteLength(file.content, 'utf8');
  if (bytes > limits.fileBytes) {
    problems.push(at(1, 1, 'limits.file-size', fileTooLarge(bytes)));
    return { documents, problems };
  }

  const lineCounter = new LineCounter();
  // Tokens first (the parser keeps its own stack), so depth is measured before anything recursive runs.
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(file.content));
  const deep = tokens.flatMap((token) => (token.type === 'document' ? [tooDeepAt(token as CST.Document, limits.nesting)] : [])).find((o) => o !== undefined);
  if (deep !== undefined) {
    const pos = position(lineCounter, deep);
    problems.push(at(pos.line, pos.col, 'limits.nesting', `the YAML is nested more than ${limits.nesting} levels deep (a Project needs a handful): check for unclosed brackets, or flatten it`));
    return { documents, problems };
  }
  const list = Array.from(new Composer({ uniqueKeys: true, merge: true }).compose(tokens));
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
    const missing = undefinedAlias(doc);
    if (missing) {
      const pos = position(lineCounter, missing.offset);
      problems.push(at(pos.line, pos.col, 'yaml.alias', `the alias *${missing.name} names no anchor defined above it: define &${missing.name} before using it, or write the value out`));
      return;
    }
    const unusable = unusableValues(doc);
    for (const { offset, rule, message } of unusable) {
      const pos = position(lineCounter, offset);
      problems.push(at(pos.line, pos.col, rule, message));
    }
    // Checked no further: the schema would only see the value YAML made of it.
    if (unusable.length > 0) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: maxAliasCount(limits.aliasExpansions) });
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
