// The embedded SQLite state store: schema, round trips, ordering and durability.

import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../src/reconciler/actual-state.js';
import { PilotError } from '../src/reconciler/errors.js';
import type { AppliedRecord, JobRecord } from '../src/reconciler/ports.js';
import { migrate, migrations, schemaVersion } from '../src/store/migrations.js';
import { withFullSync } from '../src/store/open-database.js';
import { defaultStateDir, openSqliteStore, stateDbPath, type SqliteStore } from '../src/store/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let dir: string;
let file: string;
const opened: { close(): void }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-store-'));
  file = stateDbPath(path.join(dir, 'home', 'nested'));
});

afterEach(async () => {
  for (const handle of opened.splice(0)) handle.close();
  await rm(dir, { recursive: true, force: true });
});

/** A clock the test moves by hand: `clock.at = '...'` before a write. */
function handClock(at = '2026-01-01T00:00:00.000Z'): { at: string; now: () => Date } {
  const clock = { at, now: () => new Date(clock.at) };
  return clock;
}

function open(options: { now?: () => Date; keepRuns?: number } = {}): SqliteStore {
  const store = openSqliteStore(file, options);
  opened.push(store);
  return store;
}

/** A plain second connection to the same file, as another process would have. */
function rawConnection(): Database.Database {
  const db = new Database(file);
  opened.push(db);
  return db;
}

function job(overrides: Partial<JobRecord> & Pick<JobRecord, 'jobId' | 'runId'>): JobRecord {
  return {
    project: 'shop',
    app: 'web',
    kind: 'up',
    configHash: 'h1',
    commit: 'c0ffee',
    state: 'queued',
    queuedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function applied(overrides: Partial<AppliedRecord> = {}): AppliedRecord {
  return {
    project: 'shop',
    app: 'web',
    jobId: 'j1',
    configHash: 'h1',
    commit: 'c0ffee',
    state: 'success',
    spec: { image: 'web:1', replicas: 2, public: true },
    revision: 'r1',
    at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

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
    open();
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('uses the write-ahead log, as another connection sees', () => {
    const store = open();
    store.startRun('r1', 'test');
    expect(rawConnection().pragma('journal_mode', { simple: true })).toBe('wal');
    expect(existsSync(`${file}-wal`)).toBe(true);
  });

  it('creates every table and records each migration once', () => {
    open().close();
    const db = rawConnection();
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

  it('is idempotent on reopen and keeps the data', () => {
    const first = open({ now: () => new Date('2026-01-01T00:00:00.000Z') });
    const runId = first.startRun('r1', 'test');
    first.close();
    const before = rawConnection().prepare('SELECT version, applied_at FROM schema_migrations').all();

    const second = open({ now: () => new Date('2027-01-01T00:00:00.000Z') });
    expect(second.lastRuns(10).map((r) => r.id)).toEqual([runId]);
    expect(rawConnection().prepare('SELECT version, applied_at FROM schema_migrations').all()).toEqual(before);
  });

  it('refuses a database written by a newer Pilot', () => {
    open().close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(schemaVersion + 5, '2030-01-01T00:00:00.000Z');
    db.close();

    let thrown: unknown;
    try {
      open();
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
  it('applies only the steps a database lacks', () => {
    open().close();
    const db = rawConnection();
    migrate(db, () => new Date(), [...migrations, 'CREATE TABLE extra (x TEXT) STRICT']);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(schemaVersion + 1);
    migrate(db, () => new Date(), [...migrations, 'CREATE TABLE extra (x TEXT) STRICT']);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(schemaVersion + 1);
  });

  it('rolls a failing step back whole', () => {
    open().close();
    const db = rawConnection();
    expect(() => migrate(db, () => new Date(), [...migrations, 'CREATE TABLE half (x TEXT); CREATE TABLE broken ('])).toThrow();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(schemaVersion);
  });
});

describe('revisions, runs and actions', () => {
  it('keeps when a revision was first and last seen', () => {
    const clock = handClock();
    const store = open(clock);
    clock.at = '2026-01-01T00:00:01.000Z';
    store.recordRevision('r1', 'invalid');
    clock.at = '2026-01-01T00:00:02.000Z';
    store.recordRevision('r1', 'valid');
    expect(rawConnection().prepare('SELECT * FROM revisions').all()).toEqual([
      { revision: 'r1', first_seen_at: '2026-01-01T00:00:01.000Z', last_seen_at: '2026-01-01T00:00:02.000Z', outcome: 'valid' },
    ]);
  });

  it('round-trips a run, finished and not', () => {
    const clock = handClock();
    const store = open(clock);
    clock.at = '2026-01-01T00:00:01.000Z';
    const first = store.startRun('r1', 'poll');
    clock.at = '2026-01-01T00:00:02.000Z';
    const second = store.startRun('r2', 'webhook');
    const summary = { applied: ['shop/web'], failed: [], counts: { up: 1 } };
    clock.at = '2026-01-01T00:00:03.000Z';
    store.finishRun(first, 'converged', summary);

    expect(second).toBeGreaterThan(first);
    expect(store.lastRuns(10)).toEqual([
      { id: second, revision: 'r2', trigger: 'webhook', startedAt: '2026-01-01T00:00:02.000Z' },
      {
        id: first,
        revision: 'r1',
        trigger: 'poll',
        startedAt: '2026-01-01T00:00:01.000Z',
        finishedAt: '2026-01-01T00:00:03.000Z',
        outcome: 'converged',
        summary,
      },
    ]);
  });

  it('refuses to finish a run it never started', () => {
    expect(() => open().finishRun(42, 'failed', {})).toThrow(/no run 42/);
  });

  it('records actions against their run', () => {
    const clock = handClock();
    const store = open(clock);
    const runId = store.startRun('r1', 'poll');
    clock.at = '2026-01-01T00:00:02.000Z';
    store.recordAction(runId, { id: 'up shop/web', status: 'failed', reason: 'image changed', error: 'build failed' });
    clock.at = '2026-01-01T00:00:03.000Z';
    store.recordAction(runId, { id: 'ensure shop', status: 'done', reason: 'new project' });
    expect(rawConnection().prepare('SELECT run_id, action_id, status, reason, error, at FROM actions ORDER BY rowid').all()).toEqual([
      { run_id: runId, action_id: 'up shop/web', status: 'failed', reason: 'image changed', error: 'build failed', at: '2026-01-01T00:00:02.000Z' },
      { run_id: runId, action_id: 'ensure shop', status: 'done', reason: 'new project', error: null, at: '2026-01-01T00:00:03.000Z' },
    ]);
  });

  it('refuses an action for an unknown run (foreign keys are on)', () => {
    expect(() => open().recordAction(99, { id: 'x', status: 'done', reason: 'r' })).toThrow(/FOREIGN KEY/);
  });

  it('lists the newest runs first, up to the limit', () => {
    const store = open();
    const ids = ['r1', 'r2', 'r3', 'r4'].map((revision) => store.startRun(revision, 'poll'));
    expect(store.lastRuns(2).map((r) => r.id)).toEqual([ids[3], ids[2]]);
    expect(store.lastRuns(0)).toEqual([]);
    expect(() => store.lastRuns(-1)).toThrow(RangeError);
  });
});

describe('history', () => {
  it('keeps the newest runs with their actions and finished jobs, and a run whose job is still open', () => {
    const store = open({ keepRuns: 2 });
    const first = store.startRun('r1', 'poll');
    store.recordAction(first, { id: 'deploy:shop/web', status: 'done', reason: 'new app' });
    store.recordJob(job({ jobId: 'j-done', runId: first, state: 'success' }));
    const second = store.startRun('r2', 'poll');
    store.recordJob(job({ jobId: 'j-open', runId: second, state: 'running' }));
    store.recordAction(second, { id: 'deploy:shop/api', status: 'done', reason: 'new app' });
    store.startRun('r3', 'poll');
    store.startRun('r4', 'poll');
    const raw = rawConnection();
    expect(raw.prepare('SELECT id FROM runs ORDER BY id').pluck().all()).toEqual([second, 3, 4]);
    expect(raw.prepare('SELECT count(*) FROM actions').pluck().get()).toBe(0);
    expect(store.recentJobs(10).map((j) => j.jobId)).toEqual(['j-open']);
    expect(store.openJobs().map((j) => j.jobId)).toEqual(['j-open']);
  });
});

describe('jobs', () => {
  it('round-trips a job with every field', () => {
    const store = open();
    const runId = store.startRun('r1', 'poll');
    const full = job({
      jobId: 'j1',
      runId,
      kind: 'destroy',
      state: 'error',
      urls: { release: 'https://web.example', deploy: 'https://web--v3.example' },
      error: 'the app has no image',
      finishedAt: '2026-01-01T00:05:00.000Z',
    });
    store.recordJob(full);
    expect(store.recentJobs(5)).toEqual([full]);
  });

  it('records the same job twice as one', () => {
    const store = open();
    const runId = store.startRun('r1', 'poll');
    store.recordJob(job({ jobId: 'j1', runId }));
    store.recordJob(job({ jobId: 'j1', runId, state: 'running' }));
    expect(store.recentJobs(5)).toEqual([job({ jobId: 'j1', runId, state: 'running' })]);
  });

  it('lists only queued and running jobs as open', () => {
    const store = open();
    const runId = store.startRun('r1', 'poll');
    const states: JobRecord['state'][] = ['queued', 'running', 'success', 'error'];
    states.forEach((state, i) => store.recordJob(job({ jobId: `j-${state}`, runId, state, queuedAt: `2026-01-01T00:00:0${i}.000Z` })));
    expect(store.openJobs().map((j) => j.jobId)).toEqual(['j-queued', 'j-running']);
  });

  it('updates only the fields given', () => {
    const store = open();
    const runId = store.startRun('r1', 'poll');
    store.recordJob(job({ jobId: 'j1', runId }));

    store.updateJob('j1', { state: 'running' });
    expect(store.recentJobs(1)[0]).toEqual(job({ jobId: 'j1', runId, state: 'running' }));

    store.updateJob('j1', { state: 'success', urls: { app: 'https://web.example' }, finishedAt: '2026-01-01T00:01:00.000Z' });
    store.updateJob('j1', {});
    expect(store.recentJobs(1)[0]).toEqual(
      job({ jobId: 'j1', runId, state: 'success', urls: { app: 'https://web.example' }, finishedAt: '2026-01-01T00:01:00.000Z' }),
    );
    expect(store.openJobs()).toEqual([]);
  });

  it('refuses to update a job it never recorded', () => {
    expect(() => open().updateJob('ghost', { state: 'success' })).toThrow(/no job ghost/);
  });

  it('lists the most recently queued jobs first, up to the limit', () => {
    const store = open();
    const runId = store.startRun('r1', 'poll');
    store.recordJob(job({ jobId: 'b', runId, queuedAt: '2026-01-01T00:00:02.000Z' }));
    store.recordJob(job({ jobId: 'a', runId, queuedAt: '2026-01-01T00:00:01.000Z' }));
    store.recordJob(job({ jobId: 'c', runId, queuedAt: '2026-01-01T00:00:03.000Z' }));
    store.recordJob(job({ jobId: 'd', runId, queuedAt: '2026-01-01T00:00:03.000Z' }));
    expect(store.recentJobs(3).map((j) => j.jobId)).toEqual(['d', 'c', 'b']);
    expect(store.recentJobs(10)).toHaveLength(4);
  });

  it('leaves commits synced as NORMAL after a fully synced write, even one that throws', () => {
    const db = new Database(':memory:');
    opened.push(db);
    db.pragma('synchronous = NORMAL');
    expect(withFullSync(db, () => db.pragma('synchronous', { simple: true }))).toBe(2);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(() =>
      withFullSync(db, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });
});

describe('applied', () => {
  it('has nothing for an app never applied', () => {
    expect(open().lastApplied('shop', 'web')).toBeUndefined();
  });

  it('keeps the latest record per app', () => {
    const store = open();
    store.recordApplied(applied());
    store.recordApplied(applied({ app: 'api', jobId: 'j2' }));
    const latest = applied({ jobId: 'j3', configHash: 'h2', state: 'error', spec: { image: 'web:2' }, revision: 'r2', at: '2026-01-02T00:00:00.000Z' });
    store.recordApplied(latest);

    expect(store.lastApplied('shop', 'web')).toEqual(latest);
    expect(store.lastApplied('shop', 'api')).toEqual(applied({ app: 'api', jobId: 'j2' }));
    expect(rawConnection().prepare('SELECT count(*) FROM applied').pluck().get()).toBe(2);
  });
});

describe('inventory', () => {
  const db: InventoryItem = { kind: 'database', project: 'shop', name: 'orders', provider: 'aws', region: 'eu-west-1', deletionProtection: true };
  const app: InventoryItem = { kind: 'app', project: 'shop', name: 'web', provider: 'gcp', region: 'europe-west1' };

  it('round-trips items, with and without deletion protection', () => {
    const store = open();
    store.addToInventory(db);
    store.addToInventory(app);
    store.addToInventory({ ...app, name: 'worker', deletionProtection: false });
    expect(store.inventory()).toEqual([app, { ...app, name: 'worker', deletionProtection: false }, db]);
  });

  it('adds the same item once, keeping what changed', () => {
    const clock = handClock();
    const store = open(clock);
    clock.at = '2026-01-01T00:00:01.000Z';
    store.addToInventory(db);
    clock.at = '2026-01-01T00:00:02.000Z';
    store.addToInventory({ ...db, deletionProtection: false });
    expect(store.inventory()).toEqual([{ ...db, deletionProtection: false }]);
    expect(rawConnection().prepare('SELECT added_at FROM inventory').pluck().all()).toEqual(['2026-01-01T00:00:01.000Z']);
  });

  it('removes one item by kind, project and name', () => {
    const store = open();
    store.addToInventory(db);
    store.addToInventory(app);
    store.addToInventory({ ...app, kind: 'database', name: 'web' });
    store.removeFromInventory('app', 'shop', 'web');
    store.removeFromInventory('app', 'shop', 'absent');
    expect(store.inventory()).toEqual([db, { ...app, kind: 'database', name: 'web' }]);
  });
});

describe('release pins', () => {
  it('keeps one pin per app, replaced by a newer release, until unpinned', () => {
    const clock = handClock('2026-01-01T00:00:01.000Z');
    const store = open(clock);
    store.pinRelease({ project: 'shop', app: 'web', tag: 'v1', trackedRef: 'main', baseCommit: 'a'.repeat(40) });
    store.pinRelease({ project: 'shop', app: 'api', tag: 'v7', trackedRef: 'stable', baseCommit: 'c'.repeat(40) });
    clock.at = '2026-01-01T00:00:02.000Z';
    store.pinRelease({ project: 'shop', app: 'web', tag: 'v2', trackedRef: 'main', baseCommit: 'b'.repeat(40) });
    expect(store.releasePins()).toEqual([
      { project: 'shop', app: 'api', tag: 'v7', trackedRef: 'stable', baseCommit: 'c'.repeat(40), at: '2026-01-01T00:00:01.000Z' },
      { project: 'shop', app: 'web', tag: 'v2', trackedRef: 'main', baseCommit: 'b'.repeat(40), at: '2026-01-01T00:00:02.000Z' },
    ]);
    store.unpinRelease('shop', 'web');
    expect(store.releasePins().map((p) => p.app)).toEqual(['api']);
  });
});

describe('durability', () => {
  it('shows a recorded job to a second connection while the first stays open', () => {
    const store = open();
    const runId = store.startRun('r1', 'poll');
    store.recordJob(job({ jobId: 'j1', runId }));

    const row = rawConnection().prepare('SELECT job_id, state FROM jobs').get();
    expect(row).toEqual({ job_id: 'j1', state: 'queued' });
    const reader = open();
    expect(reader.openJobs().map((j) => j.jobId)).toEqual(['j1']);
  });

  it('keeps a job recorded by a process killed right after', async () => {
    const script = `
      const { openSqliteStore } = await import(${JSON.stringify(path.join(repoRoot, 'src/store/index.ts'))});
      const store = openSqliteStore(process.env.STATE_DB);
      const runId = store.startRun('r1', 'poll');
      store.recordJob({ jobId: 'j-crash', runId, project: 'shop', app: 'web', kind: 'up', configHash: 'h1',
        commit: 'c0ffee', state: 'queued', queuedAt: '2026-01-01T00:00:00.000Z' });
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, STATE_DB: file },
    });
    await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });

    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(open().openJobs()).toEqual([job({ jobId: 'j-crash', runId: 1 })]);
  });
});

describe('queue intents', () => {
  it('turns an intent into its job, drops one without a job, and never clashes with a job recorded meanwhile', () => {
    const store = open();
    const runId = store.startRun('r1', 'test');
    for (const id of ['intent:1', 'intent:2', 'intent:3']) store.recordJob(job({ jobId: id, runId, state: 'queueing' }));
    store.recordJob(job({ jobId: 'J3', runId, state: 'running' }));
    expect(store.queueIntents().map((j) => j.jobId)).toEqual(['intent:1', 'intent:2', 'intent:3']);
    store.resolveIntent('intent:1', 'J1');
    store.resolveIntent('intent:2', undefined);
    store.resolveIntent('intent:3', 'J3');
    expect(store.queueIntents()).toEqual([]);
    expect(store.openJobs().map((j) => [j.jobId, j.state]).sort()).toEqual([['J1', 'queued'], ['J3', 'running']]);
  });

  it('says what was last deployed from finished jobs, else from what was applied', () => {
    const store = open();
    const runId = store.startRun('r1', 'test');
    expect(store.lastDeployment('shop', 'web')).toBeUndefined();
    store.recordJob(job({ jobId: 'J1', runId, state: 'success', finishedAt: '2026-01-01T00:01:00.000Z' }));
    store.recordJob(job({ jobId: 'J2', runId, state: 'error', configHash: 'h2', finishedAt: '2026-01-01T00:02:00.000Z' }));
    store.recordJob(job({ jobId: 'J3', runId, state: 'lost', configHash: 'h3', finishedAt: '2026-01-01T00:03:00.000Z' }));
    expect(store.lastDeployment('shop', 'web')).toEqual({ jobId: 'J2', configHash: 'h2', commit: 'c0ffee', state: 'error' });
  });
});
