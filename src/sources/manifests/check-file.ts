// One manifest file checked on its own: parsed, checked against the schema and by every
// rule that reads a document alone. Its syntax trees are let go before the next file is
// read, so a load holds one file's trees at a time, not a whole repository's.

import type { ProviderRegistry } from '../../drivers/registry.js';
import type { DesiredProject } from '../../reconciler/desired-state.js';
import { locate, locationKey } from './locate.js';
import type { ManifestFile } from './manifest-file.js';
import type { ProjectManifest } from './manifest.gen.js';
import { parseManifestFile, type ParsedDocument, type ParsedFile } from './parse.js';
import { formatPath, type PathSegment, type Problem } from './problem.js';
import { buildRule } from './rules/build.js';
import { dependencyRule } from './rules/dependencies.js';
import { deployRule } from './rules/deploy.js';
import { envRule } from './rules/env.js';
import { placementRule } from './rules/placement.js';
import { resourceNameRule } from './rules/resource-names.js';
import type { Report, Rule, ValidDocument } from './rules/rule.js';
import { sourceRule } from './rules/source.js';
import { storageRule } from './rules/storage.js';
import { uniqueNames } from './rules/unique-names.js';
import { checkSchema, schemaUrl } from './schema.js';

/** The rules that read one document at a time. */
const documentRules: readonly Rule[] = [uniqueNames, placementRule, sourceRule, buildRule, deployRule, envRule, dependencyRule, resourceNameRule, storageRule];

export type Location = { line: number; col: number };

export interface CheckedDocument {
  /** The document without its syntax tree (parsed again only if a later check must point into it). */
  parsed: ParsedDocument;
  /** Passed the schema, so the repository's rules and normalize may read it. */
  valid: boolean;
  /** What later loads of the same text may reuse (load.ts keeps the normalized project here). */
  kept: { project?: DesiredProject };
}

export interface CheckedFile {
  documents: CheckedDocument[];
  problems: Problem[];
}

/** Where a load always looks: each document's name, apps and databases (normalize gives each the line it starts on). */
function alwaysLocated(document: ParsedDocument): Map<string, Location> {
  const value = document.value as { apps?: unknown; databases?: unknown };
  const paths: PathSegment[][] = [['name']];
  for (const list of ['apps', 'databases'] as const) {
    const items = value[list];
    if (Array.isArray(items)) items.forEach((_, i) => paths.push([list, i]));
  }
  return new Map(paths.map((segments) => [locationKey(segments, 'value'), locate(document, segments)]));
}

/** A document whose YAML is parsed again, once, only when a check must point at a line not located yet. */
export class DetachedDocument implements ParsedDocument {
  constructor(
    readonly file: string,
    readonly index: number,
    readonly value: unknown,
    readonly located: Map<string, Location>,
    private readonly parsed: () => ParsedFile,
  ) {}

  private get own(): ParsedDocument {
    return this.parsed().documents.find((d) => d.index === this.index)!;
  }

  get doc() {
    return this.own.doc;
  }

  get lineCounter() {
    return this.own.lineCounter;
  }
}

/**
 * Parses the file again on first call, and keeps that. A function of its own, so that the
 * closure holds the file alone: one made inside checkFile would share its scope, and keep
 * the syntax trees alive through it.
 */
export function reparser(file: ManifestFile): () => ParsedFile {
  let again: ParsedFile | undefined;
  return () => (again ??= parseManifestFile(file));
}

export function checkFile(file: ManifestFile, providers: ProviderRegistry): CheckedFile {
  const { documents, problems } = parseManifestFile(file);
  const valid: ValidDocument[] = [];
  for (const doc of documents) {
    const explained = checkSchema(doc.value, schemaUrl, providers);
    for (const e of explained) {
      const { line, col } = locate(doc, e.segments, e.target);
      problems.push({ severity: 'error', file: doc.file, line, col, path: formatPath(e.segments), message: e.message, rule: e.rule });
    }
    if (explained.length === 0) valid.push({ parsed: doc, manifest: doc.value as ProjectManifest });
  }
  const report: Report = (doc, segments, rule, message, options = {}) => {
    const { line, col } = locate(doc.parsed, segments, options.target);
    problems.push({ severity: options.severity ?? 'error', file: doc.parsed.file, line, col, path: formatPath(segments), message, rule });
  };
  for (const rule of documentRules) rule(valid, report, providers);

  const parseAgain = reparser(file);
  const passed = new Set(valid.map((v) => v.parsed));
  return {
    documents: documents.map((doc) => ({ parsed: new DetachedDocument(doc.file, doc.index, doc.value, alwaysLocated(doc), parseAgain), valid: passed.has(doc), kept: {} })),
    problems,
  };
}
