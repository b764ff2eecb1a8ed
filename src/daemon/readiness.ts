// Whether the daemon is ready, and if not, why and what to do: /readyz, /api/status and
// the status page all say the same. Pure: the status reporter and the HTTP server set
// the checks, from what the runs reported and what /readyz looks at when asked.

import type { Plan } from '../reconciler/plan-types.js';

export type ReadinessCheck = 'source' | 'waypoint' | 'store' | 'manifests' | 'disk';

export interface Readiness {
  /** The tracked branch was read, and its last fetch worked. */
  source: boolean;
  waypoint: boolean;
  store: boolean;
  /** False while the revision applied declares no apps and apps it would orphan stay deployed. */
  manifests: boolean;
  /** The state directory's disk has room to record runs. */
  disk: boolean;
  /** Why a check fails, where there is more to say than its plain reason (the fetch error, the revision, the space left). */
  details?: Partial<Record<ReadinessCheck, string>>;
  /** What /readyz answers: every failing check's reason. */
  reason?: string;
}

const checks: readonly ReadinessCheck[] = ['source', 'waypoint', 'store', 'manifests', 'disk'];

const plain: Record<ReadinessCheck, string> = {
  source: 'the manifest repository has not been read yet',
  waypoint: 'Waypoint is not reachable',
  store: 'the state store is not open',
  manifests: 'the revision applied declares no apps while apps are deployed',
  disk: 'the disk holding the state directory is almost full',
};

export function newReadiness(): Readiness {
  return { source: false, waypoint: false, store: false, manifests: true, disk: true };
}

export function pass(ready: Readiness, check: ReadinessCheck): void {
  ready[check] = true;
  if (!ready.details) return;
  delete ready.details[check];
  if (Object.keys(ready.details).length === 0) delete ready.details;
}

export function fail(ready: Readiness, check: ReadinessCheck, detail: string): void {
  ready[check] = false;
  ready.details = { ...ready.details, [check]: detail };
}

/** Undefined when ready; else every failing check's reason, in a fixed order. */
export function notReadyReason(ready: Readiness): string | undefined {
  const reasons = checks.filter((check) => ready[check] === false).map((check) => ready.details?.[check] ?? plain[check]);
  return reasons.length ? reasons.join('; ') : undefined;
}

/** A commit as people quote it; a folder's revision (local-...) whole. */
const short = (revision: string) => (/^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 12) : revision);

/** The source check after a fetch failed: `error` is the run's (already free of credentials). */
export function fetchFailed(error: string, applied: string | undefined): string {
  const kept = applied ? `revision ${short(applied)} stays applied` : 'nothing is applied';
  return `the manifest repository cannot be fetched (${error}); ${kept} until a fetch works: check that this machine reaches the repository with its credentials`;
}

/**
 * The manifests check after a run of the tracked branch. A revision that declares no
 * apps while the store still has deployed apps orphans them all: Pilot deletes nothing
 * then (plan.ts), and reports it rather than calling it converged. Such a revision is
 * planned whole (RunMemory.remember), so its plan lists every orphan. Undefined when
 * the run planned nothing.
 */
export function manifestsAfter(run: { revision: string; plan?: Plan }, declaredApps: number): { ok: true } | { ok: false; detail: string } | undefined {
  if (declaredApps > 0) return { ok: true };
  if (!run.plan) return undefined;
  // An orphaned app's action is destroy:<project>/<app>, reported and never run.
  const orphaned = run.plan.actions.filter((a) => a.kind === 'orphaned' && a.id.startsWith('destroy:')).length;
  if (orphaned === 0) return { ok: true };
  return {
    ok: false,
    detail: `revision ${short(run.revision)} declares no apps but ${orphaned} ${orphaned === 1 ? 'is' : 'are'} deployed; nothing was deleted. ` +
      'Restore the manifests, or to remove the apps commit each project with policy.prune: true and no apps',
  };
}

/** Below this, SQLite's journal, a manifest fetch or a Terraform state may not fit: runs would fail half-recorded. */
export const minimumFreeBytes = 64 * 1024 * 1024;

const mib = (bytes: number) => Math.floor(bytes / (1024 * 1024));

/** The disk check: `dirName` is the state directory's own name, never its path. */
export function diskProblem(freeBytes: number, dirName: string): string | undefined {
  if (freeBytes >= minimumFreeBytes) return undefined;
  return `the disk holding ${dirName} has ${mib(freeBytes)} MiB free; Pilot needs ${mib(minimumFreeBytes)} MiB to record runs: free some space, or move the state directory (stateDir, PILOT_HOME) to a larger disk`;
}
