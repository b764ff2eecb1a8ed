// GetJobStream, in the real server's order: open; then for each change of the job a
// state event (state or canceling changed), download (once), job; terminal output
// (stored lines replayed as buffered once the job is seen running or finished, then
// live batches); complete with error and result, and the stream ends.

import type { ServerWritableStream } from '@grpc/grpc-js';
import { rpcError, status } from './errors.js';
import { isFinished } from './jobs.js';
import type { EmulatorState, JobListener, JobRecord } from './state.js';
import type { JobState } from './types.js';

type Call = ServerWritableStream<{ job_id: string }, unknown>;

export const outageMessage = 'emulator: the server is unavailable (injected fault)';

export function streamJob(state: EmulatorState, call: Call): void {
  const id = call.request.job_id;
  const record = state.jobs.get(id);
  if (!record) {
    call.emit('error', rpcError(status.NOT_FOUND, `job not found for ID: ${id}`));
    return;
  }
  let lastState: JobState = 'UNKNOWN';
  let cancelSent = false;
  let downloadSent = false;
  let live = false;
  let done = false;

  const send = (event: object) => {
    if (!done && !call.cancelled) call.write(event);
  };
  const finish = (error?: Error) => {
    if (done) return;
    done = true;
    record.listeners.delete(listener);
    stopOutage();
    if (call.cancelled) return;
    if (error) call.emit('error', error);
    else call.end();
  };

  function onChange(current: JobRecord): void {
    if (done) return;
    // A copy: grpc-js may serialize a queued message after the job has moved on.
    const job = structuredClone(current.job);
    const canceling = job.cancel_time !== null;
    if (job.state !== lastState || canceling !== cancelSent) {
      send({ state: { previous: lastState, current: job.state, job, canceling } });
      lastState = job.state;
      cancelSent = canceling;
    }
    if (!downloadSent && job.data_source_ref) {
      send({ download: { data_source_ref: job.data_source_ref } });
      downloadSent = true;
    }
    send({ job: { job } });
    if (!live && (job.state === 'RUNNING' || isFinished(job.state))) {
      live = job.state === 'RUNNING';
      // A finished job always gets its one buffered batch, even an empty one.
      if (current.lines.length || !live) send({ terminal: { events: [...current.lines], buffered: true } });
    }
    if (isFinished(job.state)) {
      send({ complete: { error: job.error, result: job.result } });
      finish();
    }
  }

  const listener: JobListener = {
    change: onChange,
    terminal(events) {
      if (live) send({ terminal: { events, buffered: false } });
    },
  };
  const stopOutage = state.faults.onOutage(() => finish(rpcError(status.UNAVAILABLE, outageMessage)));
  call.on('cancelled', () => finish());
  send({ open: {} });
  record.listeners.add(listener);
  onChange(record);
}
