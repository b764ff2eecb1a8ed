// ListJobs: the real server's exact-match filters, oldest job first.

import type { PaginationRequest } from './paging.js';
import { paginate } from './paging.js';
import type { EmulatorState } from './state.js';
import type { AppRef, Job, JobState } from './types.js';

interface ListJobsRequest {
  workspace: { workspace: string } | null;
  project: { project: string } | null;
  application: AppRef | null;
  targetRunner: { target?: string; id?: { id: string } | null } | null;
  jobState: JobState[];
  pagination: PaginationRequest | null;
}

function matches(job: Job, request: ListJobsRequest): boolean {
  const app = job.application;
  if (request.workspace && job.workspace?.workspace !== request.workspace.workspace) return false;
  if (request.project && app?.project !== request.project.project) return false;
  if (request.application) {
    if (app?.application !== request.application.application) return false;
    if (app.project !== '' && app.project !== request.application.project) return false;
  }
  if (request.jobState.length && !request.jobState.includes(job.state)) return false;
  const runner = request.targetRunner;
  if (runner?.target && job.target_runner?.target !== runner.target) return false;
  return true;
}

export function listJobs(state: EmulatorState, request: ListJobsRequest) {
  const jobs = [...state.jobs.values()]
    .map((record) => record.job)
    .filter((job) => matches(job, request))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const { items, pagination } = paginate(jobs, request.pagination);
  return { jobs: items, pagination };
}
