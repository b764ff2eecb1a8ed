// Follows one of Pilot's jobs (queued now or found after a restart) to its end and
// says, in words a person can act on, how it ended; finds an app's jobs in flight.

import { PilotError } from '../reconciler/errors.js';
import type { WaypointClient } from './client/client.js';
import { queueExpiry, singletonId } from './client/queue-request.js';
import type { JobEvent, JobInfo, JobUrls } from './client/types.js';

export interface JobOutcome {
  jobId: string;
  state: 'success' | 'error';
  urls: JobUrls;
  commit?: string;
  /** The last log lines, most useful when the job failed. */
  lastLines: string[];
  error?: PilotError;
}

/** How long Pilot follows one job before it stops and reports it (the job goes on in Waypoint). */
export const defaultFollowDeadlineMs = 90 * 60_000;

const keptLines = 20;

export interface WatchOptions {
  signal?: AbortSignal;
  /** Stop following after this long (default 90 min) and report the job as needing attention. */
  deadlineMs?: number;
}

/** A job that ended cancelled without ever being assigned: its queue time ran out, no runner took it. */
function neverTaken(job: JobInfo): boolean {
  return job.state === 'error' && !job.assigned && job.error?.code === 1;
}

/** Follows a job (new or re-attached after a restart) to its end, or to the deadline. */
export async function watchJob(client: WaypointClient, jobId: string, onEvent: (event: JobEvent) => void = () => {}, options: WatchOptions = {}): Promise<JobOutcome> {
  const lastLines: string[] = [];
  const deadlineMs = options.deadlineMs ?? defaultFollowDeadlineMs;
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let job: JobInfo;
  try {
    job = await client.streamJob(
      jobId,
      (event) => {
        if (event.type === 'line') {
          lastLines.push(event.text);
          if (lastLines.length > keptLines) lastLines.shift();
        }
        onEvent(event);
      },
      { signal },
    );
  } catch (error) {
    if (!deadline.aborted || options.signal?.aborted) throw error;
    const minutes = Math.round(deadlineMs / 60_000);
    throw new PilotError('stalled', 'waypoint.job-deadline', `job ${jobId} did not finish within ${minutes} min; Pilot stopped following it (it goes on in Waypoint): look at it with 'waypoint job inspect ${jobId}', and at the runner's logs`);
  }
  const outcome: JobOutcome = { jobId, state: job.state === 'success' ? 'success' : 'error', urls: job.urls, lastLines };
  if (job.commit) outcome.commit = job.commit;
  if (neverTaken(job)) {
    outcome.error = new PilotError('stalled', 'waypoint.no-runner', `no runner took job ${jobId} for ${job.project}/${job.app} within ${queueExpiry.minutes} min, so Waypoint cancelled it: check that a runner is running and registered ('waypoint runner list' on the Pilot VM)`);
  } else if (outcome.state === 'error') {
    const why = job.error?.message ?? `ended ${job.state}`;
    const tail = lastLines.length ? `\n${lastLines.map((l) => `  | ${l}`).join('\n')}` : '';
    outcome.error = new PilotError('stalled', 'waypoint.job-failed', `job ${jobId} for ${job.project}/${job.app} failed: ${why}${tail}`);
  }
  return outcome;
}

/** Jobs of this app still queued or running, e.g. left by a process that was killed. */
export async function inFlightJobs(client: WaypointClient, project: string, app: string): Promise<JobInfo[]> {
  const jobs = await client.listJobs({ project, app, states: ['queued', 'waiting', 'running'] });
  return jobs.filter((job) => job.singletonId === singletonId(project, app));
}
