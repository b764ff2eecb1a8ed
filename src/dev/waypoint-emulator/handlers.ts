// The unary RPCs of server.proto, each a function of the emulator state and the request.

import { apiProtocol } from './auth.js';
import { deleteConfig, getConfig, setConfig } from './config-store.js';
import { rpcError, status } from './errors.js';
import { formatHcl, HclSyntaxError } from './hcl-fmt.js';
import { cancelJob, findJob } from './jobs.js';
import { listJobs } from './list-jobs.js';
import { getApplication, getProject, listProjects, projectNeedsInit, upsertApplication, upsertProject } from './projects.js';
import { queueJob } from './queue-job.js';
import { getLatestRelease, getLatestStatusReport, listDeployments } from './records.js';
import type { EmulatorState } from './state.js';
import type { Job, Project } from './types.js';

export type UnaryHandler = (state: EmulatorState, request: never) => unknown;

export const emulatorVersion = 'v0.11.4 (pilot emulator)';

/** The init jobs UpsertProject queues for a git project without polling, one per known workspace. */
function queueInitJobs(state: EmulatorState, project: Project): void {
  const workspaces = new Set([...state.jobs.values()].map((record) => record.job.workspace?.workspace ?? 'default'));
  if (workspaces.size === 0) workspaces.add('default');
  for (const workspace of workspaces) {
    const job: Partial<Job> = {
      id: '',
      singleton_id: '',
      depends_on: [],
      depends_on_allow_failure: [],
      labels: {},
      data_source_overrides: {},
      application: { project: project.name, application: '' },
      workspace: { workspace },
      target_runner: { target: 'any', any: {} },
      data_source: null,
      waypoint_hcl: null,
      operation: 'init',
    };
    queueJob(state, { job: job as Job, expires_in: '' });
  }
}

export const unaryHandlers: Record<string, UnaryHandler> = {
  GetVersionInfo: () => ({
    info: { api: { ...apiProtocol }, entrypoint: { current: 1, minimum: 1 }, version: emulatorVersion },
    server_features: { features: [] },
  }),
  BootstrapToken: (state) => ({ token: state.tokens.bootstrap() }),
  UpsertProject: async (state, request: { project: Project | null }) => {
    const response = await upsertProject(state, request);
    if (state.settings.initJobs && projectNeedsInit(response.project)) queueInitJobs(state, response.project);
    return response;
  },
  GetProject: getProject,
  ListProjects: listProjects,
  UpsertApplication: upsertApplication,
  GetApplication: getApplication,
  QueueJob: (state, request: Parameters<typeof queueJob>[1]) => {
    state.queuedJobs.push(structuredClone(request));
    return queueJob(state, request);
  },
  GetJob: (state, request: { job_id: string }) => findJob(state, request.job_id, 'job not found').job,
  ListJobs: listJobs,
  CancelJob: (state, request: { job_id: string; force: boolean }) => {
    cancelJob(state, findJob(state, request.job_id, 'error cancelling job'), request.force);
    return {};
  },
  SetConfig: (state, request: Parameters<typeof setConfig>[1]) => setConfig(state.config, request),
  GetConfig: (state, request: Parameters<typeof getConfig>[1]) => getConfig(state.config, request),
  DeleteConfig: (state, request: Parameters<typeof deleteConfig>[1]) => deleteConfig(state.config, request),
  ListDeployments: listDeployments,
  GetLatestRelease: getLatestRelease,
  GetLatestStatusReport: getLatestStatusReport,
  WaypointHclFmt: async (_state, request: { waypoint_hcl: Buffer }) => {
    // v0.11.4 passes the parser's diagnostics (not a gRPC status) through hcerr.Externalize:
    // the caller gets INTERNAL and a fixed message, without the position
    // (pkg/server/singleprocess/service_waypointhcl.go 16-23). hclsyntax refuses bytes that are not UTF-8.
    const refused = () => rpcError(status.INTERNAL, 'failed to format waypoint hcl');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(request.waypoint_hcl);
    } catch {
      throw refused();
    }
    try {
      return { waypoint_hcl: Buffer.from(await formatHcl(text, '<input>')) };
    } catch (error) {
      if (error instanceof HclSyntaxError) throw refused();
      throw error;
    }
  },
};
