// Hands queued jobs to the simulated runner: oldest queue time first, within the
// runner's concurrency, one job at a time per (workspace, project, app), after the
// jobs they depend on have finished.

import { isFinished } from './jobs.js';
import { runJob } from './runner.js';
import type { EmulatorState, JobRecord } from './state.js';

function blockedByDependencies(state: EmulatorState, record: JobRecord): boolean {
  return record.job.depends_on.some((id) => {
    const dependency = state.jobs.get(id);
    return dependency !== undefined && !isFinished(dependency.job.state);
  });
}

function takesAppLock(state: EmulatorState): boolean {
  // v0.11.4 locks only for deploy, destroy and release operations, none of which the
  // emulator's proto subset can express; 'all-ops' locks for every operation.
  return state.settings.appLock === 'all-ops';
}

function queuedInOrder(state: EmulatorState): JobRecord[] {
  return [...state.jobs.values()]
    .filter((record) => record.job.state === 'QUEUED')
    .sort((a, b) => a.queueOrder - b.queueOrder);
}

function assignJobs(state: EmulatorState): void {
  if (state.stopped) return;
  for (const record of queuedInOrder(state)) {
    if (state.active.size >= state.settings.concurrency) return;
    if (blockedByDependencies(state, record)) continue;
    const locks = takesAppLock(state);
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
