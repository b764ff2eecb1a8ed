// What a pull request's plan comment (and `pilot plan --format markdown`) shows: the
// plan of the head, and after the merge what the apply did. Plain data, so the same
// renderer serves the daemon and the CLI, and tests build it by hand.

import type { Plan } from '../../../reconciler/plan-types.js';
import type { ReportOutcome } from '../../../reconciler/reporting.js';

/** A manifest problem, at its place in the head commit. */
export interface CommentProblem {
  severity: 'error' | 'warning';
  /** Path from the repository root, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  col: number;
  message: string;
  rule?: string;
}

/** Where links point: problems link to `<repoHtmlUrl>/blob/<sha>/<file>#L<line>`. */
export interface CommentLinks {
  /** e.g. https://github.com/acme/infra (GitHub Enterprise: its own host). */
  repoHtmlUrl: string;
}

export interface PlanSection {
  outcome: ReportOutcome;
  /** The commit planned (the pull request's head). */
  revision: string;
  plan?: Plan;
  problems: CommentProblem[];
  /** Errors of the run as a whole (the source unreadable, Waypoint down), a line each. */
  errors: string[];
  /** Said under the header, e.g. "From a fork: planned without credentials; cloud stacks not planned." */
  notes: string[];
  /** ISO time. */
  plannedAt: string;
}

export interface AppliedResult {
  /** The action's target, e.g. acme/web or "acme aws us-east-1". */
  target: string;
  kind: string;
  status: 'done' | 'failed' | 'blocked' | 'reported' | 'unsupported' | 'interrupted';
  url?: string;
  durationMs?: number;
  error?: string;
  /** The job's last log lines, for failures. */
  lastLines?: string[];
}

export interface AppliedSection {
  /** The commit applied (the merge commit). */
  revision: string;
  outcome: ReportOutcome;
  results: AppliedResult[];
  errors: string[];
  startedAt: string;
  finishedAt: string;
}

export interface CommentInput {
  /** Absent for the CLI: problems are printed as file:line:col without links. */
  links?: CommentLinks;
  plan: PlanSection;
  applied?: AppliedSection;
  /** closed: the pull request was closed without merging; the comment says it is outdated. */
  state?: 'open' | 'closed';
}
