// The emulator's runner: takes an assigned job through ack, a real checkout of its git
// source and waypoint.hcl loading, then runs its operation (up, destroy, noop, or the
// server's init).

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { status } from './errors.js';
import { appNames, parseWaypointHcl, type HclParse } from './hcl-parse.js';
import { updateJob } from './jobs.js';
import { ensureApplication } from './projects.js';
import { pipelineOf } from './runner-pipeline.js';
import { download, refOf } from './runner-source.js';
import { fail, line, pause, say, succeed } from './runner-steps.js';
import { runUp } from './runner-up.js';
import type { Checkout } from './runner-workspace.js';
import { destroyAppRecords } from './records.js';
import { projectKey, type EmulatorState, type JobRecord } from './state.js';
import { timestamp } from './time.js';
import type { DataSourceRef, Job } from './types.js';

export const runnerId = '01J0000000EMV1AT0RRVNNER00';

const missingHcl =
  'A waypoint.hcl was not found. Please either add a waypoint.hcl to the project source or in the project settings in the Waypoint UI.';

type Config = { source: 'JOB' | 'SERVER' | 'FILE'; parsed: HclParse } | undefined;

/** Job.waypoint_hcl first, then the project's, then waypoint.hcl in the checkout (internal/runner/operation.go 71-88). */
async function loadConfig(state: EmulatorState, job: Job, dir: string | undefined): Promise<Config> {
  const inline = job.waypoint_hcl;
  if (inline && inline.contents.length > 0) {
    return { source: 'JOB', parsed: await parseWaypointHcl('waypoint.hcl', inline.contents, inline.format) };
  }
  const project = state.projects.get(projectKey(job.application!.project))?.project;
  if (project && project.waypoint_hcl.length > 0) {
    return { source: 'SERVER', parsed: await parseWaypointHcl('waypoint.hcl', project.waypoint_hcl, project.waypoint_hcl_format) };
  }
  const file = dir ? path.join(dir, 'waypoint.hcl') : undefined;
  if (file && existsSync(file)) return { source: 'FILE', parsed: await parseWaypointHcl('waypoint.hcl', await readFile(file), 'HCL') };
  return undefined;
}

/** The project remembers, per workspace, the last ref a runner downloaded. */
function rememberRef(state: EmulatorState, job: Job, ref: DataSourceRef): void {
  const record = state.projects.get(projectKey(job.application!.project));
  if (!record) return;
  const workspace = job.workspace!.workspace;
  record.workspaces.set(workspace.toLowerCase(), {
    project: { project: record.project.name },
    workspace: { workspace },
    data_source_ref: ref,
    active_time: timestamp(),
  });
}

/** Clones the job's source; undefined (the job failed) when it cannot. */
async function checkout(state: EmulatorState, record: JobRecord): Promise<Checkout | undefined> {
  const fetched = await download(record.job, state.runner.workDir, state.runner.env());
  if ('error' in fetched) {
    fail(state, record, fetched.code, fetched.error);
    return undefined;
  }
  say(record, line('Cloning data from Git', 'header'), line(`       URL: ${fetched.git.url}`, 'info'));
  if (fetched.git.ref) say(record, line(`       Ref: ${fetched.git.ref}`, 'info'));
  if ('code' in fetched.result) {
    fail(state, record, fetched.result.code, fetched.result.message);
    return undefined;
  }
  const done = fetched.result.checkout;
  say(record, line(`Git Commit: ${done.commit}`, 'info'), line(` Timestamp: ${done.timestamp.toISOString()}`, 'info'), line(`   Message: ${done.message}`, 'info'));
  const ref = refOf(done.commit, done.timestamp, done.message);
  updateJob(state, record, { data_source_ref: ref });
  rememberRef(state, record.job, ref);
  return done;
}

async function operate(state: EmulatorState, record: JobRecord, source: Checkout): Promise<void> {
  const job = record.job;
  const config = await loadConfig(state, job, source.dir);
  if (!config) return fail(state, record, status.FAILED_PRECONDITION, missingHcl);
  if (!config.parsed.ok) return fail(state, record, status.UNKNOWN, config.parsed.error);
  updateJob(state, record, { config: { source: config.source } });
  if (!(await pause(state, record))) return;

  const app = job.application!.application;
  if (job.operation === 'up') {
    if (!appNames(config.parsed.body).includes(app)) {
      return fail(state, record, status.NOT_FOUND, `Application ${JSON.stringify(app)} was not found in this project. Please ensure that you've created this project in the waypoint.hcl configuration.`);
    }
    const planned = pipelineOf(config.parsed.body, app);
    if ('problems' in planned) return fail(state, record, status.UNKNOWN, planned.problems.join('\n'));
    return runUp(state, record, { pipeline: planned.pipeline, checkout: source });
  }
  if (job.operation === 'destroy') {
    const count = destroyAppRecords(state, job);
    say(record, line(`Destroying ${app}: ${count} deployments and releases`, 'header'), line('Destroy complete', 'success'));
    return succeed(state, record, {});
  }
  if (job.operation === 'init') {
    const project = state.projects.get(projectKey(job.application!.project));
    for (const name of appNames(config.parsed.body)) {
      if (project) ensureApplication(project, name, '');
      say(record, line(`Registered application ${JSON.stringify(name)}`, 'success'));
    }
    return succeed(state, record, {});
  }
  succeed(state, record, null);
}

async function execute(state: EmulatorState, record: JobRecord): Promise<void> {
  updateJob(state, record, { state: 'WAITING', assign_time: timestamp(), assigned_runner: { id: runnerId } });
  if (!(await pause(state, record, Math.ceil(state.settings.stepMs() / 2)))) return;
  updateJob(state, record, { state: 'RUNNING', ack_time: timestamp() });
  const source = await checkout(state, record);
  if (!source) return;
  try {
    await operate(state, record, source);
  } finally {
    await source.remove();
  }
}

/** Starts the job in the background; an unexpected error fails the job, never the process. */
export function runJob(state: EmulatorState, record: JobRecord): void {
  execute(state, record).catch((error: unknown) => {
    fail(state, record, status.INTERNAL, `emulator runner error: ${(error as Error)?.message ?? String(error)}`);
  });
}
