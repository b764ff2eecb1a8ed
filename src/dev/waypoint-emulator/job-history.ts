// Trimming of the job history, as v0.11.4's Prune (internal/server/boltdbstate/state.go
// 148-157, job.go 1437-1450, prune.go 31-98): when more jobs than the limit are indexed,
// finished jobs are dropped until the count is back at the limit, walking the
// (state, queue time) index: every ERROR job, oldest queued first, before any SUCCESS
// job. Unfinished jobs are never dropped. The real server prunes every 10 minutes
// (pkg/server/singleprocess/prune.go 29); the emulator trims at once, which is stricter.

import { isFinished } from './jobs.js';
import type { EmulatorState, JobRecord } from './state.js';
import { timestampMs } from './time.js';

const stateOrder = { ERROR: 0, SUCCESS: 1 } as const;

function pruneOrder(a: JobRecord, b: JobRecord): number {
  const state = stateOrder[a.job.state as 'ERROR' | 'SUCCESS'] - stateOrder[b.job.state as 'ERROR' | 'SUCCESS'];
  if (state !== 0) return state;
  const queued = timestampMs(a.job.queue_time) - timestampMs(b.job.queue_time);
  if (queued !== 0) return queued;
  // memdb breaks ties in a non-unique index by the primary key, the job id.
  return a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0;
}

export function trimJobHistory(state: EmulatorState): void {
  const excess = state.jobs.size - state.settings.jobHistoryLimit;
  if (excess <= 0) return;
  const finished = [...state.jobs.values()].filter((record) => isFinished(record.job.state)).sort(pruneOrder);
  for (const record of finished.slice(0, excess)) {
    state.jobs.delete(record.job.id);
    state.trimmedJobIds.add(record.job.id);
  }
}
