// Jobs: queue, look up, cancel, and follow one to its end through GetJobStream.

import { setTimeout as sleep } from 'node:timers/promises';
import { PilotError } from '../../reconciler/errors.js';
import type { WaypointJob } from '../../reconciler/ports.js';
import type { Caller } from './call.js';
import { jobState, toJobInfo } from './convert.js';
import { classifyGrpcError } from './errors.js';
import type { JobMessage, JobStreamMessage, TerminalEvent } from './messages.js';
import { queueJobRequest, type GitAuth } from './queue-request.js';
import { ReplayCursor } from './replay-cursor.js';
import type { JobEvent, JobInfo, JobState } from './types.js';

export interface JobFilter {
  project?: string;
  app?: string;
  states?: JobState[];
}

export interface StreamOptions {
  /** Stop following (the job goes on); the promise rejects with code watch.aborted. */
  signal?: AbortSignal;
  /** How long to keep reconnecting after the stream breaks (default 60 s). */
  reconnectForMs?: number;
}

/** Queues one of Pilot's jobs; `auth` lets the runner clone the app's repository (never logged). */
export async function queueJob(rpc: Caller, job: WaypointJob, auth?: GitAuth): Promise<string> {
  return (await rpc.unary<{ job_id: string }>('QueueJob', queueJobRequest(job, auth))).job_id;
}

export async function getJob(rpc: Caller, id: string): Promise<JobInfo> {
  return toJobInfo(await rpc.unary<JobMessage>('GetJob', { job_id: id }));
}

export async function listJobs(rpc: Caller, filter: JobFilter): Promise<JobInfo[]> {
  const request: Record<string, unknown> = { workspace: { workspace: 'default' } };
  if (filter.project) request.project = { project: filter.project };
  if (filter.project && filter.app) request.application = { project: filter.project, application: filter.app };
  if (filter.states) request.jobState = filter.states.map((s) => s.toUpperCase());
  const r = await rpc.unary<{ jobs: JobMessage[] }>('ListJobs', request);
  return r.jobs.map(toJobInfo).filter((job) => (!filter.app || job.app === filter.app) && (!filter.states || filter.states.includes(job.state)));
}

export async function cancelJob(rpc: Caller, id: string, force: boolean): Promise<void> {
  await rpc.unary('CancelJob', { job_id: id, force });
}

function lineOf(event: TerminalEvent): { text: string; style?: string } | undefined {
  if (event.line) return { text: event.line.msg, ...(event.line.style ? { style: event.line.style } : {}) };
  if (event.status?.msg) return { text: event.status.msg, ...(event.status.status ? { style: event.status.status } : {}) };
  if (event.step?.msg) return { text: event.step.msg };
  if (event.raw) return { text: event.raw.data.toString('utf8').replace(/\n$/, '') };
  if (event.named_values) return { text: event.named_values.values.map((v) => `${v.name}: ${v.value}`).join(', ') };
  return undefined;
}

/**
 * Follows a job until it completes. A broken stream is reopened (the server replays
 * stored lines, which are skipped so no line is reported twice).
 */
export async function streamJob(rpc: Caller, id: string, onEvent: (event: JobEvent) => void, options: StreamOptions = {}): Promise<JobInfo> {
  const seen = new ReplayCursor();
  let lastState: JobState | undefined;
  let brokenSince: number | undefined;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new PilotError('transient', 'watch.aborted', `stopped following job ${id}; it goes on in Waypoint`);
    try {
      const completed = await followOnce(rpc, id, options.signal, {
        line: (line) => onEvent({ type: 'line', ...line }),
        seen,
        state(state, canceling) {
          if (state === lastState) return;
          lastState = state;
          onEvent({ type: 'state', state, canceling });
        },
        commit: (commit) => onEvent({ type: 'commit', commit }),
      });
      if (completed) return completed;
      brokenSince ??= Date.now();
    } catch (error) {
      if (!(error instanceof PilotError) || error.kind !== 'transient' || error.code === 'watch.aborted') throw error;
      brokenSince ??= Date.now();
      if (Date.now() - brokenSince > (options.reconnectForMs ?? 60_000)) throw error;
    }
    await sleep(Math.min(200 * 2 ** attempt, 5_000));
  }
}

interface Sink {
  line(line: { text: string; style?: string }): void;
  seen: ReplayCursor;
  state(state: JobState, canceling: boolean): void;
  commit(commit: string): void;
}

/**
 * The job as its stream ended: the last `state` message's job with the `complete`
 * message's error and result. Read from the stream, not from GetJob afterwards, which
 * can already answer NOT_FOUND once the server trimmed the finished job.
 */
function finalJob(last: JobMessage, complete: NonNullable<JobStreamMessage['complete']>): JobInfo {
  const state = complete.error ? 'ERROR' : 'SUCCESS';
  return toJobInfo({ ...last, state, error: complete.error ?? null, result: complete.result ?? last.result });
}

/**
 * One stream: resolves the finished job on `complete` (asking GetJob only when the
 * stream sent no job at all), undefined when it ends early.
 */
function followOnce(rpc: Caller, id: string, signal: AbortSignal | undefined, sink: Sink): Promise<JobInfo | undefined> {
  return new Promise((resolve, reject) => {
    const call = rpc.stream<JobStreamMessage>('GetJobStream', { job_id: id });
    const replay = sink.seen.replay();
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => {
      call.cancel();
      finish(() => reject(new PilotError('transient', 'watch.aborted', `stopped following job ${id}; it goes on in Waypoint`)));
    };
    signal?.addEventListener('abort', onAbort);
    let last: JobMessage | undefined;
    call.on('data', (message: JobStreamMessage) => {
      if (message.state?.job) last = message.state.job;
      if (message.job?.job) last = message.job.job;
      if (message.state) sink.state(jobState(message.state.current), message.state.canceling);
      if (message.download?.data_source_ref?.git?.commit) sink.commit(message.download.data_source_ref.git.commit);
      if (message.terminal) {
        for (const event of message.terminal.events) {
          const line = lineOf(event);
          if (line && sink.seen.take(event, message.terminal.buffered, replay)) sink.line(line);
        }
      }
      if (message.error?.error) {
        const e = message.error.error;
        finish(() => reject(new PilotError('transient', 'waypoint.stream', `GetJobStream: the server reported an error for job ${id}: ${e.message}`)));
        call.cancel();
      }
      if (message.event === 'complete') {
        const complete = message.complete ?? { error: null, result: null };
        finish(() => resolve(last ? finalJob(last, complete) : getJob(rpc, id)));
      }
    });
    call.on('error', (error) => finish(() => reject(classifyGrpcError(error, 'GetJobStream', rpc.address))));
    call.on('end', () => finish(() => resolve(undefined)));
  });
}
