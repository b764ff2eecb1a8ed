// Manifest files -> desired state, or every problem that stands in the way.

import { builtInProviders, type ProviderRegistry } from '../../drivers/registry.js';
import type { DesiredState, DesiredStateSummary } from '../../reconciler/desired-state.js';
import { summarize } from '../../reconciler/desired-state.js';
import { discoverManifests } from './discover.js';
import { locate } from './locate.js';
import type { ManifestFile } from './manifest-file.js';
import type { ProjectManifest } from './manifest.gen.js';
import { normalize } from './normalize.js';
import type { ParsedDocument } from './parse.js';
import { parseManifestFileCached } from './parse-cache.js';
import { compareProblems, formatPath, hasErrors, type Problem } from './problem.js';
import { buildRule } from './rules/build.js';
import { dependencyRule } from './rules/dependencies.js';
import { deployRule } from './rules/deploy.js';
import { envRule } from './rules/env.js';
import { placementRule } from './rules/placement.js';
import { resourceNameRule } from './rules/resource-names.js';
import { sourceRule } from './rules/source.js';
import { storageRule } from './rules/storage.js';
import type { Report, Rule, ValidDocument } from './rules/rule.js';
import { uniqueNames } from './rules/unique-names.js';
import { checkSchema, schemaUrl } from './schema.js';

const rules: readonly Rule[] = [uniqueNames, placementRule, sourceRule, buildRule, deployRule, envRule, dependencyRule, resourceNameRule, storageRule];

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

function countDeclared(documents: readonly ParsedDocument[]): DesiredStateSummary {
  let apps = 0;
  let databases = 0;
  for (const { value } of documents) {
    const v = value as { apps?: unknown; databases?: unknown };
    if (Array.isArray(v.apps)) apps += v.apps.length;
    if (Array.isArray(v.databases)) databases += v.databases.length;
  }
  return { projects: documents.length, apps, databases };
}

/**
 * Parses, checks and normalizes manifest files. Pure apart from CPU: sources hand in
 * files (from a folder, a git commit, a test), and get every problem at once.
 * `providers`: the clouds a manifest may name (a test may register one more).
 */
export function loadDesiredState(files: readonly ManifestFile[], earlier: readonly Problem[] = [], providers: ProviderRegistry = builtInProviders): LoadResult {
  const problems: Problem[] = [...earlier];
  const parsed: ParsedDocument[] = [];
  for (const file of files) {
    const result = parseManifestFileCached(file);
    parsed.push(...result.documents);
    problems.push(...result.problems);
  }

  const valid: ValidDocument[] = [];
  for (const doc of parsed) {
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
  for (const rule of rules) rule(valid, report, providers);

  const unique = dedupe(problems).sort(compareProblems);
  const state = hasErrors(unique) ? null : normalize(valid, providers);
  return {
    state,
    problems: unique,
    files: files.length,
    summary: state ? summarize(state) : countDeclared(parsed),
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
