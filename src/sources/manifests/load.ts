// Manifest files -> desired state, or every problem that stands in the way.

import { builtInProviders, type ProviderRegistry } from '../../drivers/registry.js';
import type { DesiredState, DesiredStateSummary } from '../../reconciler/desired-state.js';
import { summarize } from '../../reconciler/desired-state.js';
import { checkFileCached } from './check-cache.js';
import type { CheckedDocument } from './check-file.js';
import { discoverManifests } from './discover.js';
import { locate } from './locate.js';
import type { ManifestFile } from './manifest-file.js';
import type { ProjectManifest } from './manifest.gen.js';
import { deepFreeze } from './deep-freeze.js';
import { desiredState, normalizeProject } from './normalize.js';
import { compareProblems, formatPath, hasErrors, type Problem } from './problem.js';
import type { Report, Rule, ValidDocument } from './rules/rule.js';
import { uniqueProjects } from './rules/unique-names.js';

/** The rules that need every document at once; the rest run file by file (check-file.ts). */
const repositoryRules: readonly Rule[] = [uniqueProjects];

export interface LoadResult {
  /** The desired state; null when any error was found (an invalid set applies nothing). */
  state: DesiredState | null;
  /** Errors and warnings, sorted by file, line and column. */
  problems: Problem[];
  /** How many manifest files were read. */
  files: number;
  /** What the documents declare, counted even when some are invalid. */
  summary: DesiredStateSummary;
}

function countDeclared(values: readonly unknown[]): DesiredStateSummary {
  let apps = 0;
  let databases = 0;
  for (const value of values) {
    const v = value as { apps?: unknown; databases?: unknown };
    if (Array.isArray(v.apps)) apps += v.apps.length;
    if (Array.isArray(v.databases)) databases += v.databases.length;
  }
  return { projects: values.length, apps, databases };
}

/**
 * Parses, checks and normalizes manifest files. Pure apart from CPU: sources hand in
 * files (from a folder, a git commit, a test), and get every problem at once.
 * `providers`: the clouds a manifest may name (a test may register one more).
 */
export function loadDesiredState(files: readonly ManifestFile[], earlier: readonly Problem[] = [], providers: ProviderRegistry = builtInProviders): LoadResult {
  const problems: Problem[] = [...earlier];
  const declared: unknown[] = [];
  const valid: (ValidDocument & { kept: CheckedDocument['kept'] })[] = [];
  for (const file of files) {
    const checked = checkFileCached(file, providers);
    problems.push(...checked.problems);
    for (const { parsed, valid: passed, kept } of checked.documents) {
      declared.push(parsed.value);
      if (passed) valid.push({ parsed, manifest: parsed.value as ProjectManifest, kept });
    }
  }

  const report: Report = (doc, segments, rule, message, options = {}) => {
    const { line, col } = locate(doc.parsed, segments, options.target);
    problems.push({ severity: options.severity ?? 'error', file: doc.parsed.file, line, col, path: formatPath(segments), message, rule });
  };
  for (const rule of repositoryRules) rule(valid, report, providers);

  const unique = dedupe(problems).sort(compareProblems);
  // A project is normalized once per text of its file, and shared (frozen) by later loads.
  const state = hasErrors(unique) ? null : desiredState(valid.map((doc) => (doc.kept.project ??= deepFreeze(normalizeProject(doc, providers)))));
  return {
    state,
    problems: unique,
    files: files.length,
    summary: state ? summarize(state) : countDeclared(declared),
  };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Loads the manifests of a repository checked out at `root`. */
export async function loadDesiredStateFromDirectory(root: string, providers: ProviderRegistry = builtInProviders): Promise<LoadResult> {
  const discovery = await discoverManifests(root);
  return loadDesiredState(discovery.files, discovery.problems, providers);
}
