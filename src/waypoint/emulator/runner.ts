// The simulated runner: takes an assigned job through ack, source download and
// waypoint.hcl loading, then runs its operation (up, noop, or the server's init).

import { status } from './errors.js';
import { appNames, parseWaypointHcl, type HclParse } from './hcl-parse.js';
import { updateJob } from './jobs.js';
import { ensureApplication } from './projects.js';
import { downloadRef } from './runner-source.js';
import { fail, line, pause, say, succeed } from './runner-steps.js';
import { runUp } from './runner-up.js';
import { destroyAppRecords } from './records.js';
import { projectKey, type EmulatorState, type JobRecord } from './state.js';
import { timestamp } from './time.js';
import type { DataSourceRef, Job } from './types.js';

export const runnerId = '01J0000000EMV1AT0RRVNNER00';

const missingHcl =
  'A waypoint.hcl was not found. Please either add a waypoint.hcl to the project source or in the project settings in the Waypoint UI.';

type Config = { source: 'JOB' | 'SERVER'; parsed: HclParse } | undefined;

/** Job.waypoint_hcl first, then the project's (no repository is cloned, so never FILE). */
async function loadConfig(state: EmulatorState, job: Job): Promise<Config> {
  const inline = job.waypoint_hcl;
  if (inline && inline.contents.length > 0) {
    return { source: 'JOB', parsed: await parseWaypointHcl('waypoint.hcl', inline.contents, inline.format) };
  }
  const project = state.projects.get(projectKey(job.application!.project))?.project;
  if (project && project.waypoint_hcl.length > 0) {
    return { source: 'SERVER', parsed: await parseWaypointHcl('waypoint.hcl', project.waypoint_hcl, project.waypoint_hcl_format) };
  }
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

async function execute(state: EmulatorState, record: JobRecord): Promise<void> {
  const job = record.job;
  updateJob(state, record, { state: 'WAITING', assign_time: timestamp(), assigned_runner: { id: runnerId } });
  if (!(await pause(state, record, Math.ceil(state.settings.stepMs() / 2)))) return;
  updateJob(state, record, { state: 'RUNNING', ack_time: timestamp() });

  const download = downloadRef(job);
  if ('error' in download) return fail(state, record, status.UNKNOWN, download.error);
  if (download.git) {
    say(record, line('Cloning data from Git', 'header'), line(`URL: ${download.git.url}`), line(`Ref: ${download.ref.git!.commit}`));
  }
  updateJob(state, record, { data_source_ref: download.ref });
  rememberRef(state, job, download.ref);

  const config = await loadConfig(state, job);
  if (!config) return fail(state, record, status.FAILED_PRECONDITION, missingHcl);
  if (!config.parsed.ok) return fail(state, record, status.UNKNOWN, config.parsed.error);
  updateJob(state, record, { config: { source: config.source } });
  if (!(await pause(state, record))) return;

  const commit = download.ref.git?.commit ?? 'unknown';
  if (job.operation === 'up') return runUp(state, record, config.parsed.body, commit);
  if (job.operation === 'destroy') {
    const count = destroyAppRecords(state, job);
    say(record, line(`Destroying ${job.application!.application}: ${count} deployments and releases`, 'header'), line('Destroy complete', 'success'));
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

/** Starts the job in the background; an unexpected error fails the job, never the process. */
export function runJob(state: EmulatorState, record: JobRecord): void {
  execute(state, record).catch((error: unknown) => {
    fail(state, record, status.INTERNAL, `emulator runner error: ${(error as Error)?.message ?? String(error)}`);
  });
}
