// What the daemon remembers between runs of the tracked branch (which projects each
// file declares, where each app's code lives, the last revision run), and a
// reconcile's outcome turned into the RunReport every Reporter receives.

import type { ReconcileOutcome } from '../reconcile/reconcile.js';
import type { DesiredState } from '../reconciler/desired-state.js';
import type { ReportOutcome, RunReport } from '../reconciler/reporting.js';
import type { BranchRequest, Request } from '../reconciler/requests.js';
import { projectsTouched } from '../sources/git/changed-paths.js';
import type { AppSource } from './triggers/webhooks.js';

export class RunMemory {
  /** Projects declared by file, from the last valid load: to know which a change touched. */
  private projectsByFile = new Map<string, string[]>();
  /** The apps of the last valid revision and where their code lives (for webhooks). */
  appSources: AppSource[] = [];
  /** The revision last applied, and the last run of the branch. */
  revision: string | undefined;
  lastRun: { revision: string; outcome: string } | undefined;
  /**
   * The last run of the branch did not finish its work: it failed, or actions failed for a
   * passing reason (Waypoint unavailable past the retries), or it was stopped. The next run
   * plans every project again, even at the same revision.
   */
  unfinished = false;
  /** Paths changed since the last run that finished its work: a refused revision's changes wait for the commit that fixes it. */
  private unapplied: Set<string> | 'all' = new Set();

  /** Adds what a fetch changed to what is not applied yet, and returns all of it. */
  changedSinceApplied(changed: string[] | 'all'): string[] | 'all' {
    if (changed === 'all') this.unapplied = 'all';
    else if (this.unapplied !== 'all') for (const file of changed) this.unapplied.add(file);
    return this.unapplied === 'all' ? 'all' : [...this.unapplied].sort();
  }

  /** Remembers a valid revision; returns the projects the request and the change touch (undefined: all). */
  remember(state: DesiredState, changed: string[] | 'all', request: BranchRequest): ReadonlySet<string> | undefined {
    const byFile = new Map<string, string[]>();
    for (const project of state.projects) byFile.set(project.origin.file, [...(byFile.get(project.origin.file) ?? []), project.name]);
    // A project is touched when its file changed, before the change (moved or deleted) or after it.
    const files = [...this.projectsByFile, ...byFile].flatMap(([file, projects]) => projects.map((project) => ({ project, file })));
    const touched = projectsTouched(changed, files);
    this.projectsByFile = byFile;
    this.appSources = state.projects.flatMap((p) => p.apps.map((a) => ({ key: `${p.name}/${a.name}`, repo: a.source.repo, ref: a.source.ref })));
    // A revision without apps is planned whole: every orphan it leaves is in its plan (readiness counts them).
    if (request.full || this.appSources.length === 0 || this.unfinished) return undefined;
    if (request.apps.length > 0) return new Set(request.apps.map((key) => key.split('/')[0]!));
    return touched === 'all' ? undefined : touched;
  }

  /** Notes a finished run of the branch. */
  note(report: RunReport): void {
    if (report.request.kind !== 'branch' || report.outcome === 'unavailable' || report.outcome === 'invalid') return;
    this.lastRun = { revision: report.revision, outcome: report.outcome };
    if (report.errorCode === undefined) this.revision = report.revision;
    // A failed deployment is a person's to look at (stalled); anything else is tried again.
    this.unfinished = report.errorCode !== undefined || (report.results ?? []).some((r) => r.status === 'interrupted' || (r.status === 'failed' && r.errorKind !== 'stalled'));
    if (!this.unfinished) this.unapplied = new Set();
  }
}

export function reportOf(request: Request, outcome: ReconcileOutcome, startedAt: string): RunReport {
  const results = outcome.applied?.results;
  const planned: ReportOutcome = request.kind === 'pull-request' ? 'planned' : outcome.plan?.actions.length ? 'drift-reported' : 'no-changes';
  return {
    request, revision: outcome.revision, outcome: outcome.invalid ? 'invalid' : outcome.applied?.outcome ?? planned,
    ...(outcome.plan ? { plan: outcome.plan } : {}), ...(results ? { results } : {}), ...(outcome.stacks ? { stacks: outcome.stacks } : {}),
    jobsQueued: outcome.applied?.jobsQueued ?? 0, startedAt, finishedAt: new Date().toISOString(), errors: [],
  };
}
