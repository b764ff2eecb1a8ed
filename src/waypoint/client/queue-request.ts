// The QueueJob request for one of Pilot's jobs: how Pilot marks its jobs on the wire
// (labels, one singleton per app, an expiry) and how the runner gets the source.

import type { WaypointJob } from '../../reconciler/ports.js';

export type GitAuth = { username: string; password: string } | { sshKeyPem: string; user?: string; password?: string };

export const labels = {
  revision: 'pilot/revision',
  configHash: 'pilot/config-hash',
  commit: 'pilot/commit',
  intent: 'pilot/intent',
} as const;

/**
 * How long a job may wait for a runner before the server cancels it (QueueJobRequest.expires_in).
 * Without it a job no runner can take stays QUEUED forever (runner-facts.md, Jobs and runners).
 */
export const queueExpiry = { text: '30m', minutes: 30 } as const;

/** Waypoint runs one operation per app; the same singleton id lets a newer queued job replace an older one. */
export function singletonId(project: string, app: string): string {
  return `pilot/${project}/${app}`;
}

/**
 * The source pinned to an exact commit. No path: the runner works in `<clone>/<git.path>`
 * and joins the app's `path` from waypoint.hcl onto it again (runner-facts.md, Paths), so
 * the sub-folder travels only in `app { path }`.
 */
function gitSource(source: WaypointJob['source'], auth: GitAuth | undefined) {
  const git: Record<string, unknown> = { url: source.repo, ref: source.commit };
  if (auth && 'username' in auth) git.basic = { username: auth.username, password: auth.password };
  if (auth && 'sshKeyPem' in auth) git.ssh = { private_key_pem: Buffer.from(auth.sshKeyPem), user: auth.user ?? 'git', password: auth.password ?? '' };
  return git;
}

function jobLabels(job: WaypointJob): Record<string, string> {
  if (job.operation === 'destroy') return { [labels.revision]: job.revision, [labels.commit]: job.source.commit };
  return { [labels.revision]: job.revision, [labels.configHash]: job.configHash, [labels.commit]: job.source.commit, [labels.intent]: job.intent };
}

/** `auth`: credentials for the app's repository, sent on the job so the runner can clone it. */
export function queueJobRequest(job: WaypointJob, auth?: GitAuth) {
  return {
    job: {
      application: { project: job.project, application: job.app },
      workspace: { workspace: 'default' },
      target_runner: { any: {} },
      singleton_id: singletonId(job.project, job.app),
      labels: jobLabels(job),
      data_source: { git: gitSource(job.source, auth) },
      waypoint_hcl: { contents: Buffer.from(job.waypointHcl, 'utf8'), format: 'HCL' },
      // destroy tears down the app's deployments in the default workspace.
      ...(job.operation === 'destroy' ? { destroy: { workspace: {} } } : { up: {} }),
    },
    expires_in: queueExpiry.text,
  };
}
