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

  /** Remembers a valid revision; returns the projects the request and the change touch (undefined: all). */
  remember(state: DesiredState, changed: string[] | 'all', request: BranchRequest): ReadonlySet<string> | undefined {
    const byFile = new Map<string, string[]>();
    for (const project of state.projects) byFile.set(project.origin.file, [...(byFile.get(project.origin.file) ?? []), project.name]);
    // A project is touched when its file changed, before the change (moved or deleted) or after it.
    const files = [...this.projectsByFile, ...byFile].flatMap(([file, projects]) => projects.map((project) => ({ project, file })));
    const touched = projectsTouched(changed, files);
    this.projectsByFile = byFile;
    this.appSources = state.projects.flatMap((p) => p.apps.map((a) => ({ key: `${p.name}/${a.name}`, repo: a.source.repo, ref: a.source.ref })));
    if (request.full) return undefined;
    if (request.apps.length > 0) return new Set(request.apps.map((key) => key.split('/')[0]!));
    return touched === 'all' ? undefined : touched;
  }

  /** Notes a finished run of the branch. */
  note(report: RunReport): void {
    if (report.request.kind !== 'branch' || report.outcome === 'unavailable' || report.outcome === 'invalid') return;
    this.lastRun = { revision: report.revision, outcome: report.outcome };
    if (report.errorCode === undefined) this.revision = report.revision;
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
