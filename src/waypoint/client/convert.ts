// Wire messages -> Pilot's types.

import type { DeploymentMessage, JobMessage, JobStateName, Timestamp } from './messages.js';
import type { DeploymentInfo, JobInfo, JobState } from './types.js';

export function jobState(state: JobStateName | undefined): JobState {
  switch (state) {
    case 'QUEUED': return 'queued';
    case 'WAITING': return 'waiting';
    case 'RUNNING': return 'running';
    case 'SUCCESS': return 'success';
    case 'ERROR': return 'error';
    default: return 'unknown';
  }
}

export function toDate(time: Timestamp | null | undefined): Date | undefined {
  if (!time) return undefined;
  const ms = Number(time.seconds) * 1000 + Math.floor(time.nanos / 1e6);
  return ms > 0 ? new Date(ms) : undefined;
}

export function toJobInfo(job: JobMessage): JobInfo {
  const up = job.result?.up;
  const info: JobInfo = {
    id: job.id,
    project: job.application?.project ?? '',
    app: job.application?.application ?? '',
    state: jobState(job.state),
    singletonId: job.singleton_id,
    labels: { ...job.labels },
    urls: {},
    cancelRequested: toDate(job.cancel_time) !== undefined,
    assigned: toDate(job.assign_time) !== undefined,
  };
  if (up?.release_url) info.urls.release = up.release_url;
  if (up?.app_url) info.urls.app = up.app_url;
  if (up?.deploy_url) info.urls.deploy = up.deploy_url;
  const commit = job.data_source_ref?.git?.commit;
  if (commit) info.commit = commit;
  if (job.error && job.state === 'ERROR') info.error = { code: job.error.code, message: job.error.message };
  const queuedAt = toDate(job.queue_time);
  if (queuedAt) info.queuedAt = queuedAt;
  const completedAt = toDate(job.complete_time);
  if (completedAt) info.completedAt = completedAt;
  return info;
}

export function toDeploymentInfo(d: DeploymentMessage): DeploymentInfo {
  const state = (d.status?.state ?? 'UNKNOWN').toLowerCase() as DeploymentInfo['state'];
  const info: DeploymentInfo = { id: d.id, sequence: Number(d.sequence), jobId: d.job_id, state, labels: { ...d.labels } };
  if (d.url) info.url = d.url;
  if (d.status?.error?.message) info.error = d.status.error.message;
  return info;
}
