// Operation records (builds, artifacts, deployments, releases, status reports) and the
// RPCs that read them: ListDeployments, GetLatestRelease, GetLatestStatusReport.

import { invalidRequest, rpcError, status } from './errors.js';
import type { EmulatorState } from './state.js';
import { timestamp, timestampMs } from './time.js';
import type { AppRef, Job, RpcStatus, Timestamp } from './types.js';
import { ulid } from './ulid.js';

type StatusState = 'UNKNOWN' | 'RUNNING' | 'SUCCESS' | 'ERROR';

export interface OperationRecord {
  id: string;
  application: AppRef;
  workspace: { workspace: string };
  sequence: string;
  status: { state: StatusState; details: string; error: RpcStatus | null; start_time: Timestamp; complete_time: Timestamp | null };
  labels: Record<string, string>;
  job_id: string;
  state?: 'UNKNOWN' | 'PENDING' | 'CREATED' | 'DESTROYED';
  [field: string]: unknown;
}

export type RecordKind = 'build' | 'artifact' | 'deployment' | 'release' | 'status_report';

export interface RecordStore {
  byKind: Map<RecordKind, OperationRecord[]>;
  sequences: Map<string, number>;
}

export function createRecordStore(): RecordStore {
  return { byKind: new Map(), sequences: new Map() };
}

function matchesApp(record: OperationRecord, app: AppRef): boolean {
  return (
    record.application.project.toLowerCase() === app.project.toLowerCase() &&
    record.application.application.toLowerCase() === app.application.toLowerCase()
  );
}

/** `waypoint destroy` of a workspace: every deployment and release of the app is torn down. */
export function destroyAppRecords(state: EmulatorState, job: Job): number {
  let count = 0;
  for (const kind of ['deployment', 'release'] as const) {
    for (const record of state.records.byKind.get(kind) ?? []) {
      if (!matchesApp(record, job.application!) || record.workspace.workspace !== job.workspace!.workspace || record.state === 'DESTROYED') continue;
      record.state = 'DESTROYED';
      count += 1;
    }
  }
  return count;
}

/** A new record for the job's app and workspace, RUNNING, with the next sequence number. */
export function startRecord(state: EmulatorState, kind: RecordKind, job: Job, fields: Record<string, unknown>): OperationRecord {
  const application = { project: job.application!.project, application: job.application!.application };
  const workspace = { workspace: job.workspace!.workspace };
  const key = `${kind}/${workspace.workspace}/${application.project}/${application.application}`.toLowerCase();
  const sequence = (state.records.sequences.get(key) ?? 0) + 1;
  state.records.sequences.set(key, sequence);
  const record: OperationRecord = {
    id: ulid(),
    application,
    workspace,
    sequence: String(sequence),
    status: { state: 'RUNNING', details: '', error: null, start_time: timestamp(), complete_time: null },
    labels: { ...job.labels },
    job_id: job.id,
    ...fields,
  };
  const list = state.records.byKind.get(kind) ?? [];
  list.push(record);
  state.records.byKind.set(kind, list);
  return record;
}

export function finishRecord(record: OperationRecord, error?: RpcStatus): OperationRecord {
  record.status = { ...record.status, state: error ? 'ERROR' : 'SUCCESS', error: error ?? null, complete_time: timestamp() };
  if (record.state !== undefined) record.state = error ? 'PENDING' : 'CREATED';
  return record;
}

function newestFirst(records: OperationRecord[], by: 'start' | 'complete'): OperationRecord[] {
  const time = (r: OperationRecord) => timestampMs(by === 'start' ? r.status.start_time : r.status.complete_time);
  return [...records].sort((a, b) => time(b) - time(a) || Number(b.sequence) - Number(a.sequence));
}

interface StatusFilter {
  filters: { state?: StatusState }[];
}

/** Groups are OR-ed, the filters inside one group AND-ed (statusFilterMatch). */
function statusMatches(groups: StatusFilter[], record: OperationRecord): boolean {
  return groups.some((group) => group.filters.every((filter) => filter.state === undefined || filter.state === record.status.state));
}

export function listDeployments(
  state: EmulatorState,
  request: {
    application: AppRef | null;
    workspace: { workspace: string } | null;
    status: StatusFilter[];
    physical_state: string;
    order: { order: string; desc: boolean; limit: number } | null;
  },
) {
  const app = request.application;
  if (!app) throw rpcError(status.INVALID_ARGUMENT, 'must provide an Application.Ref to List');
  const by = request.order?.order === 'COMPLETE_TIME' ? 'complete' : 'start';
  // The real server walks its time index newest first whatever `desc` says.
  const found = newestFirst(state.records.byKind.get('deployment') ?? [], by).filter(
    (record) =>
      matchesApp(record, app) &&
      (!request.workspace || record.workspace.workspace === request.workspace.workspace) &&
      (request.physical_state === 'UNKNOWN' || record.state === request.physical_state) &&
      (request.status.length === 0 || statusMatches(request.status, record)),
  );
  const limit = request.order?.limit ?? 0;
  return { deployments: limit > 0 ? found.slice(0, limit) : found };
}

/** LatestFilter: the newest successful record by completion time that passes `filter`. */
function latest(
  state: EmulatorState,
  kind: RecordKind,
  request: { application: AppRef; workspace: { workspace: string } | null },
  message: string,
  filter = (_: OperationRecord) => true,
) {
  const { application: app, workspace } = request;
  const found = newestFirst(state.records.byKind.get(kind) ?? [], 'complete').find(
    (record) =>
      matchesApp(record, app) &&
      (!workspace || record.workspace.workspace === workspace.workspace) &&
      record.status.state === 'SUCCESS' &&
      filter(record),
  );
  // The state layer's "No application named … is available" is replaced by Externalize.
  if (found) return found;
  throw rpcError(status.NOT_FOUND, message);
}

export function getLatestRelease(state: EmulatorState, request: { application: AppRef | null; workspace: { workspace: string } | null }) {
  if (!request.application) throw invalidRequest({ application: 'cannot be blank' });
  return latest(state, 'release', { application: request.application, workspace: request.workspace }, 'error getting latest release');
}

export function getLatestStatusReport(
  state: EmulatorState,
  request: { application: AppRef | null; workspace: { workspace: string } | null; target?: string; deployment_id?: string; release_id?: string },
) {
  if (!request.application) throw invalidRequest({ application: 'cannot be blank' });
  const filter = (report: OperationRecord) => {
    switch (request.target) {
      case 'deployment_any':
        return report.target_id === 'deployment_id';
      case 'release_any':
        return report.target_id === 'release_id';
      case 'deployment_id':
        return report.deployment_id === request.deployment_id;
      case 'release_id':
        return report.release_id === request.release_id;
      default:
        return true;
    }
  };
  const where = { application: request.application, workspace: request.workspace };
  return latest(state, 'status_report', where, 'error retrieving latest status reports', filter);
}
