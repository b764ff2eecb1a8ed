// The PostgreSQL schema as an ordered list of steps; step i brings it to version i + 1.
// Append new steps; never edit one that has shipped. Tables and columns are named as
// in state.db (../migrations.ts), so `pilot migrate-state` maps them one to one; `seq`
// columns hold the insertion order SQLite keeps in its rowid (ties in history order).

import { PilotError } from '../../reconciler/errors.js';
import type { Db } from './db.js';
import { migrationLockKey } from './locks.js';

// Key columns read in order are collated "C": by code point, as SQLite's BINARY
// collation orders them, whatever the database's locale.
export const migrations: readonly string[] = [
  `
  CREATE TABLE revisions (
    revision      text PRIMARY KEY,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    outcome       text NOT NULL
  );

  CREATE TABLE runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision    text NOT NULL,
    "trigger"   text NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    outcome     text,
    summary     json
  );

  CREATE TABLE actions (
    seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id    bigint NOT NULL REFERENCES runs(id),
    action_id text NOT NULL,
    status    text NOT NULL,
    reason    text NOT NULL,
    error     text,
    at        timestamptz NOT NULL
  );
  CREATE INDEX actions_by_run ON actions(run_id);

  CREATE TABLE jobs (
    job_id      text PRIMARY KEY,
    seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    run_id      bigint NOT NULL REFERENCES runs(id),
    project     text NOT NULL,
    app         text NOT NULL,
    kind        text NOT NULL,
    config_hash text NOT NULL,
    "commit"    text NOT NULL,
    state       text NOT NULL,
    urls        json,
    error       text,
    queued_at   timestamptz NOT NULL,
    finished_at timestamptz
  );
  CREATE INDEX jobs_by_state ON jobs(state);
  CREATE INDEX jobs_by_queued_at ON jobs(queued_at, seq);
  CREATE INDEX jobs_by_run ON jobs(run_id);
  CREATE INDEX jobs_by_app ON jobs(project, app, kind, finished_at);

  CREATE TABLE applied (
    project      text NOT NULL,
    app          text NOT NULL,
    job_id       text NOT NULL,
    config_hash  text NOT NULL,
    "commit"     text NOT NULL,
    state        text NOT NULL,
    spec         json NOT NULL,
    revision     text NOT NULL,
    at           timestamptz NOT NULL,
    waypoint_hcl text,
    PRIMARY KEY (project, app)
  );

  CREATE TABLE inventory (
    kind                text COLLATE "C" NOT NULL,
    project             text COLLATE "C" NOT NULL,
    name                text COLLATE "C" NOT NULL,
    provider            text NOT NULL,
    region              text NOT NULL,
    deletion_protection boolean,
    added_at            timestamptz NOT NULL,
    declared            json,
    PRIMARY KEY (kind, project, name)
  );

  CREATE TABLE deliveries (
    id          text PRIMARY KEY,
    seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    event       text NOT NULL,
    result      text NOT NULL,
    received_at timestamptz NOT NULL
  );
  CREATE INDEX deliveries_by_received_at ON deliveries(received_at, seq);

  CREATE TABLE release_pins (
    project     text COLLATE "C" NOT NULL,
    app         text COLLATE "C" NOT NULL,
    tag         text NOT NULL,
    tracked_ref text NOT NULL,
    base_commit text NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (project, app)
  );

  -- Who leads the daemons sharing this database; generation fences the leader's writes.
  CREATE TABLE leader_lease (
    name        text PRIMARY KEY,
    holder      text NOT NULL,
    generation  bigint NOT NULL,
    acquired_at timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL
  );

  -- Work any daemon hands to the leader; taken_generation is the leader that took it.
  CREATE TABLE inbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item             json NOT NULL,
    posted_at        timestamptz NOT NULL,
    taken_generation bigint
  );
  `,
];

/** The schema version the code writes: the number of steps it knows. */
export const schemaVersion = migrations.length;

const ensureTable = 'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)';
const currentVersion = 'SELECT coalesce(max(version), 0) AS version FROM schema_migrations';

/**
 * Brings the database up to `steps.length`, one transaction per step, each under an
 * advisory lock taken before the version is read: two daemons starting at once never
 * both apply a step (the second waits, then finds it applied). A no-op when current.
 */
export async function migrate(db: Db, now: () => Date, steps: readonly string[] = migrations): Promise<void> {
  const found = await db.transaction(async (client) => {
    await lockMigrations(client);
    await client.query(ensureTable);
    return (await client.query<{ version: number }>(currentVersion)).rows[0]?.version ?? 0;
  });
  refuseNewer(db.address.describe, found, steps.length);
  for (const [index, sql] of steps.entries()) {
    if (index + 1 <= found) continue;
    await db.transaction(async (client) => {
      await lockMigrations(client);
      if (((await client.query<{ version: number }>(currentVersion)).rows[0]?.version ?? 0) >= index + 1) return;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [index + 1, now().toISOString()]);
    });
  }
}

async function lockMigrations(client: { query(text: string, values: unknown[]): Promise<unknown> }): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
}

function refuseNewer(where: string, found: number, known: number): void {
  if (found <= known) return;
  throw new PilotError(
    'stalled',
    'store.schema-newer',
    `the state store ${where} was written by a newer Pilot (schema ${found}); upgrade Pilot (this one knows schema ${known})`,
  );
}
