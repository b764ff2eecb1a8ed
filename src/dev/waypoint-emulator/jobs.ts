// The job table and its state machine: QUEUED -> WAITING -> RUNNING -> SUCCESS | ERROR,
// cancellation, expiry, and the cascade of a failed job to the jobs that depend on it.

import { rpcError, status, statusProto } from './errors.js';
import { trimJobHistory } from './job-history.js';
import { createRing, writeRing } from './output-ring.js';
import type { EmulatorState, JobRecord } from './state.js';
import { timestamp, timestampMs } from './time.js';
import type { Job, JobState, TerminalEvent } from './types.js';

export function isFinished(state: JobState): boolean {
  return state === 'SUCCESS' || state === 'ERROR';
}

export function appKeyOf(job: Job): string {
  const app = job.application;
  return [job.workspace?.workspace ?? '', app?.project ?? '', app?.application ?? ''].join('/').toLowerCase();
}

export function findJob(state: EmulatorState, id: string, notFound: string): JobRecord {
  const record = state.jobs.get(id);
  if (!record) throw rpcError(status.NOT_FOUND, notFound);
  return record;
}

export interface QueuePlace {
  queueTime: Job['queue_time'];
  queueOrder: number;
}

/** Stores a validated job as QUEUED (at the end of the queue unless given a place) and starts its expiry timer. */
export function addJob(state: EmulatorState, job: Job, place?: QueuePlace): JobRecord {
  job.state = 'QUEUED';
  job.queue_time = place?.queueTime ?? timestamp();
  const queueOrder = place?.queueOrder ?? state.queueCounter++;
  const record: JobRecord = { job, appKey: appKeyOf(job), output: undefined, listeners: new Set(), wake: new AbortController(), holdsLock: false, queueOrder };
  state.jobs.set(job.id, record);
  trimJobHistory(state);
  // A timer per job, as jobIndexSet starts one (internal/server/boltdbstate/job.go 1317-1329).
  if (job.expire_time) {
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      expireJob(state, record);
    }, Math.max(1, timestampMs(job.expire_time) - Date.now()));
    timer.unref();
    state.timers.add(timer);
  }
  state.wake();
  return record;
}

/** Applies a change, tells every stream, and frees the app when the job has ended
 * (failing its queued dependents too, unless `cascade` is false). */
export function updateJob(state: EmulatorState, record: JobRecord, patch: Partial<Job>, cascade = true): void {
  const wasFinished = isFinished(record.job.state);
  // JobAck gives the job its output buffer (internal/server/boltdbstate/job.go 726).
  if (patch.state === 'RUNNING' && !record.output) record.output = createRing();
  Object.assign(record.job, patch);
  for (const listener of [...record.listeners]) listener.change(record);
  if (wasFinished || !isFinished(record.job.state)) return;
  record.wake.abort();
  if (record.holdsLock) state.appLocks.delete(record.appKey);
  record.holdsLock = false;
  state.active.delete(record.job.id);
  if (record.job.state === 'ERROR' && cascade) cascadeFailure(state, record.job);
  trimJobHistory(state);
  state.wake();
}

/** Output of a job not yet acked has no buffer to go to and is dropped, as the real
 * server drops it (pkg/server/singleprocess/logstream.go 87-90). */
export function appendLines(record: JobRecord, events: TerminalEvent[]): void {
  if (!record.output) return;
  writeRing(record.output, events);
  for (const listener of [...record.listeners]) listener.terminal(events);
}

const canceled = () => statusProto(status.CANCELLED, 'canceled');

/** CancelJob: finished jobs are left alone; queued ones end at once; assigned ones are
 * asked to stop (cancel_time; the runner notices at the end of its current step) unless forced. */
export function cancelJob(state: EmulatorState, record: JobRecord, force: boolean): void {
  const current = record.job.state;
  if (isFinished(current)) return;
  if (current === 'QUEUED' || force) {
    updateJob(state, record, { state: 'ERROR', cancel_time: timestamp(), error: canceled() });
    return;
  }
  updateJob(state, record, { cancel_time: timestamp() });
}

/** JobExpire (internal/server/boltdbstate/job.go 1063-1089): a QUEUED job ends in ERROR
 * (CANCELLED "canceled", cancel_time set); a WAITING one is only asked to cancel; a
 * RUNNING or finished one is left alone. */
function expireJob(state: EmulatorState, record: JobRecord): void {
  if (record.job.state === 'QUEUED' || record.job.state === 'WAITING') cancelJob(state, record, false);
}

/** Queued dependents of a failed job fail too, unless they allowed that failure. */
function cascadeFailure(state: EmulatorState, parent: Job): void {
  for (const record of state.jobs.values()) {
    const job = record.job;
    if (job.state !== 'QUEUED' || !job.depends_on.includes(parent.id)) continue;
    if (job.depends_on_allow_failure.some((id) => id.toLowerCase() === parent.id.toLowerCase())) continue;
    const message = `Job dependency ${JSON.stringify(parent.id)} errored: ${parent.error?.message ?? ''}`;
    updateJob(state, record, { state: 'ERROR', error: statusProto(status.CANCELLED, message), cancel_time: parent.cancel_time });
  }
}

/** A still-queued job with the same singleton id gives up its place to the new job. */
export function replaceSingleton(state: EmulatorState, singletonId: string, newId: string): QueuePlace | undefined {
  if (singletonId === '') return undefined;
  for (const record of state.jobs.values()) {
    if (record.job.singleton_id !== singletonId || record.job.state !== 'QUEUED') continue;
    // The real server writes this record directly, without cascading to dependents.
    updateJob(state, record, { state: 'ERROR', error: statusProto(status.CANCELLED, `replaced by job ${newId}`) }, false);
    return { queueTime: record.job.queue_time, queueOrder: record.queueOrder };
  }
  return undefined;
}
