// Runs one app's `up` job: queue it pinned to a commit, follow it, report the outcome.

import { PilotError } from '../reconciler/errors.js';
import type { WaypointClient } from './client/client.js';
import type { GitAuth } from './client/jobs.js';
import type { JobEvent, JobInfo, JobUrls } from './client/types.js';

export const labels = {
  revision: 'pilot/revision',
  configHash: 'pilot/config-hash',
  commit: 'pilot/commit',
  intent: 'pilot/intent',
} as const;

export interface UpRequest {
  project: string;
  app: string;
  /** Pilot's id for this queueing, recorded before QueueJob (see JobRecord 'queueing'). */
  intent: string;
  waypointHcl: string;
  source: { repo: string; commit: string; path: string; auth?: GitAuth };
  /** The manifest revision that asked for this deployment. */
  revision: string;
  /** Hash of the rendered configuration, to know later what this job deployed. */
  configHash: string;
}

export interface UpOutcome {
  jobId: string;
  state: 'success' | 'error';
  urls: JobUrls;
  commit?: string;
  /** The last log lines, most useful when the job failed. */
  lastLines: string[];
  error?: PilotError;
}

/** How long a job may wait for a runner before the server cancels it (QueueJobRequest.expires_in). */
export const queueExpiry = { text: '30m', minutes: 30 } as const;

/** How long Pilot follows one job before it stops and reports it (the job goes on in Waypoint). */
export const defaultFollowDeadlineMs = 90 * 60_000;

/** Waypoint runs one operation per app; the same singleton id lets a newer queued job replace an older one. */
export function singletonId(project: string, app: string): string {
  return `pilot/${project}/${app}`;
}

export async function queueUp(client: WaypointClient, request: UpRequest): Promise<string> {
  return client.queueJob({
    project: request.project,
    app: request.app,
    waypointHcl: request.waypointHcl,
    git: { url: request.source.repo, commit: request.source.commit, ...(request.source.auth ? { auth: request.source.auth } : {}) },
    singletonId: singletonId(request.project, request.app),
    expiresIn: queueExpiry.text,
    labels: {
      [labels.revision]: request.revision,
      [labels.configHash]: request.configHash,
      [labels.commit]: request.source.commit,
      [labels.intent]: request.intent,
    },
  });
}

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
export async function watchJob(client: WaypointClient, jobId: string, onEvent: (event: JobEvent) => void = () => {}, options: WatchOptions = {}): Promise<UpOutcome> {
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
  const outcome: UpOutcome = { jobId, state: job.state === 'success' ? 'success' : 'error', urls: job.urls, lastLines };
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

/** Queues and follows in one step. */
export async function runUp(client: WaypointClient, request: UpRequest, onEvent?: (event: JobEvent) => void, options?: WatchOptions): Promise<UpOutcome> {
  return watchJob(client, await queueUp(client, request), onEvent, options);
}

/** Jobs of this app still queued or running, e.g. left by a process that was killed. */
export async function inFlightJobs(client: WaypointClient, project: string, app: string): Promise<JobInfo[]> {
  const jobs = await client.listJobs({ project, app, states: ['queued', 'waiting', 'running'] });
  return jobs.filter((job) => job.singletonId === singletonId(project, app));
}
