// The reconciler's part of the SQLite store: runs, jobs, what was applied, the
// inventory and release pins, each a prepared statement on the store's connection.

import type Database from 'better-sqlite3';
import type { DeployRecord, InventoryItem } from '../reconciler/actual-state.js';
import type { AppliedRecord, AppRecords, JobRecord, JobUpdate, ReconcileStore, ReleasePin, RunOutcome } from '../reconciler/store-port.js';
import { withFullSync } from './open-database.js';
import { appliedFromRow, appliedToRow, inventoryFromRow, inventoryToRow, jobFromRow, jobToRow, lastDeploymentOf, toJson } from './rows.js';
import type { Statements } from './statements.js';

export function createReconcileStore(db: Database.Database, s: Statements, timestamp: () => string, keepRuns: number): ReconcileStore {
  const prune = db.transaction((upTo: number) => {
    s.pruneActions.run(upTo);
    s.pruneJobs.run(upTo);
    s.pruneRuns.run(upTo);
  });
  return {

    async recordRevision(revision: string, outcome: 'valid' | 'invalid'): Promise<void> {
      s.recordRevision.run({ revision, outcome, at: timestamp() });
    },

    async startRun(revision: string, trigger: string): Promise<number> {
      const id = Number(s.startRun.run({ revision, trigger, at: timestamp() }).lastInsertRowid);
      if (id > keepRuns) prune(id - keepRuns);
      return id;
    },

    async finishRun(runId: number, outcome: RunOutcome, summary: unknown): Promise<void> {
      const { changes } = s.finishRun.run({ id: runId, outcome, summary: toJson(summary), at: timestamp() });
      if (changes === 0) throw new Error(`state.db has no run ${runId} to finish`);
    },

    async recordAction(runId: number, action: { id: string; status: string; reason: string; error?: string }): Promise<void> {
      s.recordAction.run({
        run_id: runId,
        action_id: action.id,
        status: action.status,
        reason: action.reason,
        error: action.error ?? null,
        at: timestamp(),
      });
    },

    // The only record of a queued job until it ends: losing it to a crash of the
    // machine would leave a deployment that no restart re-attaches to.
    async recordJob(job: JobRecord): Promise<void> {
      withFullSync(db, () => s.recordJob.run(jobToRow(job)));
    },

    async updateJob(jobId: string, update: JobUpdate): Promise<void> {
      const { changes } = s.updateJob.run({
        job_id: jobId,
        state: update.state ?? null,
        urls: update.urls === undefined ? null : toJson(update.urls),
        error: update.error ?? null,
        finished_at: update.finishedAt ?? null,
      });
      if (changes === 0) throw new Error(`state.db has no job ${jobId} to update; recordJob must come first`);
    },

    async openJobs(): Promise<JobRecord[]> {
      return s.openJobs.all().map(jobFromRow);
    },

    async queueIntents(): Promise<JobRecord[]> {
      return s.queueIntents.all().map(jobFromRow);
    },

    async resolveIntent(provisionalId: string, jobId: string | undefined): Promise<void> {
      withFullSync(db, () => {
        if (jobId) s.resolveIntent.run(jobId, provisionalId);
        s.dropIntent.run(provisionalId);
      });
    },

    async recordApplied(record: AppliedRecord): Promise<void> {
      s.recordApplied.run(appliedToRow(record));
    },

    async lastApplied(project: string, app: string): Promise<AppliedRecord | undefined> {
      const row = s.lastApplied.get(project, app);
      return row === undefined ? undefined : appliedFromRow(row);
    },

    async lastDeployment(project: string, app: string): Promise<DeployRecord | undefined> {
      return lastDeploymentOf(s.lastFinishedUp.get(project, app), s.lastApplied.get(project, app));
    },

    async appRecords(projects?: readonly string[]): Promise<Map<string, AppRecords>> {
      const filter = projects ? JSON.stringify(projects) : null;
      const jobs = new Map(s.lastFinishedUpIn.all(filter, filter).map((job) => [`${job.project}/${job.app}`, job]));
      const records = new Map<string, AppRecords>();
      for (const row of s.appliedIn.all(filter, filter)) {
        const key = `${row.project}/${row.app}`;
        records.set(key, { applied: appliedFromRow(row), deployed: lastDeploymentOf(jobs.get(key), row)! });
        jobs.delete(key);
      }
      for (const [key, job] of jobs) records.set(key, { deployed: lastDeploymentOf(job, undefined)! });
      return records;
    },

    async inventory(): Promise<InventoryItem[]> {
      return s.inventory.all().map(inventoryFromRow);
    },

    async addToInventory(item: InventoryItem): Promise<void> {
      s.addToInventory.run({ ...inventoryToRow(item), at: timestamp() });
    },

    async removeFromInventory(kind: InventoryItem['kind'], project: string, name: string): Promise<void> {
      s.removeFromInventory.run(kind, project, name);
    },

    async pinRelease(pin: Omit<ReleasePin, 'at'>): Promise<void> {
      s.pinRelease.run({
        project: pin.project, app: pin.app, tag: pin.tag, tracked_ref: pin.trackedRef, base_commit: pin.baseCommit, at: timestamp(),
      });
    },

    async releasePins(): Promise<ReleasePin[]> {
      return s.releasePins.all().map((row) => ({
        project: row.project, app: row.app, tag: row.tag, trackedRef: row.tracked_ref, baseCommit: row.base_commit, at: row.at,
      }));
    },

    async unpinRelease(project: string, app: string): Promise<void> {
      s.unpinRelease.run(project, app);
    },
  };
}
