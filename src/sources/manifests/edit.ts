// Adds a project or an app to the text of a manifest file and returns the new text.
// Pure. New lines are spliced into the text, so the user's comments, blank lines and
// layout stay byte for byte; the result is re-parsed and checked before it is returned.

import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parseAllDocuments, type Document } from 'yaml';
import { appSplices } from './edit-splice.js';
import { applySplices, detectStyle, flowLists, renderBlock } from './edit-text.js';
import { limits } from './limits.js';
import type { App, ProjectManifest } from './manifest.gen.js';
import { maxAliasCount } from './yaml-aliases.js';

/** The text cannot be edited as asked (YAML errors, not a project, ...). */
export class EditError extends Error {
  override name = 'EditError';
}

function parse(text: string): Document.Parsed[] {
  return [...parseAllDocuments(text, { uniqueKeys: true, merge: true })];
}

function toJS(doc: Document.Parsed): unknown {
  return doc.toJS({ maxAliasCount: maxAliasCount(limits.aliasExpansions) }) as unknown;
}

function parseClean(text: string): Document.Parsed[] {
  const docs = parse(text);
  const error = docs.flatMap((d) => d.errors)[0];
  if (error) throw new EditError(`the file has YAML errors (${error.message.split('\n')[0]}): fix them first ('pilot validate' lists them)`);
  return docs;
}

/** Whether `text` parses, without errors, into exactly `expected`. */
function holds(text: string, expected: readonly unknown[]): boolean {
  try {
    const docs = parse(text);
    return docs.length === expected.length && docs.every((d, i) => d.errors.length === 0 && isDeepStrictEqual(toJS(d), expected[i]));
  } catch {
    return false;
  }
}

/** Drops undefined members, so the value compares equal to what YAML gives back. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The same edit through the Document API, re-printing only the one document. */
function viaDocument(text: string, doc: Document.Parsed, index: number, entry: App): string {
  const apps = doc.get('apps', true);
  const node = doc.createNode(isSeq(apps) ? entry : [entry]);
  flowLists(node);
  if (isSeq(apps)) apps.items.push(node);
  else doc.set('apps', node);
  const start = index === 0 ? 0 : doc.range[0];
  return text.slice(0, start) + doc.toString() + text.slice(doc.range[2]);
}

/** Appends `app` to the `apps:` list of document `index` (0-based) of `text`, creating the list if needed. */
export function addApp(text: string, index: number, app: App): string {
  const docs = parseClean(text);
  const doc = docs[index];
  if (!doc) throw new EditError(`the file has no document number ${index + 1}`);
  if (!isMap(doc.contents)) throw new EditError(`document ${index + 1} of the file is not a project (a mapping)`);
  const before = docs.map(toJS);
  const target = before[index] as Record<string, unknown>;
  if (target.apps !== undefined && target.apps !== null && !Array.isArray(target.apps)) {
    throw new EditError(`apps is not a list in document ${index + 1}: fix it first`);
  }
  const entry = plain(app);
  const expected = [...before];
  expected[index] = { ...target, apps: [...((target.apps as unknown[] | null) ?? []), entry] };

  const splices = appSplices(text, doc, entry);
  if (splices) {
    const out = applySplices(text, splices);
    if (holds(out, expected)) return out;
  }
  const out = viaDocument(text, doc, index, entry);
  if (holds(out, expected)) return out;
  throw new EditError('could not add the app without disturbing the rest of the file: add it by hand');
}

/** Appends `project` to `text` as a new YAML document (after `---` when the file has one already). */
export function addProject(text: string, project: ProjectManifest): string {
  const docs = parseClean(text);
  const entry = plain(project);
  const style = docs[0] && isMap(docs[0].contents) ? detectStyle(text, docs[0]) : { indent: 2, indentSeq: true };
  const body = `${renderBlock(entry, style)}\n`;
  const hasContent = docs.some((d) => d.contents !== null);
  const head = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  const out = hasContent ? `${head}---\n${body}` : `${head}${body}`;
  const expected = [...docs.filter((d) => d.contents !== null).map(toJS), entry];
  const after = parse(out);
  const got = after.filter((d) => d.contents !== null);
  if (after.some((d) => d.errors.length > 0) || !isDeepStrictEqual(got.map(toJS), expected)) {
    throw new EditError('could not append the project without disturbing the rest of the file: add it by hand');
  }
  return out;
}
