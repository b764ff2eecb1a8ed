// The embedded SQLite state store, what only it has: its directory and file modes,
// the write-ahead log, migrations, and jobs that survive a second connection and a
// killed process. Its rows and pruning are in store-sqlite-rows.test.ts; what every
// store does is the contract (test/support/store-contract.ts), run by store-contract.test.ts.

import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PilotError } from '../src/reconciler/errors.js';
import { migrate, migrations, schemaVersion } from '../src/store/migrations.js';
import { defaultStateDir, stateDbPath } from '../src/store/index.js';
import { useSqliteFile } from './support/sqlite-file.js';
import { job } from './support/store-fixtures.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const state = useSqliteFile();

describe('state directory', () => {
  it.each([
    { env: { PILOT_HOME: '/srv/pilot' }, expected: '/srv/pilot' },
    { env: { PILOT_HOME: '' }, expected: '/home/ada/.pilot' },
    { env: {}, expected: '/home/ada/.pilot' },
  ])('is $expected for $env', ({ env, expected }) => {
    expect(defaultStateDir(env, '/home/ada')).toBe(expected);
  });

  it('keeps state.db in it', () => {
    expect(stateDbPath('/srv/pilot')).toBe('/srv/pilot/state.db');
  });
});

describe('opening', () => {
  it('creates the directory 0700 and the file 0600', () => {
    state.open();
    expect(statSync(path.dirname(state.path)).mode & 0o777).toBe(0o700);
    expect(statSync(state.path).mode & 0o777).toBe(0o600);
  });

  it('uses the write-ahead log, as another connection sees', async () => {
    const store = state.open();
    await store.startRun('r1', 'test');
    expect(state.raw().pragma('journal_mode', { simple: true })).toBe('wal');
    expect(existsSync(`${state.path}-wal`)).toBe(true);
  });

  it('creates every table and records each migration once', async () => {
    await state.open().close();
    const db = state.raw();
    const tables = db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['actions', 'applied', 'deliveries', 'inventory', 'jobs', 'release_pins', 'revisions', 'runs', 'schema_migrations']);
    const indexes = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'").pluck().all();
    expect(indexes).toContain('jobs_by_state');
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
      migrations.map((_, i) => i + 1),
    );
  });

  it('is idempotent on reopen and keeps the data', async () => {
    const first = state.open({ now: () => new Date('2026-01-01T00:00:00.000Z') });
    const runId = await first.startRun('r1', 'test');
    await first.close();
    const before = state.raw().prepare('SELECT version, applied_at FROM schema_migrations').all();

    const second = state.open({ now: () => new Date('2027-01-01T00:00:00.000Z') });
    expect((await second.history.lastRuns(10)).map((r) => r.id)).toEqual([runId]);
    expect(state.raw().prepare('SELECT version, applied_at FROM schema_migrations').all()).toEqual(before);
  });

  it('refuses a database written by a newer Pilot', async () => {
    await state.open().close();
    const db = new Database(state.path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(schemaVersion + 5, '2030-01-01T00:00:00.000Z');
    db.close();

    let thrown: unknown;
    try {
      state.open();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PilotError);
    expect((thrown as PilotError).kind).toBe('stalled');
    expect((thrown as PilotError).message).toContain(
      `state.db was written by a newer Pilot (schema ${schemaVersion + 5}); upgrade Pilot`,
    );
  });
});

describe('migrate', () => {
  it('applies only the steps a database lacks', async () => {
    await state.open().close();
    const db = state.raw();
    migrate(db, () => new Date(), [...migrations, 'CREATE TABLE extra (x TEXT) STRICT']);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(schemaVersion + 1);
    migrate(db, () => new Date(), [...migrations, 'CREATE TABLE extra (x TEXT) STRICT']);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(schemaVersion + 1);
  });

  it('rolls a failing step back whole', async () => {
    await state.open().close();
    const db = state.raw();
    expect(() => migrate(db, () => new Date(), [...migrations, 'CREATE TABLE half (x TEXT); CREATE TABLE broken ('])).toThrow();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(schemaVersion);
  });
});

describe('durability', () => {
  it('shows a recorded job to a second connection while the first stays open', async () => {
    const store = state.open();
    const runId = await store.startRun('r1', 'poll');
    await store.recordJob(job({ jobId: 'j1', runId }));

    const row = state.raw().prepare('SELECT job_id, state FROM jobs').get();
    expect(row).toEqual({ job_id: 'j1', state: 'queued' });
    const reader = state.open();
    expect((await reader.openJobs()).map((j) => j.jobId)).toEqual(['j1']);
  });

  it('keeps a job recorded by a process killed right after', async () => {
    const script = `
      const { openSqliteStore } = await import(${JSON.stringify(path.join(repoRoot, 'src/store/index.ts'))});
      const store = openSqliteStore(process.env.STATE_DB);
      const runId = await store.startRun('r1', 'poll');
      await store.recordJob({ jobId: 'j-crash', runId, project: 'shop', app: 'web', kind: 'up', configHash: 'h1',
        commit: 'c0ffee', state: 'queued', queuedAt: '2026-01-01T00:00:00.000Z' });
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, STATE_DB: state.path },
    });
    await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });

    expect(existsSync(`${state.path}-wal`)).toBe(true);
    expect(await state.open().openJobs()).toEqual([job({ jobId: 'j-crash', runId: 1 })]);
  });
});
