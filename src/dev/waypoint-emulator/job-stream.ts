// GetJobStream, in the real server's order (pkg/server/singleprocess/service_job.go
// 685-897): open; then for each change of the job a state event (state or canceling
// changed), download (once), job; output: when the job is first seen RUNNING, what its
// output buffer still holds, in reads of at most 64 entries each sent as a buffered
// batch, then live batches from the same reader; when first seen finished, one buffered
// batch with all the buffer still holds (output-ring.ts); complete with error and
// result, and the stream ends.

import type { ServerWritableStream } from '@grpc/grpc-js';
import { rpcError, status } from './errors.js';
import { isFinished } from './jobs.js';
import { openReader, readAll, readBatch, type RingReader } from './output-ring.js';
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
  let outputSeen = false;
  let reader: RingReader | undefined;
  let drainPending = false;
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
  const drain = (buffered: boolean) => {
    for (let batch = reader && readBatch(reader); batch; batch = readBatch(reader!)) send({ terminal: { events: batch, buffered } });
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
    if (!outputSeen && job.state === 'RUNNING') {
      outputSeen = true;
      reader = current.output && openReader(current.output);
      drain(true);
    } else if (!outputSeen && isFinished(job.state)) {
      // Even an empty batch, when the job never ran or its buffer was emptied.
      outputSeen = true;
      send({ terminal: { events: readAll(current.output), buffered: true } });
    }
    if (isFinished(job.state)) {
      // The real server does not drain first: with the fault, output not yet read is lost.
      if (!state.faults.completeRaces) drain(false);
      send({ complete: { error: job.error, result: job.result } });
      finish();
    }
  }

  const listener: JobListener = {
    change: onChange,
    terminal() {
      if (!reader) return;
      if (!state.faults.completeRaces) return drain(false);
      // The reader runs beside the job watcher: it catches up on a later turn.
      if (drainPending) return;
      drainPending = true;
      setImmediate(() => {
        drainPending = false;
        drain(false);
      });
    },
  };
  const stopOutage = state.faults.onOutage(() => finish(rpcError(status.UNAVAILABLE, outageMessage)));
  call.on('cancelled', () => finish());
  send({ open: {} });
  record.listeners.add(listener);
  onChange(record);
}
