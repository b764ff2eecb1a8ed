// Parsed manifest files kept by their path and content, so a reconcile re-parses only
// the files that changed: parsing YAML is nearly all of the time it takes to load a
// large repository (~4 ms a 10-app file here), and most pushes change one file.
// Only what a valid file parses to is kept (its data, and its text to parse it again
// if a later check must point at a line); a file with problems is parsed every time.

import { createHash } from 'node:crypto';
import { locate, locationKey } from './locate.js';
import type { ManifestFile } from './manifest-file.js';
import type { PathSegment } from './problem.js';
import { parseManifestFile, type ParsedDocument, type ParsedFile } from './parse.js';

interface Entry {
  file: ManifestFile;
  values: { index: number; value: unknown; located: Map<string, { line: number; col: number }> }[];
}

/** The paths every load looks up (normalize gives each app and database the line it starts on). */
function alwaysLocated(document: ParsedDocument): Map<string, { line: number; col: number }> {
  const value = document.value as { apps?: unknown; databases?: unknown };
  const paths: PathSegment[][] = [['name']];
  for (const list of ['apps', 'databases'] as const) {
    const items = value[list];
    if (Array.isArray(items)) items.forEach((_, i) => paths.push([list, i]));
  }
  return new Map(paths.map((segments) => [locationKey(segments, 'value'), locate(document, segments)]));
}

/** The text of the files kept, at most: several times the largest repository measured (3 MB for 10,000 apps). */
const keptBytes = 32 * 2 ** 20;
const entries = new Map<string, Entry>();
let bytes = 0;

function remember(key: string, entry: Entry): void {
  entries.set(key, entry);
  bytes += entry.file.content.length;
  for (const [oldest, old] of entries) {
    if (bytes <= keptBytes) break;
    entries.delete(oldest);
    bytes -= old.file.content.length;
  }
}

/** A document parsed before: its data, and its YAML parsed again only when a check must point at a line. */
class CachedDocument implements ParsedDocument {
  constructor(
    readonly file: string,
    readonly index: number,
    readonly value: unknown,
    readonly located: Map<string, { line: number; col: number }>,
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

/** The documents of a file parsed before, each with its own copy of the data (a caller may change what it gets). */
function documentsOf(entry: Entry, file: ManifestFile): ParsedDocument[] {
  let parsed: ParsedFile | undefined;
  const again = () => (parsed ??= parseManifestFile(file));
  return entry.values.map(({ index, value, located }) => new CachedDocument(file.path, index, structuredClone(value), located, again));
}

export function parseManifestFileCached(file: ManifestFile): ParsedFile {
  const key = `${file.path}\0${createHash('sha256').update(file.content).digest('base64')}`;
  const known = entries.get(key);
  if (known) {
    // Most recently used last, so the oldest go first.
    entries.delete(key);
    entries.set(key, known);
    return { documents: documentsOf(known, file), problems: [] };
  }
  const result = parseManifestFile(file);
  if (result.problems.length > 0) return result;
  // The map is shared: what this load's checks point at is known to the next load too.
  for (const document of result.documents) document.located = alwaysLocated(document);
  remember(key, { file, values: result.documents.map((d) => ({ index: d.index, value: structuredClone(d.value), located: d.located! })) });
  return result;
}
