// Projects and applications: UpsertProject, GetProject, ListProjects,
// UpsertApplication, GetApplication.

import { hasViolations, invalidRequest, rpcError, status, type Violations } from './errors.js';
import { parseWaypointHcl } from './hcl-parse.js';
import { paginate, type PaginationRequest } from './paging.js';
import { projectKey, type EmulatorState, type ProjectRecord } from './state.js';
import { parseGoDuration } from './time.js';
import type { AppRef, Application, Project } from './types.js';
import { dataSourceViolations, nameProblem } from './validate.js';

/** The real limit is 5 * 1024 bytes, although its message says 5MB. */
export const projectHclMaxBytes = 5 * 1024;

async function projectViolations(project: Project): Promise<Violations> {
  const problems: Violations = {};
  const name = nameProblem(project.name);
  if (name) problems.name = name;
  if (project.waypoint_hcl.length > 0) {
    const parsed = await parseWaypointHcl('<waypoint-hcl>', project.waypoint_hcl, project.waypoint_hcl_format);
    if (!parsed.ok) problems.waypoint_hcl = parsed.error;
  }
  if (project.data_source) {
    const source = dataSourceViolations(project.data_source);
    if (hasViolations(source)) problems.data_source = source;
  }
  const interval = project.data_source_poll?.interval;
  if (interval) {
    const parsed = parseGoDuration(interval);
    if ('error' in parsed) problems.data_source_poll = { interval: parsed.error };
  }
  return problems;
}

// Errors from the real server's state layer pass through hcerr.Externalize, which keeps
// the code but replaces the message with a fixed one per RPC; these are those messages.
function findProject(state: EmulatorState, name: string, message: string): ProjectRecord {
  const record = state.projects.get(projectKey(name));
  if (!record) throw rpcError(status.NOT_FOUND, message);
  return record;
}

export async function upsertProject(state: EmulatorState, request: { project: Project | null }): Promise<{ project: Project }> {
  const project = request.project;
  if (!project) throw invalidRequest({ project: 'cannot be blank' });
  const problems = await projectViolations(project);
  if (hasViolations(problems)) throw invalidRequest({ project: problems });
  if (project.waypoint_hcl.length > projectHclMaxBytes) {
    // The state layer says "project 'waypoint_hcl' exceeds maximum size (5MB)"; Externalize hides it.
    throw rpcError(status.FAILED_PRECONDITION, 'failed to upsert project');
  }
  const key = projectKey(project.name);
  const previous = state.projects.get(key);
  // A full replace, except that an existing project keeps its applications.
  const stored: Project = { ...project, applications: previous?.project.applications ?? project.applications };
  state.projects.set(key, { project: stored, workspaces: previous?.workspaces ?? new Map() });
  return { project: stored };
}

/** The real server queues `init` jobs after such an upsert (projectNeedsRemoteInit). */
export function projectNeedsInit(project: Project): boolean {
  if (project.state !== 'ACTIVE' || project.data_source?.source !== 'git') return false;
  return !project.data_source_poll?.enabled;
}

export function getProject(state: EmulatorState, request: { project: { project: string } | null }) {
  if (!request.project) throw invalidRequest({ project: 'cannot be blank' });
  const record = findProject(state, request.project.project, 'failed to get project');
  return { project: record.project, workspaces: [...record.workspaces.values()] };
}

export function listProjects(state: EmulatorState, request: { pagination: PaginationRequest | null }) {
  const all = [...state.projects.keys()].sort().map((key) => ({ project: state.projects.get(key)!.project.name }));
  const { items, pagination } = paginate(all, request.pagination);
  return { projects: items, pagination, total_count: String(all.length) };
}

function findApp(record: ProjectRecord, name: string): Application | undefined {
  return record.project.applications.find((app) => app.name.toLowerCase() === name.toLowerCase());
}

/** Registers an app (idempotent: an existing one keeps its name, only the signal changes). */
export function ensureApplication(record: ProjectRecord, name: string, fileChangeSignal: string): Application {
  let app = findApp(record, name);
  if (!app) {
    app = { name, project: { project: record.project.name }, file_change_signal: '' };
    record.project.applications.push(app);
  }
  app.file_change_signal = fileChangeSignal;
  return app;
}

export function upsertApplication(
  state: EmulatorState,
  request: { project: { project: string } | null; name: string; file_change_signal: string },
) {
  const problems: Violations = {};
  if (!request.project) problems.project = 'cannot be blank';
  const name = nameProblem(request.name);
  if (name) problems.name = name;
  if (hasViolations(problems)) throw invalidRequest(problems);
  const record = findProject(state, request.project!.project, 'failed to get project in application upsert');
  return { application: ensureApplication(record, request.name, request.file_change_signal) };
}

export function getApplication(state: EmulatorState, request: { application: AppRef | null }) {
  if (!request.application) throw invalidRequest({ application: 'cannot be blank' });
  const record = findProject(state, request.application.project, 'failed to get application');
  const app = findApp(record, request.application.application);
  if (!app) throw rpcError(status.NOT_FOUND, 'failed to get application');
  return { application: app };
}
