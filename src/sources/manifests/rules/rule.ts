// The shape every semantic rule shares: read valid documents, report problems.

import type { ProviderRegistry } from '../../../drivers/registry.js';
import type { ProjectManifest } from '../manifest.gen.js';
import type { ParsedDocument } from '../parse.js';
import type { PathSegment, Severity } from '../problem.js';
import type { Target } from '../locate.js';

/** A document that passed the schema, so its shape can be trusted. */
export interface ValidDocument {
  parsed: ParsedDocument;
  manifest: ProjectManifest;
}

export interface ReportOptions {
  target?: Target;
  severity?: Severity;
}

export type Report = (doc: ValidDocument, segments: PathSegment[], rule: string, message: string, options?: ReportOptions) => void;

/**
 * `providers`: the registered clouds, whose facts stand in for any branching on a provider's name.
 * A rule reads each document on its own unless it is listed as a repository rule (load.ts),
 * so a file's findings can be kept with the file (check-cache.ts).
 */
export type Rule = (docs: readonly ValidDocument[], report: Report, providers: ProviderRegistry) => void;

/** Where a document was declared, for "first declared at ..." messages. */
export function whereIs(doc: ValidDocument, line: number): string {
  return `${doc.parsed.file}:${line}`;
}
