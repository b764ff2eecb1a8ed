// The simulated runner's building blocks: log lines, cancellable pauses, and the
// three ways a job ends (success, failure, noticed cancellation).

import { status, statusProto } from './errors.js';
import { appendLines, isFinished, updateJob } from './jobs.js';
import type { EmulatorState, JobRecord } from './state.js';
import { sleep, timestamp } from './time.js';
import type { TerminalEvent } from './types.js';

export type LineStyle = '' | 'header' | 'info' | 'success' | 'success-bold' | 'warning' | 'error' | 'error-bold';

export function line(msg: string, style: LineStyle = ''): TerminalEvent {
  return { timestamp: timestamp(), line: { msg, style } };
}

/** One terminal batch, as a runner sends it. */
export function say(record: JobRecord, ...events: TerminalEvent[]): void {
  if (events.length) appendLines(record, events);
}

/** The configured number of filler lines for one phase. */
export function progress(state: EmulatorState, describe: (step: number, of: number) => string): TerminalEvent[] {
  const count = state.settings.logLines;
  return Array.from({ length: count }, (_, i) => line(describe(i + 1, count)));
}

export function succeed(state: EmulatorState, record: JobRecord, result: Record<string, unknown> | null): void {
  if (isFinished(record.job.state)) return;
  updateJob(state, record, { state: 'SUCCESS', result, complete_time: timestamp() });
}

export function fail(state: EmulatorState, record: JobRecord, code: status, message: string): void {
  if (isFinished(record.job.state)) return;
  say(record, line(`! ${message}`, 'error-bold'));
  updateJob(state, record, { state: 'ERROR', error: statusProto(code, message), complete_time: timestamp() });
}

/** Waits one step; false when the job must stop here (forced, canceled, emulator stopped). */
export async function pause(state: EmulatorState, record: JobRecord, ms = state.settings.stepMs()): Promise<boolean> {
  await sleep(ms, record.wake.signal);
  if (state.stopped || isFinished(record.job.state)) return false;
  if (record.job.cancel_time) {
    say(record, line('Job was canceled, stopping.', 'warning'));
    updateJob(state, record, { state: 'ERROR', error: statusProto(status.CANCELLED, 'canceled'), complete_time: timestamp() });
    return false;
  }
  return true;
}
