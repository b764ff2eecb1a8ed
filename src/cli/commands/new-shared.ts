// What `pilot new project` and `pilot new app` share: reading the repository's projects,
// and writing an edited manifest only when the whole repository still validates.

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discoverManifests, type Discovery } from '../../sources/manifests/discover.js';
import { EditError } from '../../sources/manifests/edit.js';
import { loadDesiredState } from '../../sources/manifests/load.js';
import { locate } from '../../sources/manifests/locate.js';
import { isManifestName, isSkippedDirectory } from '../../sources/manifests/manifest-file.js';
import type { ProjectManifest } from '../../sources/manifests/manifest.gen.js';
import { parseManifestFile } from '../../sources/manifests/parse.js';
import { formatProblem, type Problem } from '../../sources/manifests/problem.js';
import { UsageError, UserError } from '../errors.js';
import type { Io } from '../io.js';
import { printJson, type Format } from '../output.js';

export interface ProjectRef {
  name: string;
  /** Manifest file, relative to the repository root. */
  file: string;
  /** 0-based document of the file. */
  index: number;
  line: number;
  defaults: NonNullable<ProjectManifest['defaults']>;
}

export interface Repository {
  dir: string;
  discovery: Discovery;
  projects: ProjectRef[];
}

export async function readRepository(dir: string): Promise<Repository> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`${dir}: no such directory (create it, or run 'pilot init ${dir}')`);
  const discovery = await discoverManifests(dir);
  const projects: ProjectRef[] = [];
  for (const file of discovery.files) {
    for (const doc of parseManifestFile(file).documents) {
      const value = doc.value as { name?: unknown; defaults?: unknown };
      if (typeof value.name !== 'string') continue;
      const defaults = typeof value.defaults === 'object' && value.defaults !== null ? (value.defaults as ProjectRef['defaults']) : {};
      projects.push({ name: value.name, file: doc.file, index: doc.index, line: locate(doc, ['name']).line, defaults });
    }
  }
  return { dir, discovery, projects };
}

export function describeProjects(projects: readonly ProjectRef[]): string {
  return projects.map((p) => `${p.name} (${p.file}:${p.line})`).join(', ');
}

/** Runs an edit function, turning its EditError into a message for the user. */
export function edit(file: string, change: () => string): string {
  try {
    return change();
  } catch (error) {
    if (error instanceof EditError) throw new UserError(`cannot edit ${file}: ${error.message}; nothing was written`);
    throw error;
  }
}

const key = (p: Problem) => `${p.file}\u0000${p.path}\u0000${p.rule}\u0000${p.message}`;

/** Problems of `after` that `before` does not have (lines may move, so they are not compared). */
function added(before: readonly Problem[], after: readonly Problem[]): Problem[] {
  const counts = new Map<string, number>();
  for (const p of before) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
  return after.filter((p) => {
    const n = counts.get(key(p)) ?? 0;
    if (n > 0) counts.set(key(p), n - 1);
    return n === 0;
  });
}

const list = (problems: readonly Problem[]) => problems.map((p) => `  ${formatProblem(p)}`).join('\n');
const errorsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');

/**
 * Writes `after` to `file` (relative to the repository) if the repository, with that text
 * in place, has no errors. `before` is the text the edit started from (undefined: a new file).
 */
export async function writeChecked(repo: Repository, file: string, before: string | undefined, after: string, io: Io): Promise<void> {
  const { files, problems: earlier } = repo.discovery;
  const edited = [...files.filter((f) => f.path !== file), { path: file, content: after }];
  const old = loadDesiredState(files, earlier).problems;
  const now = loadDesiredState(edited, earlier).problems;
  const oldErrors = errorsOf(old);
  const newErrors = added(oldErrors, errorsOf(now));
  if (newErrors.length > 0) {
    const also = oldErrors.length > 0 ? `\n(the repository already had ${oldErrors.length} other error${oldErrors.length === 1 ? '' : 's'}: run 'pilot validate')` : '';
    throw new UserError(`the change would make the manifests invalid, so nothing was written (lines are those of ${file} with the change):\n${list(newErrors)}${also}`);
  }
  if (oldErrors.length > 0) {
    throw new UserError(`the repository was already invalid before this change, so nothing was written; fix these first:\n${list(oldErrors)}`);
  }
  for (const warning of added(old, now)) io.stderr.write(`${formatProblem(warning)}\n`);

  const absolute = path.join(repo.dir, ...file.split('/'));
  if (before === undefined) {
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, after, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(`cannot create ${file} (${error.code ?? error.message}); nothing was written`);
    });
    return;
  }
  const current = await readFile(absolute, 'utf8').catch(() => undefined);
  if (current !== before) throw new UserError(`${file} changed while pilot was editing it; nothing was written: run the command again`);
  await writeFile(absolute, after);
}

/** --file: a manifest path inside DIR that discovery reads, with forward slashes. */
export function manifestPath(dir: string, file: string): string {
  const relative = path.relative(dir, path.resolve(dir, file));
  const parts = relative.split(path.sep);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new UsageError(`--file must be inside ${dir}`);
  if (!isManifestName(parts[parts.length - 1] ?? '')) {
    throw new UsageError(`--file must be named pilot.yaml or NAME.pilot.yaml, or Pilot would not read it`);
  }
  if (parts.slice(0, -1).some(isSkippedDirectory)) {
    throw new UsageError(`--file must not be under a dot-directory or node_modules, which Pilot never reads`);
  }
  return parts.join('/');
}

export function printResult(io: Io, format: Format, result: { file: string; project: string; app?: string }): void {
  if (format === 'json') {
    printJson(io, result);
    return;
  }
  const what = result.app === undefined ? `project ${result.project}` : `app ${result.app} to project ${result.project}`;
  io.stdout.write(`added ${what} in ${result.file}\n`);
}

/** A flag limited to `choices`, or undefined when it is not given. */
export function optionalChoice<T extends string>(value: string | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (value === undefined || (choices as readonly string[]).includes(value)) return value as T | undefined;
  throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}`);
}
