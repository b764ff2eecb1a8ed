// A problem found in the manifests: where it is, what is wrong, what to do.

import type { ReportProblem } from '../../reconciler/reporting.js';

export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** JSON path inside the document, e.g. apps[1].deploy.memory; empty for the whole file. */
  path: string;
  /** What is wrong and what to do. */
  message: string;
  /** Stable identifier of the rule, e.g. schema.enum or deps.cycle. */
  rule: string;
}

export type PathSegment = string | number;

const identifier = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** ['apps', 1, 'deploy', 'memory'] -> apps[1].deploy.memory */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (identifier.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  const prefix = problem.severity === 'warning' ? 'warning: ' : '';
  const path = problem.path === '' ? '' : `${problem.path}: `;
  return `${where}: ${prefix}${path}${problem.message}`;
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col || a.message.localeCompare(b.message);
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Problems as every reporter takes them (a comment, a check's annotations), the place in the document first, as `pilot validate` prints it. */
export function reportProblems(problems: readonly Problem[]): ReportProblem[] {
  return problems.map(({ severity, file, line, col, path, message, rule }) => ({ severity, file, line, col, message: path ? `${path}: ${message}` : message, rule }));
}
