// Checked manifest files kept by their path and content, so a reconcile parses and checks
// only the files that changed: parsing YAML is nearly all of the time it takes to load a
// large repository (~4 ms a 10-app file here), and most pushes change one file. What a
// file is found to hold depends on nothing but its text and the registered providers, so
// its problems are kept with its data.

import { createHash } from 'node:crypto';
import type { ProviderRegistry } from '../../drivers/registry.js';
import { checkFile, DetachedDocument, reparser, type CheckedDocument, type CheckedFile, type Location } from './check-file.js';
import { deepFreeze } from './deep-freeze.js';
import type { ManifestFile } from './manifest-file.js';
import type { Problem } from './problem.js';

interface Entry {
  file: ManifestFile;
  documents: { index: number; value: unknown; located: Map<string, Location>; valid: boolean; kept: CheckedDocument['kept'] }[];
  problems: readonly Problem[];
}

/** The text of the files kept, at most: several times the largest repository measured (3 MB for 10,000 apps). */
const keptBytes = 32 * 2 ** 20;
const entries = new Map<string, Entry>();
let bytes = 0;

/** Registries get a number each: a file checked against one set of providers says nothing about another. */
const registryIds = new WeakMap<ProviderRegistry, number>();
let registries = 0;
const registryId = (providers: ProviderRegistry) => {
  let id = registryIds.get(providers);
  if (id === undefined) registryIds.set(providers, (id = registries++));
  return id;
};

function remember(key: string, entry: Entry): void {
  entries.set(key, entry);
  bytes += entry.file.content.length;
  for (const [oldest, old] of entries) {
    if (bytes <= keptBytes) break;
    entries.delete(oldest);
    bytes -= old.file.content.length;
  }
}

/** The file as checked before: its data is frozen and shared (deep-freeze.ts). */
function replay(entry: Entry, file: ManifestFile): CheckedFile {
  const again = reparser(file);
  return {
    documents: entry.documents.map(({ index, value, located, valid, kept }) => ({ parsed: new DetachedDocument(file.path, index, value, located, again), valid, kept })),
    problems: entry.problems.map((p) => ({ ...p })),
  };
}

export function checkFileCached(file: ManifestFile, providers: ProviderRegistry): CheckedFile {
  const key = `${registryId(providers)}\0${file.path}\0${createHash('sha256').update(file.content).digest('base64')}`;
  const known = entries.get(key);
  if (known) {
    // Most recently used last, so the oldest go first.
    entries.delete(key);
    entries.set(key, known);
    return replay(known, file);
  }
  const checked = checkFile(file, providers);
  remember(key, {
    file,
    // The located maps are shared: where a later load's checks point is known to the next one too.
    documents: checked.documents.map(({ parsed, valid, kept }) => ({ index: parsed.index, value: deepFreeze(parsed.value), located: parsed.located!, valid, kept })),
    problems: checked.problems.map((p) => ({ ...p })),
  });
  return checked;
}
