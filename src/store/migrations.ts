// The schema of state.db as an ordered list of steps; step i brings the schema to
// version i + 1. Append new steps; never edit one that has shipped.

import type Database from 'better-sqlite3';
import { PilotError } from '../reconciler/errors.js';

export const migrations: readonly string[] = [
  `
  CREATE TABLE revisions (
    revision      TEXT PRIMARY KEY,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    outcome       TEXT NOT NULL
  ) STRICT;

  CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    revision    TEXT NOT NULL,
    "trigger"   TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT,
    summary     TEXT
  ) STRICT;

  CREATE TABLE actions (
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    action_id TEXT NOT NULL,
    status    TEXT NOT NULL,
    reason    TEXT NOT NULL,
    error     TEXT,
    at        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX actions_by_run ON actions(run_id);

  CREATE TABLE jobs (
    job_id      TEXT PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    project     TEXT NOT NULL,
    app         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    "commit"    TEXT NOT NULL,
    state       TEXT NOT NULL,
    urls        TEXT,
    error       TEXT,
    queued_at   TEXT NOT NULL,
    finished_at TEXT
  ) STRICT;
  CREATE INDEX jobs_by_state ON jobs(state);
  CREATE INDEX jobs_by_queued_at ON jobs(queued_at);
  CREATE INDEX jobs_by_run ON jobs(run_id);

  CREATE TABLE applied (
    project     TEXT NOT NULL,
    app         TEXT NOT NULL,
    job_id      TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    "commit"    TEXT NOT NULL,
    state       TEXT NOT NULL,
    spec        TEXT NOT NULL,
    revision    TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (project, app)
  ) STRICT;

  CREATE TABLE inventory (
    kind                TEXT NOT NULL,
    project             TEXT NOT NULL,
    name                TEXT NOT NULL,
    provider            TEXT NOT NULL,
    region              TEXT NOT NULL,
    deletion_protection INTEGER CHECK (deletion_protection IN (0, 1)),
    added_at            TEXT NOT NULL,
    PRIMARY KEY (kind, project, name)
  ) STRICT;
  `,
  // 2: the deployed waypoint.hcl, so an app removed from the manifests can be torn down.
  `ALTER TABLE applied ADD COLUMN waypoint_hcl TEXT;`,
  // 3: GitHub webhook deliveries seen, so a redelivered one is not acted on twice.
  `
  CREATE TABLE deliveries (
    id          TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    result      TEXT NOT NULL,
    received_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX deliveries_by_received_at ON deliveries(received_at);
  `,
  // 4: published releases deployed in place of the branch an app tracks.
  `
  CREATE TABLE release_pins (
    project       TEXT NOT NULL,
    app           TEXT NOT NULL,
    tag           TEXT NOT NULL,
    tracked_ref   TEXT NOT NULL,
    base_commit   TEXT NOT NULL,
    at            TEXT NOT NULL,
    PRIMARY KEY (project, app)
  ) STRICT;
  `,
  // 5: the declaration of each inventory item, to keep an orphan's cloud resources in its stack.
  `ALTER TABLE inventory ADD COLUMN declared TEXT;`,
  // 6: an app's last finished job is read for every app a plan considers: by index, not by scanning every job.
  `CREATE INDEX jobs_by_app ON jobs(project, app, kind, finished_at);`,
];

/** The schema version the code writes: the number of steps it knows. */
export const schemaVersion = migrations.length;

/** Brings the database up to `steps.length`, one transaction per step; a no-op when current. */
export function migrate(db: Database.Database, now: () => Date, steps: readonly string[] = migrations): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
  const current = db.prepare<[], number>('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck();
  const record = db.prepare<[number, string]>('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');

  // IMMEDIATE takes the write lock before reading the version, so two daemons
  // opening the same file at once cannot both apply a step.
  const applyStep = db.transaction((version: number, sql: string) => {
    if ((current.get() ?? 0) >= version) return;
    db.exec(sql);
    record.run(version, now().toISOString());
  });

  refuseNewer(current.get() ?? 0, steps.length);
  steps.forEach((sql, index) => applyStep.immediate(index + 1, sql));
}

function refuseNewer(found: number, known: number): void {
  if (found <= known) return;
  throw new PilotError(
    'stalled',
    'store.schema-newer',
    `state.db was written by a newer Pilot (schema ${found}); upgrade Pilot (this one knows schema ${known})`,
  );
}
