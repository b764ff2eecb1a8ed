// What each kind of action does through the ports. Called again on a retry, so every
// step is safe to repeat: a job queued once is followed, never queued twice.

import { appKey } from './actual-state.js';
import type { ApplyContext } from './apply.js';
import { PilotError } from './errors.js';
import type { Action } from './plan-types.js';
import type { JobProgress, JobResult } from './ports.js';
import type { JobUpdate } from './store-records.js';

/** Shared by all actions of one apply: how many jobs were queued, and which action queued which job. */
export interface RunMemory {
  jobsQueued: number;
  jobs: Map<string, string>;
}

export class JobFailed extends PilotError {
  constructor(readonly jobId: string, message: string, readonly lastLines: string[]) {
    super('stalled', 'waypoint.job-failed', message);
  }
}

export interface ActionOutput {
  jobId?: string;
  urls?: JobResult['urls'];
}

type OnJob = (jobId: string, event: JobProgress) => void;

const now = () => new Date().toISOString();

export async function runAction(action: Action, context: ApplyContext, memory: RunMemory, onJob: OnJob, signal?: AbortSignal): Promise<ActionOutput> {
  const { waypoint, store } = context;
  const name = action.name ?? '';
  // On a store several daemons share: only while this one still leads does it act on the world.
  await store.assertLeading?.();
  switch (action.kind) {
    case 'ensure-project':
      await waypoint.ensureProject(action.project);
      return {};
    case 'ensure-app': {
      await waypoint.ensureApp(action.project, name);
      const app = context.targets.apps[appKey(action.project, name)]!.app;
      await store.addToInventory({ kind: 'app', project: action.project, name, provider: app.provider, region: app.region });
      return {};
    }
    case 'set-config': {
      const target = context.targets.apps[appKey(action.project, name)]!;
      if (action.names?.length) await waypoint.setConfig(action.project, name, await context.configValues(target, action.names));
      if (action.unset?.length) await waypoint.deleteConfig(action.project, name, action.unset);
      return {};
    }
    case 'deploy':
    case 'attach':
      return deploy(action, context, memory, onJob, signal);
    case 'destroy-app':
      return destroy(action, context, memory, onJob, signal);
    case 'provision-stack':
      if (!context.stacks) throw new PilotError('stalled', 'plan.unsupported', `${action.target}: no cloud driver is enabled`);
      await context.stacks.apply(action.id);
      return {};
    case 'destroy-database':
      // Its stack, applied first, deleted it.
      await store.removeFromInventory('database', action.project, name);
      return {};
    default:
      throw new PilotError('stalled', 'plan.unsupported', `${action.kind} cannot run yet`);
  }
}

/** How a job ended, as its record takes it. */
function ended(result: JobResult): JobUpdate {
  return { state: result.state, urls: result.urls, ...(result.error ? { error: result.error } : {}), finishedAt: now() };
}

async function follow(jobId: string, action: Action, context: ApplyContext, onJob: OnJob, signal?: AbortSignal): Promise<JobResult> {
  const result = await context.waypoint.watch(jobId, (event) => onJob(jobId, event), signal);
  await context.store.updateJob(jobId, ended(result));
  if (result.state === 'error') throw new JobFailed(jobId, result.error ?? `job ${jobId} for ${action.target} failed`, result.lastLines);
  return result;
}

async function deploy(action: Action, context: ApplyContext, memory: RunMemory, onJob: OnJob, signal?: AbortSignal): Promise<ActionOutput> {
  const { waypoint, store } = context;
  const name = action.name!;
  const target = context.targets.apps[appKey(action.project, name)]!;
  const configHash = action.configHash!;
  const commit = action.commit!;
  const waypointHcl = context.render(target.app, commit);
  let jobId = memory.jobs.get(action.id);
  if (!jobId) {
    // A job queued by a run that died stays in Waypoint: follow it rather than queue again.
    const running = action.jobId ? { jobId: action.jobId, configHash, commit } : await waypoint.inFlight(action.project, name);
    if (running && running.configHash === configHash && running.commit === commit) {
      jobId = running.jobId;
    } else {
      // Waypoint does not serialize `up` jobs of one app: Pilot waits for the older one, and records its end if a stopped run left it open.
      const older = running ? await waypoint.watch(running.jobId, () => {}, signal).catch(() => undefined) : undefined;
      if (running && older && (await store.openJobs()).some((j) => j.jobId === running.jobId)) await store.updateJob(running.jobId, ended(older));
      const intent = globalThis.crypto.randomUUID();
      const provisional = `intent:${intent}`;
      await store.recordJob({ jobId: provisional, runId: context.runId, project: action.project, app: name, kind: 'up', configHash, commit, state: 'queueing', queuedAt: now() });
      try {
        jobId = await waypoint.queueJob({
          operation: 'up',
          project: action.project,
          app: name,
          intent,
          waypointHcl,
          source: { repo: target.app.source.repo, commit },
          revision: context.plan.revision,
          configHash,
        });
      } catch (error) {
        // Refused for good: nothing was queued. A transient failure may have reached the
        // server, so the intent stays for the next run to look for.
        if (!(error instanceof PilotError) || error.kind !== 'transient') await store.resolveIntent(provisional, undefined);
        throw error;
      }
      await store.resolveIntent(provisional, jobId);
      memory.jobsQueued += 1;
    }
    memory.jobs.set(action.id, jobId);
    // Recorded whether queued now or adopted: a job a killed run never recorded is recorded here.
    await store.recordJob({ jobId, runId: context.runId, project: action.project, app: name, kind: 'up', configHash, commit, state: 'queued', queuedAt: now() });
  }
  await store.addToInventory({ kind: 'app', project: action.project, name, provider: target.app.provider, region: target.app.region });
  const result = await follow(jobId, action, context, onJob, signal);
  await store.recordApplied({
    project: action.project, app: name, jobId, configHash, commit, state: 'success', spec: target.spec,
    waypointHcl, revision: context.plan.revision, at: now(),
  });
  return { jobId, urls: result.urls };
}

async function destroy(action: Action, context: ApplyContext, memory: RunMemory, onJob: OnJob, signal?: AbortSignal): Promise<ActionOutput> {
  const { waypoint, store } = context;
  const name = action.name!;
  const last = await store.lastApplied(action.project, name);
  let jobId = memory.jobs.get(action.id);
  if (!jobId && last?.waypointHcl) {
    jobId = await waypoint.queueJob({
      operation: 'destroy', project: action.project, app: name, waypointHcl: last.waypointHcl, revision: context.plan.revision,
      source: { repo: String(last.spec.repo ?? ''), commit: last.commit },
    });
    memory.jobsQueued += 1;
    memory.jobs.set(action.id, jobId);
    await store.recordJob({ jobId, runId: context.runId, project: action.project, app: name, kind: 'destroy', configHash: last.configHash, commit: last.commit, state: 'queued', queuedAt: now() });
  }
  if (jobId) await follow(jobId, action, context, onJob, signal);
  await store.removeFromInventory('app', action.project, name);
  return jobId ? { jobId } : {};
}
