// Rows as state.db holds them, and the records of the StateStore contract.
// JSON columns are text; absent values are NULL; booleans are 0 or 1.

import type { AppSpec, DeployRecord, InventoryItem } from '../reconciler/actual-state.js';
import type { AppliedRecord, DeployedApp, JobRecord, RunOutcome, RunRecord } from '../reconciler/store-port.js';

export interface RunRow {
  id: number;
  revision: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
  summary: string | null;
}

export function runFromRow(row: RunRow): RunRecord {
  const run: RunRecord = { id: row.id, revision: row.revision, trigger: row.trigger, startedAt: row.started_at };
  if (row.finished_at !== null) run.finishedAt = row.finished_at;
  if (row.outcome !== null) run.outcome = row.outcome as RunOutcome;
  if (row.summary !== null) run.summary = JSON.parse(row.summary) as unknown;
  return run;
}

export interface JobRow {
  job_id: string;
  run_id: number;
  project: string;
  app: string;
  kind: string;
  config_hash: string;
  commit: string;
  state: string;
  urls: string | null;
  error: string | null;
  queued_at: string;
  finished_at: string | null;
}

export function jobToRow(job: JobRecord): JobRow {
  return {
    job_id: job.jobId,
    run_id: job.runId,
    project: job.project,
    app: job.app,
    kind: job.kind,
    config_hash: job.configHash,
    commit: job.commit,
    state: job.state,
    urls: toJson(job.urls),
    error: job.error ?? null,
    queued_at: job.queuedAt,
    finished_at: job.finishedAt ?? null,
  };
}

export function jobFromRow(row: JobRow): JobRecord {
  const job: JobRecord = {
    jobId: row.job_id,
    runId: row.run_id,
    project: row.project,
    app: row.app,
    kind: row.kind as JobRecord['kind'],
    configHash: row.config_hash,
    commit: row.commit,
    state: row.state as JobRecord['state'],
    queuedAt: row.queued_at,
  };
  if (row.urls !== null) job.urls = JSON.parse(row.urls) as JobRecord['urls'];
  if (row.error !== null) job.error = row.error;
  if (row.finished_at !== null) job.finishedAt = row.finished_at;
  return job;
}

export interface AppliedRow {
  project: string;
  app: string;
  job_id: string;
  config_hash: string;
  commit: string;
  state: string;
  spec: string;
  waypoint_hcl: string | null;
  revision: string;
  at: string;
}

export function appliedToRow(record: AppliedRecord): AppliedRow {
  return {
    project: record.project,
    app: record.app,
    job_id: record.jobId,
    config_hash: record.configHash,
    commit: record.commit,
    state: record.state,
    spec: JSON.stringify(record.spec),
    waypoint_hcl: record.waypointHcl ?? null,
    revision: record.revision,
    at: record.at,
  };
}

export function appliedFromRow(row: AppliedRow): AppliedRecord {
  return {
    project: row.project,
    app: row.app,
    jobId: row.job_id,
    configHash: row.config_hash,
    commit: row.commit,
    state: row.state as AppliedRecord['state'],
    spec: JSON.parse(row.spec) as AppSpec,
    ...(row.waypoint_hcl === null ? {} : { waypointHcl: row.waypoint_hcl }),
    revision: row.revision,
    at: row.at,
  };
}

export interface InventoryRow {
  kind: string;
  project: string;
  name: string;
  provider: string;
  region: string;
  deletion_protection: number | null;
  declared: string | null;
}

export function inventoryToRow(item: InventoryItem): InventoryRow {
  return {
    kind: item.kind,
    project: item.project,
    name: item.name,
    provider: item.provider,
    region: item.region,
    deletion_protection: item.deletionProtection === undefined ? null : Number(item.deletionProtection),
    declared: item.declared === undefined ? null : JSON.stringify(item.declared),
  };
}

export function inventoryFromRow(row: InventoryRow): InventoryItem {
  const item: InventoryItem = {
    kind: row.kind as InventoryItem['kind'],
    project: row.project,
    name: row.name,
    provider: row.provider as InventoryItem['provider'],
    region: row.region,
  };
  if (row.deletion_protection !== null) item.deletionProtection = row.deletion_protection === 1;
  if (row.declared !== null) item.declared = JSON.parse(row.declared) as NonNullable<InventoryItem['declared']>;
  return item;
}

/** JSON text, or NULL for a value JSON cannot hold (undefined). */
export function toJson(value: unknown): string | null {
  return JSON.stringify(value) ?? null;
}

/** The newer of the app's last finished up job and what was last applied: finished jobs are pruned with old runs; what was last applied stays. */
export function lastDeploymentOf(job: JobRow | undefined, applied: AppliedRow | undefined): DeployRecord | undefined {
  if (job && (!applied || (job.finished_at ?? '') >= applied.at)) {
    return { jobId: job.job_id, configHash: job.config_hash, commit: job.commit, state: job.state as DeployRecord['state'] };
  }
  return applied ? { jobId: applied.job_id, configHash: applied.config_hash, commit: applied.commit, state: applied.state as DeployRecord['state'] } : undefined;
}

/**
 * An app as the status shows it: the newer of its last finished `up` job and what was
 * last applied (as lastDeploymentOf picks), with the URLs of its last success.
 */
export function deployedAppOf(project: string, app: string, job: JobRow | undefined, applied: AppliedRow | undefined, succeeded: JobRow | undefined): DeployedApp | undefined {
  const urls = succeeded ? jobFromRow(succeeded).urls : undefined;
  const where = { project, app, ...(urls ? { urls } : {}) };
  if (job && (!applied || (job.finished_at ?? '') >= applied.at)) {
    const { state, commit, error } = jobFromRow(job);
    return { ...where, state: state as DeployedApp['state'], commit, at: job.finished_at ?? job.queued_at, ...(error === undefined ? {} : { error }) };
  }
  return applied ? { ...where, state: applied.state as DeployedApp['state'], commit: applied.commit, at: applied.at } : undefined;
}

/** A negative or fractional limit is a caller's bug (SQLite would read a negative one as "no limit"). */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  return limit;
}
