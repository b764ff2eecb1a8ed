// The StateStore on an embedded SQLite file: one VM, one daemon (see design.md,
// "Scale and high availability", for the PostgreSQL store that replaces it past that).

import type Database from 'better-sqlite3';
import type { DeployRecord, InventoryItem } from '../reconciler/actual-state.js';
import type { AppliedRecord, JobRecord, ReleasePin, RunOutcome, RunRecord, StateStore } from '../reconciler/ports.js';
import { migrate } from './migrations.js';
import { openDatabase, withFullSync } from './open-database.js';
import {
  appliedFromRow,
  appliedToRow,
  inventoryFromRow,
  inventoryToRow,
  jobFromRow,
  jobToRow,
  runFromRow,
  toJson,
} from './rows.js';
import { prepareStatements, type Statements } from './statements.js';

export interface SqliteStore extends StateStore {
  /** The database file (or ':memory:'). */
  readonly file: string;
}

export interface SqliteStoreOptions {
  /** The clock for the timestamps the store writes itself; tests pass a fixed one. */
  now?: () => Date;
  /** How many of the newest runs (with their actions and finished jobs) to keep. */
  keepRuns?: number;
}

/** A daemon polling every minute keeps weeks of history with this many; state.db stays small. */
export const runsKept = 2_000;

export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  const now = options.now ?? (() => new Date());
  const db = openDatabase(file);
  let statements: Statements;
  try {
    migrate(db, now);
    statements = prepareStatements(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return createStore(file, db, statements, () => now().toISOString(), options.keepRuns ?? runsKept);
}

function createStore(file: string, db: Database.Database, s: Statements, timestamp: () => string, keepRuns: number): SqliteStore {
  const prune = db.transaction((upTo: number) => {
    s.pruneActions.run(upTo);
    s.pruneJobs.run(upTo);
    s.pruneRuns.run(upTo);
  });
  return {
    file,

    recordRevision(revision: string, outcome: 'valid' | 'invalid'): void {
      s.recordRevision.run({ revision, outcome, at: timestamp() });
    },

    startRun(revision: string, trigger: string): number {
      const id = Number(s.startRun.run({ revision, trigger, at: timestamp() }).lastInsertRowid);
      if (id > keepRuns) prune(id - keepRuns);
      return id;
    },

    finishRun(runId: number, outcome: RunOutcome, summary: unknown): void {
      const { changes } = s.finishRun.run({ id: runId, outcome, summary: toJson(summary), at: timestamp() });
      if (changes === 0) throw new Error(`state.db has no run ${runId} to finish`);
    },

    recordAction(runId: number, action: { id: string; status: string; reason: string; error?: string }): void {
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
    recordJob(job: JobRecord): void {
      withFullSync(db, () => s.recordJob.run(jobToRow(job)));
    },

    updateJob(jobId: string, update: Partial<Pick<JobRecord, 'state' | 'urls' | 'error' | 'finishedAt'>>): void {
      const { changes } = s.updateJob.run({
        job_id: jobId,
        state: update.state ?? null,
        urls: update.urls === undefined ? null : toJson(update.urls),
        error: update.error ?? null,
        finished_at: update.finishedAt ?? null,
      });
      if (changes === 0) throw new Error(`state.db has no job ${jobId} to update; recordJob must come first`);
    },

    openJobs(): JobRecord[] {
      return s.openJobs.all().map(jobFromRow);
    },

    queueIntents(): JobRecord[] {
      return s.queueIntents.all().map(jobFromRow);
    },

    resolveIntent(provisionalId: string, jobId: string | undefined): void {
      withFullSync(db, () => {
        if (jobId) s.resolveIntent.run(jobId, provisionalId);
        s.dropIntent.run(provisionalId);
      });
    },

    recordApplied(record: AppliedRecord): void {
      s.recordApplied.run(appliedToRow(record));
    },

    lastApplied(project: string, app: string): AppliedRecord | undefined {
      const row = s.lastApplied.get(project, app);
      return row === undefined ? undefined : appliedFromRow(row);
    },

    lastDeployment(project: string, app: string): DeployRecord | undefined {
      const job = s.lastFinishedUp.get(project, app);
      const applied = s.lastApplied.get(project, app);
      // Finished jobs are pruned with old runs; what was last applied stays.
      if (job && (!applied || (job.finished_at ?? '') >= applied.at)) {
        return { jobId: job.job_id, configHash: job.config_hash, commit: job.commit, state: job.state as DeployRecord['state'] };
      }
      return applied ? { jobId: applied.job_id, configHash: applied.config_hash, commit: applied.commit, state: applied.state as DeployRecord['state'] } : undefined;
    },

    inventory(): InventoryItem[] {
      return s.inventory.all().map(inventoryFromRow);
    },

    addToInventory(item: InventoryItem): void {
      s.addToInventory.run({ ...inventoryToRow(item), at: timestamp() });
    },

    removeFromInventory(kind: InventoryItem['kind'], project: string, name: string): void {
      s.removeFromInventory.run(kind, project, name);
    },

    pinRelease(pin: Omit<ReleasePin, 'at'>): void {
      s.pinRelease.run({
        project: pin.project, app: pin.app, tag: pin.tag, tracked_ref: pin.trackedRef, base_commit: pin.baseCommit, at: timestamp(),
      });
    },

    releasePins(): ReleasePin[] {
      return s.releasePins.all().map((row) => ({
        project: row.project, app: row.app, tag: row.tag, trackedRef: row.tracked_ref, baseCommit: row.base_commit, at: row.at,
      }));
    },

    unpinRelease(project: string, app: string): void {
      s.unpinRelease.run(project, app);
    },

    lastRuns(limit: number): RunRecord[] {
      return s.lastRuns.all(checkLimit(limit)).map(runFromRow);
    },

    recentJobs(limit: number): JobRecord[] {
      return s.recentJobs.all(checkLimit(limit)).map(jobFromRow);
    },

    close(): void {
      db.close();
    },
  };
}

/** SQLite reads a negative LIMIT as "no limit"; a caller asking for one has a bug. */
function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  return limit;
}
