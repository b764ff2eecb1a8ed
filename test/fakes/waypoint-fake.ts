// An in-memory WaypointPort for fast tests of the reconcile shell: it records what it
// is asked, plays scripted job outcomes, fails chosen calls, and refuses what the real
// adapter and server refuse (an app or a job of a project Waypoint does not have, a
// job it no longer has), with the same error kinds and codes.

import { appKey, type ActualApp, type ActualState } from '../../src/reconciler/actual-state.js';
import { PilotError, type ErrorKind } from '../../src/reconciler/errors.js';
import type { ConfigValue, JobProgress, JobResult, WaypointJob, WaypointPort } from '../../src/reconciler/ports.js';
import { configFingerprint } from '../../src/waypoint/fingerprint.js';

/** How a job ends: with URLs, with an error and its last log lines, or not until `release`. */
export type JobOutcome =
  | { state: 'success'; urls?: JobResult['urls'] }
  | { state: 'error'; error: string; lastLines?: string[] }
  | { state: 'hold' };

export type FinalOutcome = Exclude<JobOutcome, { state: 'hold' }>;

export interface FakeJob {
  id: string;
  job: WaypointJob;
  state: 'queued' | 'running' | 'success' | 'error';
  urls: JobResult['urls'];
  error?: string;
  lastLines: string[];
}

export type WaypointCall = { [M in keyof WaypointPort]: { method: M; args: Parameters<WaypointPort[M]> } }[keyof WaypointPort];

export interface FakeWaypoint extends WaypointPort {
  /** Every call, in order, failed ones included (so retries can be counted). */
  readonly calls: WaypointCall[];
  /** Project -> its registered apps. */
  readonly projects: Map<string, Set<string>>;
  /** App key -> config name -> value, as SetConfig left them. */
  readonly config: Map<string, Map<string, ConfigValue>>;
  /** Every job Waypoint has, by id. */
  readonly jobs: Map<string, FakeJob>;
  /** The jobs QueueJob accepted, in order. */
  queued(): WaypointJob[];
  /** The outcomes of the next jobs of an app, in order; unscripted jobs succeed. */
  script(project: string, app: string, ...outcomes: JobOutcome[]): void;
  /** Ends a held job. */
  release(jobId: string, outcome?: FinalOutcome): void;
  /** A job left in flight by an earlier run (its project and app registered). */
  seedJob(job: WaypointJob & { operation: 'up' }, outcome?: JobOutcome): string;
  /** Waypoint trims a job: it no longer has it. */
  forget(jobId: string): void;
  /** The next `times` calls of `method` throw a PilotError of `kind` (and have no effect). */
  fail(method: keyof WaypointPort, times: number, kind: ErrorKind, options?: { code?: string; retryAfterMs?: number }): void;
}

const address = 'fake-waypoint:9701';
const refused = (rpc: string, details: string) => new PilotError('stalled', 'waypoint.not-found', `${rpc}: Waypoint at ${address} refused the call (${details})`);

export function fakeWaypoint(): FakeWaypoint {
  const calls: WaypointCall[] = [];
  const projects = new Map<string, Set<string>>();
  const config = new Map<string, Map<string, ConfigValue>>();
  const jobs = new Map<string, FakeJob>();
  const scripts = new Map<string, JobOutcome[]>();
  const faults = new Map<string, { times: number; error: () => PilotError }>();
  const waiters = new Map<string, (() => void)[]>();
  const accepted: WaypointJob[] = [];
  let sequence = 0;

  function enter<M extends keyof WaypointPort>(method: M, ...args: Parameters<WaypointPort[M]>): void {
    calls.push({ method, args } as WaypointCall);
    const fault = faults.get(method);
    if (!fault || fault.times <= 0) return;
    fault.times -= 1;
    throw fault.error();
  }

  function end(job: FakeJob, outcome: FinalOutcome): void {
    job.state = outcome.state;
    if (outcome.state === 'success') job.urls = outcome.urls ?? { release: `https://${job.job.app}.example.test` };
    else Object.assign(job, { error: outcome.error, lastLines: outcome.lastLines ?? [] });
    for (const wake of waiters.get(job.id) ?? []) wake();
    waiters.delete(job.id);
  }

  function store(job: WaypointJob, outcome: JobOutcome): string {
    sequence += 1;
    const id = `job-${String(sequence).padStart(2, '0')}`;
    const record: FakeJob = { id, job: structuredClone(job), state: outcome.state === 'hold' ? 'running' : 'queued', urls: {}, lastLines: [] };
    jobs.set(id, record);
    if (outcome.state !== 'hold') end(record, outcome);
    return id;
  }

  /** Resolves when the job ends; rejects as the adapter does when its follower is stopped. */
  function ended(job: FakeJob, signal?: AbortSignal): Promise<void> {
    const stopped = () => new PilotError('transient', 'watch.aborted', `stopped following job ${job.id}; it goes on in Waypoint`);
    if (signal?.aborted) return Promise.reject(stopped());
    if (job.state === 'success' || job.state === 'error') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(stopped());
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.set(job.id, [...(waiters.get(job.id) ?? []), () => { signal?.removeEventListener('abort', onAbort); resolve(); }]);
    });
  }

  const pilotJobInFlight = (project: string, app: string) => {
    const open = [...jobs.values()].filter((j) => j.job.project === project && j.job.app === app && j.job.operation === 'up' && (j.state === 'queued' || j.state === 'running'));
    const newest = open.at(-1);
    return newest?.job.operation === 'up' ? { jobId: newest.id, configHash: newest.job.configHash, commit: newest.job.source.commit } : undefined;
  };

  return {
    calls, projects, config, jobs,
    queued: () => accepted.map((job) => structuredClone(job)),
    script(project, app, ...outcomes) {
      scripts.set(appKey(project, app), [...(scripts.get(appKey(project, app)) ?? []), ...outcomes]);
    },
    release(jobId, outcome = { state: 'success' }) {
      const job = jobs.get(jobId);
      if (!job || job.state === 'success' || job.state === 'error') throw new Error(`job ${jobId} is not held`);
      end(job, outcome);
    },
    seedJob(job, outcome = { state: 'hold' }) {
      if (!projects.has(job.project)) projects.set(job.project, new Set());
      projects.get(job.project)!.add(job.app);
      return store(job, outcome);
    },
    forget(jobId) {
      jobs.delete(jobId);
    },
    fail(method, times, kind, options = {}) {
      const code = options.code ?? `fake.${kind}`;
      const hint = kind === 'waiting' && options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {};
      faults.set(method, { times, error: () => new PilotError(kind, code, `${method}: injected ${kind} failure`, hint) });
    },

    async observe(apps, names) {
      enter('observe', apps, names);
      const result: Pick<ActualState, 'projects' | 'apps'> = { projects: {}, apps: {} };
      for (const project of new Set([...names, ...apps.map((a) => a.project)])) result.projects[project] = { name: project, registered: projects.has(project) };
      for (const { project, app } of apps) {
        const registered = projects.get(project)?.has(app) ?? false;
        const actual: ActualApp = { project, name: app, registered, config: {} };
        // As the adapter: config is read only for a registered app, and jobs in flight are the store's record, not read here.
        if (registered) {
          for (const [name, value] of config.get(appKey(project, app)) ?? []) actual.config[name] = configFingerprint(value);
        }
        result.apps[appKey(project, app)] = actual;
      }
      return result;
    },
    async ensureProject(project) {
      enter('ensureProject', project);
      if (!projects.has(project)) projects.set(project, new Set());
    },
    async ensureApp(project, app) {
      enter('ensureApp', project, app);
      // The client's own check before UpsertApplication, whose server answers NOT_FOUND too.
      if (!projects.has(project)) throw new PilotError('stalled', 'waypoint.not-found', `project ${project} does not exist in Waypoint: ensure the project first`);
      projects.get(project)!.add(app);
    },
    async setConfig(project, app, values) {
      enter('setConfig', project, app, values);
      const key = appKey(project, app);
      if (!config.has(key)) config.set(key, new Map());
      for (const [name, value] of Object.entries(values)) config.get(key)!.set(name, structuredClone(value));
    },
    async deleteConfig(project, app, names) {
      enter('deleteConfig', project, app, names);
      for (const name of names) config.get(appKey(project, app))?.delete(name);
    },
    async queueJob(job) {
      enter('queueJob', job);
      // The server checks the project, not the app: the runner finds the app in the job's waypoint.hcl.
      if (!projects.has(job.project)) {
        throw refused('QueueJob', `failed to create job to queue\nProject ${JSON.stringify(job.project)} was not found! Please ensure that 'waypoint init' was run with this project.`);
      }
      if (job.source.repo === '') throw new PilotError('stalled', 'waypoint.failed-precondition', `QueueJob: Waypoint at ${address} refused the call (url: cannot be blank)`);
      const outcomes = scripts.get(appKey(job.project, job.app)) ?? [];
      accepted.push(structuredClone(job));
      return store(job, outcomes.shift() ?? { state: 'success' });
    },
    async job(jobId) {
      enter('job', jobId);
      const job = jobs.get(jobId);
      if (!job) return undefined;
      return { state: job.state, urls: job.urls, ...(job.error ? { error: job.error } : {}) };
    },
    async jobByIntent(project, app, intent) {
      enter('jobByIntent', project, app, intent);
      return [...jobs.values()].find((j) => j.job.project === project && j.job.app === app && j.job.operation === 'up' && j.job.intent === intent)?.id;
    },
    async inFlight(project, app) {
      enter('inFlight', project, app);
      return pilotJobInFlight(project, app);
    },
    async watch(jobId, onProgress: (event: JobProgress) => void, signal) {
      enter('watch', jobId, onProgress, signal);
      const job = jobs.get(jobId);
      if (!job) throw refused('GetJobStream', 'job not found');
      onProgress({ type: 'state', state: job.state });
      await ended(job, signal);
      for (const text of job.lastLines) onProgress({ type: 'line', text });
      onProgress({ type: 'state', state: job.state });
      const result: JobResult = { jobId, state: job.state as JobResult['state'], urls: job.urls, lastLines: job.lastLines };
      if (job.state === 'error') result.error = `job ${jobId} for ${job.job.project}/${job.job.app} failed: ${job.error}`;
      return result;
    },
  };
}
