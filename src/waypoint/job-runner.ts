// Runs one app's `up` job: queue it pinned to a commit, follow it, report the outcome.

import { PilotError } from '../reconciler/errors.js';
import type { WaypointClient } from './client/client.js';
import type { GitAuth } from './client/jobs.js';
import type { JobEvent, JobInfo, JobUrls } from './client/types.js';

export const labels = {
  revision: 'pilot/revision',
  configHash: 'pilot/config-hash',
  commit: 'pilot/commit',
} as const;

export interface UpRequest {
  project: string;
  app: string;
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

/** Waypoint runs one operation per app; the same singleton id lets a newer queued job replace an older one. */
export function singletonId(project: string, app: string): string {
  return `pilot/${project}/${app}`;
}

export async function queueUp(client: WaypointClient, request: UpRequest): Promise<string> {
  return client.queueJob({
    project: request.project,
    app: request.app,
    waypointHcl: request.waypointHcl,
    git: { url: request.source.repo, commit: request.source.commit, path: request.source.path, ...(request.source.auth ? { auth: request.source.auth } : {}) },
    singletonId: singletonId(request.project, request.app),
    labels: {
      [labels.revision]: request.revision,
      [labels.configHash]: request.configHash,
      [labels.commit]: request.source.commit,
    },
  });
}

const keptLines = 20;

/** Follows a job (new or re-attached after a restart) to its end. */
export async function watchJob(client: WaypointClient, jobId: string, onEvent: (event: JobEvent) => void = () => {}, signal?: AbortSignal): Promise<UpOutcome> {
  const lastLines: string[] = [];
  const job: JobInfo = await client.streamJob(
    jobId,
    (event) => {
      if (event.type === 'line') {
        lastLines.push(event.text);
        if (lastLines.length > keptLines) lastLines.shift();
      }
      onEvent(event);
    },
    signal ? { signal } : {},
  );
  const outcome: UpOutcome = { jobId, state: job.state === 'success' ? 'success' : 'error', urls: job.urls, lastLines };
  if (job.commit) outcome.commit = job.commit;
  if (outcome.state === 'error') {
    const why = job.error?.message ?? `ended ${job.state}`;
    const tail = lastLines.length ? `\n${lastLines.map((l) => `  | ${l}`).join('\n')}` : '';
    outcome.error = new PilotError('stalled', 'waypoint.job-failed', `job ${jobId} for ${job.project}/${job.app} failed: ${why}${tail}`);
  }
  return outcome;
}

/** Queues and follows in one step. */
export async function runUp(client: WaypointClient, request: UpRequest, onEvent?: (event: JobEvent) => void, signal?: AbortSignal): Promise<UpOutcome> {
  return watchJob(client, await queueUp(client, request), onEvent, signal);
}

/** Jobs of this app still queued or running, e.g. left by a process that was killed. */
export async function inFlightJobs(client: WaypointClient, project: string, app: string): Promise<JobInfo[]> {
  const jobs = await client.listJobs({ project, app, states: ['queued', 'waiting', 'running'] });
  return jobs.filter((job) => job.singletonId === singletonId(project, app));
}
