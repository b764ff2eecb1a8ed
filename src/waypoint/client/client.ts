// Pilot's Waypoint client: verbs in Pilot's words over the gRPC API of Waypoint v0.11.

import { PilotError } from '../../reconciler/errors.js';
import type { WaypointJob } from '../../reconciler/ports.js';
import { createCaller, type Caller } from './call.js';
import { deleteAppConfig, getAppConfig, getProjectConfig, setAppConfig, type ConfigValue } from './config.js';
import { openChannel, type ConnectionOptions } from './connection.js';
import { toDeploymentInfo } from './convert.js';
import { grpcCode } from './errors.js';
import { cancelJob, getJob, listJobs, queueJob, streamJob, type JobFilter, type StreamOptions } from './jobs.js';
import type { DeploymentMessage } from './messages.js';
import type { GitAuth } from './queue-request.js';
import type { DeploymentInfo, JobEvent, JobInfo, ProjectInfo, ReleaseInfo, StatusReportInfo, VersionInfo } from './types.js';
import { status } from '@grpc/grpc-js';

async function orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (grpcCode(error) === status.NOT_FOUND) return undefined;
    throw error;
  }
}

const app = (project: string, name: string) => ({ application: { project, application: name }, workspace: { workspace: 'default' } });

export class WaypointClient {
  private constructor(private readonly rpc: Caller) {}

  static async connect(options: ConnectionOptions): Promise<WaypointClient> {
    const { stub, address } = await openChannel(options);
    return new WaypointClient(createCaller(stub, address, options.token, options.deadlineMs ?? 30_000));
  }

  get address(): string {
    return this.rpc.address;
  }

  close(): void {
    this.rpc.close();
  }

  async versionInfo(): Promise<VersionInfo> {
    const r = await this.rpc.unary<{ info: { version: string; api: { current: number; minimum: number } } | null }>('GetVersionInfo', {});
    return { version: r.info?.version ?? '', api: { current: r.info?.api.current ?? 0, minimum: r.info?.api.minimum ?? 0 } };
  }

  async bootstrapToken(): Promise<string> {
    return (await this.rpc.unary<{ token: string }>('BootstrapToken', {})).token;
  }

  async getProject(name: string): Promise<ProjectInfo | undefined> {
    type Response = { project: { name: string; applications: { name: string }[]; waypoint_hcl: Buffer; data_source: { git?: { url: string } | null } | null } | null };
    const r = await orUndefined(this.rpc.unary<Response>('GetProject', { project: { project: name } }));
    if (!r?.project) return undefined;
    const info: ProjectInfo = { name: r.project.name, applications: r.project.applications.map((a) => a.name).sort() };
    if (r.project.waypoint_hcl.length > 0) info.waypointHcl = r.project.waypoint_hcl.toString('utf8');
    if (r.project.data_source?.git?.url) info.gitUrl = r.project.data_source.git.url;
    return info;
  }

  async listProjects(): Promise<string[]> {
    const r = await this.rpc.unary<{ projects: { project: string }[] }>('ListProjects', {});
    return r.projects.map((p) => p.project).sort();
  }

  /** Creates the project if missing. Pilot's jobs carry their own data source, so the record stays minimal. */
  async ensureProject(name: string): Promise<'created' | 'unchanged'> {
    const existing = await this.getProject(name);
    if (existing) return 'unchanged';
    await this.rpc.unary('UpsertProject', { project: { name, remote_enabled: true } });
    return 'created';
  }

  async ensureApp(project: string, name: string): Promise<'created' | 'unchanged'> {
    const existing = await this.getProject(project);
    if (!existing) throw new PilotError('stalled', 'waypoint.not-found', `project ${project} does not exist in Waypoint: ensure the project first`);
    if (existing.applications.includes(name)) return 'unchanged';
    await this.rpc.unary('UpsertApplication', { project: { project }, name });
    return 'created';
  }

  queueJob(job: WaypointJob, auth?: GitAuth): Promise<string> {
    return queueJob(this.rpc, job, auth);
  }

  getJob(id: string): Promise<JobInfo> {
    return getJob(this.rpc, id);
  }

  listJobs(filter: JobFilter): Promise<JobInfo[]> {
    return listJobs(this.rpc, filter);
  }

  cancelJob(id: string, force = false): Promise<void> {
    return cancelJob(this.rpc, id, force);
  }

  /** Follows a job to its end, calling `onEvent` for each state change and log line. */
  streamJob(id: string, onEvent: (event: JobEvent) => void, options: StreamOptions = {}): Promise<JobInfo> {
    return streamJob(this.rpc, id, onEvent, options);
  }

  setAppConfig(project: string, name: string, values: Record<string, ConfigValue>): Promise<void> {
    return setAppConfig(this.rpc, project, name, values);
  }

  getAppConfig(project: string, name: string): Promise<Record<string, ConfigValue>> {
    return getAppConfig(this.rpc, project, name);
  }

  /** Each app's own config values in the project, by app name, in one call. */
  getProjectConfig(project: string): Promise<Map<string, Record<string, ConfigValue>>> {
    return getProjectConfig(this.rpc, project);
  }

  deleteAppConfig(project: string, name: string, names: readonly string[]): Promise<void> {
    return deleteAppConfig(this.rpc, project, name, names);
  }

  async latestDeployment(project: string, name: string): Promise<DeploymentInfo | undefined> {
    const r = await this.rpc.unary<{ deployments: DeploymentMessage[] }>('ListDeployments', {
      ...app(project, name),
      order: { order: 'START_TIME', desc: true, limit: 1 },
    });
    const latest = r.deployments[0];
    return latest ? toDeploymentInfo(latest) : undefined;
  }

  async latestRelease(project: string, name: string): Promise<ReleaseInfo | undefined> {
    const r = await orUndefined(this.rpc.unary<{ id: string; url: string; deployment_id: string }>('GetLatestRelease', app(project, name)));
    if (!r) return undefined;
    return { id: r.id, deploymentId: r.deployment_id, ...(r.url ? { url: r.url } : {}) };
  }

  async latestStatusReport(project: string, name: string): Promise<StatusReportInfo | undefined> {
    type Response = { health: { health_status: string; health_message: string } | null };
    const r = await orUndefined(this.rpc.unary<Response>('GetLatestStatusReport', { ...app(project, name), any: {} }));
    return r ? { health: r.health?.health_status ?? 'UNKNOWN', message: r.health?.health_message ?? '' } : undefined;
  }

  /** The server's formatter; fails (stalled) when the text does not parse. */
  async formatHcl(text: string): Promise<string> {
    try {
      const r = await this.rpc.unary<{ waypoint_hcl: Buffer }>('WaypointHclFmt', { waypoint_hcl: Buffer.from(text, 'utf8') });
      return r.waypoint_hcl.toString('utf8');
    } catch (error) {
      // The server answers INTERNAL "failed to format waypoint hcl" for text that does not parse:
      // not a passing fault, so not worth a retry.
      if (grpcCode(error) !== status.INTERNAL) throw error;
      throw new PilotError('stalled', 'waypoint.hcl-invalid', 'WaypointHclFmt: Waypoint could not parse the waypoint.hcl (check it with an HCL parser for the position)', { cause: error });
    }
  }
}

