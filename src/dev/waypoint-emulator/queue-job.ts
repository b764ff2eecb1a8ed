// QueueJob: the real server's checks in its order and with its codes, then the job is stored.

import { hasViolations, rpcError, status, violationText, type Violations } from './errors.js';
import { addJob, replaceSingleton } from './jobs.js';
import { projectKey, type EmulatorState } from './state.js';
import { parseGoDuration, timestamp } from './time.js';
import type { Job } from './types.js';
import { ulid } from './ulid.js';
import { dataSourceViolations } from './validate.js';

/** ValidateJob (ozzo rules); QueueJob wraps the INVALID_ARGUMENT it returns into FAILED_PRECONDITION. */
function jobViolations(job: Job): Violations {
  const problems: Violations = {};
  if (job.id !== '') problems.id = 'must be empty';
  if (!job.application) problems.application = 'cannot be blank';
  if (!job.workspace) problems.workspace = 'cannot be blank';
  else if (job.workspace.workspace === '') problems.workspace = { workspace: 'cannot be blank' };
  // A Ref.Runner with no target set cannot be indexed by the real server either.
  if (!job.target_runner?.target) problems.target_runner = 'cannot be blank';
  if (job.data_source) {
    const source = dataSourceViolations(job.data_source);
    if (hasViolations(source)) problems.data_source = source;
  }
  return problems;
}

/** Problems found while creating the job: code kept, message replaced (hcerr.Externalize). */
const createFailed = 'failed to create job(s)';

/** User-facing problems while preparing the job: Externalize keeps their text after its own. */
function prepareFailed(code: status, userMessage: string) {
  return rpcError(code, `failed to create job to queue\n${userMessage}`);
}

function checkDependencies(state: EmulatorState, job: Job): void {
  job.depends_on = [...new Set(job.depends_on)];
  for (const id of job.depends_on) {
    if (id === '') throw rpcError(status.FAILED_PRECONDITION, createFailed);
    // A trimmed job is still on the real server's disk, where this is looked up (boltdbstate/job.go 1401).
    if (!state.jobs.has(id) && !state.trimmedJobIds.has(id)) throw rpcError(status.NOT_FOUND, createFailed);
  }
  if (job.depends_on_allow_failure.some((id) => !job.depends_on.includes(id))) throw rpcError(status.FAILED_PRECONDITION, createFailed);
}

/** Checks a job and stores it as QUEUED; used by QueueJob and by the server's own init jobs. */
export function queueJob(state: EmulatorState, request: { job: Job | null; expires_in: string }): { job_id: string } {
  const job = request.job;
  if (!job) throw rpcError(status.FAILED_PRECONDITION, 'job must be set');
  if (!job.operation) throw rpcError(status.UNIMPLEMENTED, 'operation is nil or unknown');
  const problems = jobViolations(job);
  if (hasViolations(problems)) {
    throw rpcError(status.FAILED_PRECONDITION, `rpc error: code = InvalidArgument desc = ${violationText(problems)}`);
  }
  const projectName = job.application!.project;
  const project = state.projects.get(projectKey(projectName))?.project;
  if (!project) {
    throw prepareFailed(
      status.NOT_FOUND,
      `Project ${JSON.stringify(projectName)} was not found! Please ensure that 'waypoint init' was run with this project.`,
    );
  }
  if (!job.data_source) {
    if (!project.data_source) {
      throw prepareFailed(
        status.FAILED_PRECONDITION,
        `Project ${projectName} does not have a data source configured. Remote jobs require a data source such as Git to be configured with the project. Data sources can be configured via the CLI or UI. For help, see : https://www.waypointproject.io/docs/projects/git#configuring-the-project`,
      );
    }
    job.data_source = structuredClone(project.data_source);
  }
  job.id = ulid();
  // expires_in becomes expire_time (pkg/server/singleprocess/service_job.go 193-202); jobs.ts expires it.
  job.expire_time = null;
  if (request.expires_in !== '') {
    const parsed = parseGoDuration(request.expires_in);
    if ('error' in parsed) {
      throw prepareFailed(
        status.FAILED_PRECONDITION,
        `Invalid job expiry duration ${JSON.stringify(request.expires_in)}: ${JSON.stringify(parsed.error)}`,
      );
    }
    job.expire_time = timestamp(Date.now() + parsed.ms);
  }
  checkDependencies(state, job);
  // Server-owned fields start clean whatever the client sent.
  Object.assign(job, { assigned_runner: null, assign_time: null, ack_time: null, complete_time: null, cancel_time: null });
  Object.assign(job, { error: null, result: null, data_source_ref: null, config: null });
  addJob(state, job, replaceSingleton(state, job.singleton_id, job.id));
  return { job_id: job.id };
}
