// The reconciler's Waypoint port, implemented with Pilot's client and job runner.

import { appKey, type ActualApp, type ActualState } from '../reconciler/actual-state.js';
import type { ConfigValue, JobProgress, JobResult, WaypointPort } from '../reconciler/ports.js';
import { status } from '@grpc/grpc-js';
import type { WaypointClient } from './client/client.js';
import { grpcCode } from './client/errors.js';
import type { ConfigValue as ClientConfigValue } from './client/config.js';
import { configFingerprint } from './fingerprint.js';
import { labels, type GitAuth } from './client/queue-request.js';
import { inFlightJobs, watchJob } from './job-runner.js';
import { createLimiter } from '../reconciler/limiter.js';

/** Projects read from Waypoint at once while observing. */
const observeConcurrency = 8;

function toClientValue(value: ConfigValue): ClientConfigValue {
  return value.kind === 'static' ? { kind: 'static', value: value.value } : { kind: 'dynamic', from: value.value, config: value.config ?? {} };
}


export interface PortOptions {
  /** Credentials for an app repository, sent on its jobs so the runner can clone it (never logged). */
  sourceAuth?: (repo: string) => GitAuth | undefined;
  /** How long to follow one job before reporting it (default 90 min). */
  followDeadlineMs?: number;
}

export function waypointPort(client: WaypointClient, options: PortOptions = {}): WaypointPort {
  /** The newest Pilot job of the app still queued or running. */
  async function inFlightPilotJob(project: string, app: string) {
    const jobs = (await inFlightJobs(client, project, app)).filter((job) => job.labels[labels.configHash]);
    jobs.sort((a, b) => (b.queuedAt?.getTime() ?? 0) - (a.queuedAt?.getTime() ?? 0) || b.id.localeCompare(a.id));
    const job = jobs[0];
    return job ? { jobId: job.id, configHash: job.labels[labels.configHash]!, commit: job.labels[labels.commit] ?? '' } : undefined;
  }

  return {
    async observe(apps, projects) {
      const result: Pick<ActualState, 'projects' | 'apps'> = { projects: {}, apps: {} };
      const appsOf = new Map<string, Set<string>>(projects.map((p) => [p, new Set()]));
      for (const { project, app } of apps) (appsOf.get(project) ?? appsOf.set(project, new Set()).get(project)!).add(app);
      const limit = createLimiter(observeConcurrency);
      // Two calls a project, whatever its size: the project (its apps) and its config (every app's).
      await Promise.all([...appsOf].map(([project, names]) => limit(async () => {
        const info = await client.getProject(project);
        result.projects[project] = { name: project, registered: info !== undefined };
        const known = new Set(info?.applications ?? []);
        const config = [...names].some((name) => known.has(name)) ? await client.getProjectConfig(project) : new Map<string, Record<string, ClientConfigValue>>();
        for (const name of names) {
          const actual: ActualApp = { project, name, registered: known.has(name), config: {} };
          for (const [key, value] of Object.entries(config.get(name) ?? {})) actual.config[key] = configFingerprint(value);
          result.apps[appKey(project, name)] = actual;
        }
      })));
      return result;
    },
    async ensureProject(project) {
      await client.ensureProject(project);
    },
    async ensureApp(project, app) {
      await client.ensureApp(project, app);
    },
    async setConfig(project, app, values) {
      await client.setAppConfig(project, app, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, toClientValue(v)])));
    },
    async deleteConfig(project, app, names) {
      await client.deleteAppConfig(project, app, names);
    },
    queueJob(job) {
      return client.queueJob(job, options.sourceAuth?.(job.source.repo));
    },
    inFlight: inFlightPilotJob,
    async jobByIntent(project, app, intent) {
      const jobs = await client.listJobs({ project, app });
      return jobs.find((job) => job.labels[labels.intent] === intent)?.id;
    },
    async job(jobId) {
      let job;
      try {
        job = await client.getJob(jobId);
      } catch (error) {
        if (grpcCode(error) === status.NOT_FOUND) return undefined;
        throw error;
      }
      const state = job.state === 'success' || job.state === 'error' ? job.state : job.state === 'running' ? 'running' : 'queued';
      return { state, urls: job.urls, ...(job.error ? { error: job.error.message } : {}) };
    },
    async watch(jobId: string, onProgress: (event: JobProgress) => void, signal?: AbortSignal): Promise<JobResult> {
      const outcome = await watchJob(client, jobId, (event) => {
        if (event.type === 'state') onProgress({ type: 'state', state: event.state });
        if (event.type === 'line') onProgress({ type: 'line', text: event.text });
      }, { ...(signal ? { signal } : {}), ...(options.followDeadlineMs ? { deadlineMs: options.followDeadlineMs } : {}) });
      const result: JobResult = { jobId, state: outcome.state, urls: outcome.urls, lastLines: outcome.lastLines };
      // The last lines travel apart from the message, so they are printed once.
      if (outcome.error) result.error = outcome.error.message.split('\n')[0]!;
      return result;
    },
  };
}
