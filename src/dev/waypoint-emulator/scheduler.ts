// Hands queued jobs to the simulated runner: oldest queue time first, within the
// runner's concurrency, after the jobs they depend on have finished, and for the
// operations that take it, one at a time per (workspace, project, app). With no
// runner registered (faults.noRunner) nothing is assigned and jobs stay QUEUED.

import { isFinished } from './jobs.js';
import { runJob } from './runner.js';
import type { EmulatorState, JobRecord } from './state.js';

function blockedByDependencies(state: EmulatorState, record: JobRecord): boolean {
  return record.job.depends_on.some((id) => {
    // A dependency that is gone was trimmed after it finished (boltdbstate/job_assigned.go 110-117).
    const dependency = state.jobs.get(id);
    return dependency !== undefined && !isFinished(dependency.job.state);
  });
}

/** blockOps (internal/server/boltdbstate/job_assigned.go 17-21): the operations that hold
 * the app lock. Of them the emulator's proto subset has only `destroy`; `up` is not one. */
const lockingOperations: ReadonlySet<string> = new Set(['deploy', 'destroy', 'release']);

function takesAppLock(state: EmulatorState, record: JobRecord): boolean {
  if (state.settings.appLock === 'all-ops') return true;
  return lockingOperations.has(record.job.operation ?? '');
}

function queuedInOrder(state: EmulatorState): JobRecord[] {
  return [...state.jobs.values()]
    .filter((record) => record.job.state === 'QUEUED')
    .sort((a, b) => a.queueOrder - b.queueOrder);
}

function assignJobs(state: EmulatorState): void {
  // Jobs are only handed to a runner that asks (internal/server/boltdbstate/job.go 491, jobAssignForRunner).
  if (state.stopped || state.faults.runnerAbsent) return;
  for (const record of queuedInOrder(state)) {
    if (state.active.size >= state.settings.concurrency) return;
    if (blockedByDependencies(state, record)) continue;
    const locks = takesAppLock(state, record);
    if (locks && state.appLocks.has(record.appKey)) continue;
    if (locks) state.appLocks.add(record.appKey);
    record.holdsLock = locks;
    state.active.add(record.job.id);
    runJob(state, record);
  }
}

/** Installs `state.wake`: coalesces requests and assigns on the next turn of the event loop. */
export function startScheduler(state: EmulatorState): void {
  let pending = false;
  state.wake = () => {
    if (pending || state.stopped) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      assignJobs(state);
    });
  };
}
