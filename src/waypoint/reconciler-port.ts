// The reconciler's Waypoint port, implemented with Pilot's client and job runner.

import { appKey, type ActualApp, type ActualState } from '../reconciler/actual-state.js';
import type { ConfigValue, JobProgress, JobResult, UpJob, WaypointPort } from '../reconciler/ports.js';
import type { WaypointClient } from './client/client.js';
import type { ConfigValue as ClientConfigValue } from './client/config.js';
import { fingerprint } from './fingerprint.js';
import { inFlightJobs, labels, queueUp, singletonId, watchJob } from './job-runner.js';

function toClientValue(value: ConfigValue): ClientConfigValue {
  return value.kind === 'static' ? { kind: 'static', value: value.value } : { kind: 'dynamic', from: value.value, config: value.config ?? {} };
}

/** The fingerprint the reconciler compares, for a value as Waypoint stores it. */
export function configFingerprint(value: ConfigValue | ClientConfigValue): string {
  if (value.kind === 'static') return fingerprint(value.value);
  const from = 'from' in value ? value.from : value.value;
  return fingerprint(`dynamic:${from}:${JSON.stringify(Object.entries(value.config ?? {}).sort())}`);
}

export function waypointPort(client: WaypointClient): WaypointPort {
  async function observeApp(project: string, app: string, registered: boolean): Promise<ActualApp> {
    const actual: ActualApp = { project, name: app, registered, config: {} };
    if (!registered) return actual;
    const config = await client.getAppConfig(project, app);
    for (const [name, value] of Object.entries(config)) actual.config[name] = configFingerprint(value);
    const jobs = (await client.listJobs({ project, app })).filter((job) => job.singletonId === singletonId(project, app) && job.labels[labels.configHash]);
    jobs.sort((a, b) => (a.queuedAt?.getTime() ?? 0) - (b.queuedAt?.getTime() ?? 0) || a.id.localeCompare(b.id));
    for (const job of jobs) {
      const record = { jobId: job.id, configHash: job.labels[labels.configHash]!, commit: job.labels[labels.commit] ?? '' };
      if (job.state === 'success' || job.state === 'error') actual.deployed = { ...record, state: job.state };
      else actual.inFlight = record;
    }
    return actual;
  }

  return {
    async observe(apps, projects) {
      const result: Pick<ActualState, 'projects' | 'apps'> = { projects: {}, apps: {} };
      const known = new Map<string, string[]>();
      for (const project of new Set([...projects, ...apps.map((a) => a.project)])) {
        const info = await client.getProject(project);
        result.projects[project] = { name: project, registered: info !== undefined };
        known.set(project, info?.applications ?? []);
      }
      for (const { project, app } of apps) {
        result.apps[appKey(project, app)] = await observeApp(project, app, known.get(project)?.includes(app) ?? false);
      }
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
    queueUp(job: UpJob) {
      return queueUp(client, { ...job, source: job.source });
    },
    async inFlight(project, app) {
      const job = (await inFlightJobs(client, project, app)).find((j) => j.labels[labels.configHash]);
      return job ? { jobId: job.id, configHash: job.labels[labels.configHash]!, commit: job.labels[labels.commit] ?? '' } : undefined;
    },
    async watch(jobId: string, onProgress: (event: JobProgress) => void, signal?: AbortSignal): Promise<JobResult> {
      const outcome = await watchJob(client, jobId, (event) => {
        if (event.type === 'state') onProgress({ type: 'state', state: event.state });
        if (event.type === 'line') onProgress({ type: 'line', text: event.text });
      }, signal);
      const result: JobResult = { jobId, state: outcome.state, urls: outcome.urls, lastLines: outcome.lastLines };
      // The last lines travel apart from the message, so they are printed once.
      if (outcome.error) result.error = outcome.error.message.split('\n')[0]!;
      return result;
    },
    queueDestroy(job) {
      return client.queueJob({
        project: job.project,
        app: job.app,
        waypointHcl: job.waypointHcl,
        git: { url: job.source.repo, commit: job.source.commit, path: job.source.path === '.' ? '' : job.source.path },
        singletonId: singletonId(job.project, job.app),
        labels: { [labels.revision]: job.revision, [labels.commit]: job.source.commit },
        operation: 'destroy',
      });
    },
  };
}
