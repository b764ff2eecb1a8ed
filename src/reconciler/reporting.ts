// The ports around a run: Triggers make requests (poll, drift, a watched folder,
// webhooks), Reporters receive what each run planned and did (the status page, the
// log, metrics, GitHub: pull request comments, checks and deployments).

import type { ActionResult, ApplyProgress } from './apply.js';
import type { Plan } from './plan-types.js';
import type { StackState } from './ports.js';
import type { Request } from './requests.js';

export interface Trigger {
  readonly name: string;
  /** Starts making requests through `push`. */
  start(push: (request: Request) => void): void;
  stop(): Promise<void> | void;
}

export type ReportOutcome = 'converged' | 'no-changes' | 'failed' | 'partial' | 'interrupted' | 'drift-reported' | 'planned' | 'invalid' | 'unavailable' | 'closed';

/** A manifest problem where it is: the file from the repository root, 1-based line and column. */
export interface ReportProblem {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  col: number;
  message: string;
  rule: string;
}

export interface RunReport {
  request: Request;
  /** The revision run (a commit, or local-<hash> for a folder); 'fetch' when the source could not be read. */
  revision: string;
  outcome: ReportOutcome;
  plan?: Plan;
  results?: ActionResult[];
  stacks?: StackState[];
  jobsQueued: number;
  startedAt: string;
  finishedAt: string;
  /** What went wrong, a line each: manifest problems, failed actions, or the run's own error. */
  errors: string[];
  /** The manifest problems (errors and warnings), for annotations and links. */
  problems?: ReportProblem[];
  /** Said with the plan, e.g. that a fork's pull request was planned without credentials. */
  notes?: string[];
  /** The error's code when the run failed as a whole (e.g. waypoint.unavailable). */
  errorCode?: string;
}

export interface Reporter {
  /** The tracked branch was fetched, even when its revision is already applied and no run follows (readiness). */
  fetched?(request: Request, revision: string): void;
  /** A run began (the status page shows it as running). */
  started?(request: Request, revision: string, at: string): void;
  /** An action of an apply started or ended (deployments follow these). */
  progress?(request: Request, revision: string, event: ApplyProgress): void;
  report(report: RunReport): Promise<void> | void;
  /** The daemon stops: finish (or give up on) what is under way. */
  stop?(): Promise<void>;
}
