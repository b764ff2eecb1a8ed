// The PostgreSQL state store, what only it has: versioned migrations that two daemons
// may run at once, its rows and types, pruning, deliveries claimed once across
// daemons, a pool that outlives its connections, and errors that name the server but
// never the password. What every store does is the contract (store-contract.test.ts);
// leadership and the inbox are in store-postgres-leadership.test.ts.

import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../src/reconciler/actual-state.js';
import { PilotError } from '../src/reconciler/errors.js';
import { openSqliteStore, openStore } from '../src/store/index.js';
import { openDb } from '../src/store/postgres/db.js';
import { migrate, migrations, schemaVersion } from '../src/store/postgres/migrations.js';
import { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../src/store/postgres/pg-store.js';
import { parsePostgresUrl } from '../src/store/postgres/url.js';
import { freshDatabase, postgresAdminUrl, sql } from './support/postgres.js';
import { applied, handClock, job } from './support/store-fixtures.js';

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
});

async function open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const store = await openPostgresStore(url, options);
  opened.push(store);
  return store;
}


async function refusal(promise: Promise<unknown>): Promise<PilotError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PilotError);
  return error as PilotError;
}

const tables = ['actions', 'applied', 'deliveries', 'inbox', 'inventory', 'jobs', 'leader_lease', 'release_pins', 'revisions', 'runs', 'schema_migrations'];

describe('migrations', () => {
  it('bring a new database to the current version, every table and index in place', async () => {
    const url = await freshDatabase('migrate');
    await open(url);
    expect((await sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).map((r) => r.tablename)).toEqual(tables);
    expect((await sql(url, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version)).toEqual(migrations.map((_, i) => i + 1));
    const indexes = (await sql(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")).map((r) => r.indexname);
    expect(indexes).toEqual(expect.arrayContaining(['jobs_by_state', 'jobs_by_queued_at', 'jobs_by_run', 'jobs_by_app', 'actions_by_run', 'deliveries_by_received_at']));
  });

  it('are a no-op on a current database, and keep its data', async () => {
    const url = await freshDatabase('migrate_again');
    const first = await open(url, { now: () => new Date('2026-01-01T00:00:00.000Z') });
    const runId = await first.startRun('r1', 'test');
    await first.close();
    const before = await sql(url, 'SELECT version, applied_at FROM schema_migrations ORDER BY version');
    const second = await open(url, { now: () => new Date('2027-01-01T00:00:00.000Z') });
    expect((await second.history.lastRuns(10)).map((r) => r.id)).toEqual([runId]);
    expect(await sql(url, 'SELECT version, applied_at FROM schema_migrations ORDER BY version')).toEqual(before);
  });

  it('let two daemons opening an empty database at once both succeed, with each step applied once', async () => {
    const url = await freshDatabase('migrate_race');
    const stores = await Promise.all([open(url), open(url), open(url)]);
    expect(stores).toHaveLength(3);
    expect(await sql(url, 'SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: schemaVersion }]);
    await stores[0]!.startRun('r1', 'test');
    expect(await stores[1]!.history.lastRuns(1)).toHaveLength(1);
  });

  it('refuse a database written by a newer Pilot', async () => {
    const url = await freshDatabase('migrate_newer');
    await (await open(url)).close();
    await sql(url, 'INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [schemaVersion + 5]);
    const refused = await refusal(openPostgresStore(url));
    expect(refused).toMatchObject({ kind: 'stalled', code: 'store.schema-newer' });
    expect(refused.message).toContain(`was written by a newer Pilot (schema ${schemaVersion + 5}); upgrade Pilot (this one knows schema ${schemaVersion})`);
  });

  it('apply only the steps a database lacks, and roll a failing step back whole', async () => {
    const url = await freshDatabase('migrate_steps');
    await (await open(url)).close();
    const db = openDb(parsePostgresUrl(url));
    opened.push({ close: () => db.end() });
    const now = () => new Date();
    await migrate(db, now, [...migrations, 'CREATE TABLE extra (x text)']);
    await migrate(db, now, [...migrations, 'CREATE TABLE extra (x text)']);
    expect(await sql(url, 'SELECT max(version) AS v, count(*)::int AS n FROM schema_migrations')).toEqual([{ v: schemaVersion + 1, n: schemaVersion + 1 }]);

    await expect(migrate(db, now, [...migrations, 'CREATE TABLE extra (x text)', 'CREATE TABLE half (x text); CREATE TABLE broken ('])).rejects.toThrow(/syntax/);
    expect(await sql(url, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half'")).toEqual([{ n: 0 }]);
    expect(await sql(url, 'SELECT max(version) AS v FROM schema_migrations')).toEqual([{ v: schemaVersion + 1 }]);
  });
});

describe('rows', () => {
  it('keep times as timestamptz, JSON as written and deletion protection as a boolean', async () => {
    const url = await freshDatabase('rows');
    const clock = handClock();
    const store = await open(url, { now: clock.now });
    clock.at = '2026-01-01T00:00:01.000Z';
    await store.recordRevision('r1', 'invalid');
    clock.at = '2026-01-01T00:00:02.000Z';
    await store.recordRevision('r1', 'valid');
    const runId = await store.startRun('r1', 'poll');
    await store.finishRun(runId, 'converged', { zeta: 1, alpha: [true, null] });
    await store.addToInventory({ kind: 'database', project: 'shop', name: 'orders', provider: 'aws', region: 'eu-west-1', deletionProtection: true });
    await store.addToInventory({ kind: 'app', project: 'shop', name: 'web', provider: 'aws', region: 'eu-west-1' });

    expect(await sql(url, "SELECT revision, first_seen_at = '2026-01-01T00:00:01Z' AS first, last_seen_at = '2026-01-01T00:00:02Z' AS last, outcome FROM revisions"))
      .toEqual([{ revision: 'r1', first: true, last: true, outcome: 'valid' }]);
    expect(await sql(url, 'SELECT summary::text AS summary FROM runs')).toEqual([{ summary: '{"zeta":1,"alpha":[true,null]}' }]);
    expect(await sql(url, 'SELECT name, deletion_protection FROM inventory ORDER BY name')).toEqual([
      { name: 'orders', deletion_protection: true }, { name: 'web', deletion_protection: null },
    ]);
    const types = await sql(url, `SELECT table_name || '.' || column_name AS col, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name IN ('started_at', 'summary', 'deletion_protection', 'id', 'spec', 'item')`);
    expect(Object.fromEntries(types.map((t) => [t.col, t.data_type]))).toMatchObject({
      'runs.started_at': 'timestamp with time zone', 'runs.summary': 'json', 'runs.id': 'bigint',
      'inventory.deletion_protection': 'boolean', 'applied.spec': 'json', 'inbox.item': 'json',
    });
  });

  it('keep a JSON null summary apart from no summary', async () => {
    const store = await open(await freshDatabase('rows_null'));
    const first = await store.startRun('r1', 'poll');
    await store.finishRun(first, 'converged', null);
    const second = await store.startRun('r2', 'poll');
    await store.finishRun(second, 'converged', undefined);
    const [newer, older] = await store.history.lastRuns(2);
    expect(older).toHaveProperty('summary', null);
    expect(newer).not.toHaveProperty('summary');
  });

  it('never take a finished job without finished_at for the newest, NULL sorting last as in SQLite', async () => {
    const stores = [await open(await freshDatabase('rows_nulls')), openSqliteStore(':memory:')];
    opened.push(stores[1]!);
    const said = [];
    for (const store of stores) {
      const runId = await store.startRun('r1', 'poll');
      await store.addToInventory({ kind: 'app', project: 'shop', name: 'web', provider: 'aws', region: 'us-east-1' });
      await store.recordJob(job({ jobId: 'J1', runId, state: 'success', commit: 'c1', finishedAt: '2026-01-01T00:01:00.000Z' }));
      await store.recordJob(job({ jobId: 'J2', runId, state: 'error', commit: 'c2' }));
      said.push([await store.lastDeployment('shop', 'web'), await store.appRecords(), await store.history.deployedApps()]);
    }
    expect(said[0]![0]).toMatchObject({ jobId: 'J1' });
    expect(said[0]).toEqual(said[1]);
  });

  it('record actions against their run, in order, and refuse an unknown run', async () => {
    const url = await freshDatabase('actions');
    const store = await open(url);
    const runId = await store.startRun('r1', 'poll');
    await store.recordAction(runId, { id: 'up shop/web', status: 'failed', reason: 'image changed', error: 'build failed' });
    await store.recordAction(runId, { id: 'ensure shop', status: 'done', reason: 'new project' });
    expect(await sql(url, 'SELECT run_id, action_id, error FROM actions ORDER BY seq')).toEqual([
      { run_id: String(runId), action_id: 'up shop/web', error: 'build failed' },
      { run_id: String(runId), action_id: 'ensure shop', error: null },
    ]);
    await expect(store.recordAction(99, { id: 'x', status: 'done', reason: 'r' })).rejects.toThrow(/foreign key/);
  });

  it('keep when an inventory item was first added, and one applied row per app', async () => {
    const url = await freshDatabase('inventory');
    const clock = handClock();
    const store = await open(url, { now: clock.now });
    const item: InventoryItem = { kind: 'database', project: 'shop', name: 'orders', provider: 'aws', region: 'eu-west-1', deletionProtection: true };
    clock.at = '2026-01-01T00:00:01.000Z';
    await store.addToInventory(item);
    clock.at = '2026-01-01T00:00:02.000Z';
    await store.addToInventory({ ...item, deletionProtection: false });
    expect(await sql(url, "SELECT added_at = '2026-01-01T00:00:01Z' AS first FROM inventory")).toEqual([{ first: true }]);
    await store.recordApplied(applied());
    await store.recordApplied(applied({ app: 'api', jobId: 'j2' }));
    await store.recordApplied(applied({ jobId: 'j3', at: '2026-01-02T00:00:00.000Z' }));
    expect(await sql(url, 'SELECT count(*)::int AS n FROM applied')).toEqual([{ n: 2 }]);
  });
});

describe('pruning', () => {
  it('keeps the newest runs with their actions and finished jobs, and a run whose job is still open', async () => {
    const url = await freshDatabase('prune_runs');
    const store = await open(url, { keepRuns: 2 });
    const first = await store.startRun('r1', 'poll');
    await store.recordAction(first, { id: 'deploy:shop/web', status: 'done', reason: 'new app' });
    await store.recordJob(job({ jobId: 'j-done', runId: first, state: 'success' }));
    const second = await store.startRun('r2', 'poll');
    await store.recordJob(job({ jobId: 'j-open', runId: second, state: 'running' }));
    await store.recordAction(second, { id: 'deploy:shop/api', status: 'done', reason: 'new app' });
    const third = await store.startRun('r3', 'poll');
    const fourth = await store.startRun('r4', 'poll');
    expect((await sql(url, 'SELECT id::int FROM runs ORDER BY id')).map((r) => r.id)).toEqual([second, third, fourth]);
    expect(await sql(url, 'SELECT count(*)::int AS n FROM actions')).toEqual([{ n: 0 }]);
    expect((await store.history.recentJobs(10)).map((j) => j.jobId)).toEqual(['j-open']);
    expect((await store.openJobs()).map((j) => j.jobId)).toEqual(['j-open']);
  });

  it('keeps the job each app was last applied by, with its run, so its URLs outlive the pruning', async () => {
    const url = await freshDatabase('prune_applied');
    const store = await open(url, { keepRuns: 2 });
    const first = await store.startRun('r1', 'poll');
    const urls = { release: 'https://web.example' };
    await store.addToInventory({ kind: 'app', project: 'shop', name: 'web', provider: 'aws', region: 'us-east-1' });
    await store.recordJob(job({ jobId: 'j-old', runId: first, state: 'success', commit: 'c0', finishedAt: '2026-01-01T00:00:30.000Z' }));
    await store.recordJob(job({ jobId: 'j-applied', runId: first, state: 'success', commit: 'c1', urls, finishedAt: '2026-01-01T00:01:00.000Z' }));
    await store.recordApplied(applied({ jobId: 'j-applied', commit: 'c1', at: '2026-01-01T00:01:00.000Z' }));
    const later = [];
    for (const revision of ['r2', 'r3', 'r4']) later.push(await store.startRun(revision, 'drift'));
    expect((await sql(url, 'SELECT id::int FROM runs ORDER BY id')).map((r) => r.id)).toEqual([first, ...later.slice(1)]);
    expect((await store.history.recentJobs(10)).map((j) => j.jobId)).toEqual(['j-applied']);
    expect(await store.history.deployedApps()).toEqual([{ project: 'shop', app: 'web', state: 'success', commit: 'c1', at: '2026-01-01T00:01:00.000Z', urls }]);
  });

  it('keeps only the newest deliveries, ties in the order received', async () => {
    let tick = 0;
    const store = await open(await freshDatabase('prune_deliveries'), { keepDeliveries: 3, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(tick++ / 2))) });
    for (const id of ['a', 'b', 'c', 'd', 'e']) expect(await store.deliveries.claim(id, 'push')).toBe(true);
    expect((await store.history.recentDeliveries(10)).map((d) => d.id)).toEqual(['e', 'd', 'c']);
    // A pruned id is forgotten; GitHub does not redeliver that far back.
    expect(await store.deliveries.claim('a', 'push')).toBe(true);
    expect((await store.history.recentDeliveries(10)).map((d) => d.id)).toEqual(['a', 'e', 'd']);
  });
});

describe('deliveries across daemons', () => {
  it('lets exactly one of two stores claim each id, however their claims interleave', async () => {
    const url = await freshDatabase('claims');
    const [a, b] = await Promise.all([open(url), open(url)]);
    const ids = Array.from({ length: 200 }, (_, i) => `delivery-${i}`);
    const claims = await Promise.all(ids.map((id, i) => Promise.all(i % 2 ? [a.deliveries.claim(id, 'push'), b.deliveries.claim(id, 'push')] : [b.deliveries.claim(id, 'push'), a.deliveries.claim(id, 'push')])));
    expect(claims.filter(([x, y]) => x === y)).toEqual([]);
    const won = claims.flat().filter(Boolean).length;
    expect(won).toBe(200);
    expect(await sql(url, 'SELECT count(*)::int AS n FROM deliveries')).toEqual([{ n: 200 }]);
  });
});

describe('connections', () => {
  it('outlive the server ending the pool\'s idle connections, without crashing the process', async () => {
    const url = await freshDatabase('pool_kill');
    const store = await open(url);
    await Promise.all([store.history.lastRuns(1), store.history.recentJobs(1), store.inventory()]);
    const killed = await sql(postgresAdminUrl(), "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pilot'", [new URL(url).pathname.slice(1)]);
    expect(killed.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const runId = await store.startRun('r1', 'poll');
    expect((await store.history.lastRuns(1)).map((r) => r.id)).toEqual([runId]);
  });

  it('fail a write whose session the server ends mid-transaction as store.unreachable, without crashing the process', async () => {
    const url = await freshDatabase('tx_kill');
    const store = await open(url);
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE revisions IN EXCLUSIVE MODE');
      const write = store.recordRevision('r1', 'valid').then(() => undefined, (error: unknown) => error);
      const waiting = async () => sql(postgresAdminUrl(), "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO revisions%'", [new URL(url).pathname.slice(1)]);
      let pids: pg.QueryResultRow[] = [];
      while (pids.length === 0) pids = await waiting();
      await sql(postgresAdminUrl(), 'SELECT pg_terminate_backend($1, 5000)', [pids[0]!.pid]);
      expect(await write).toMatchObject({ code: 'store.unreachable', message: expect.stringMatching(/terminating connection due to administrator command/) });
    } finally {
      await blocker.end();
    }
    await store.recordRevision('r2', 'valid');
    expect(await sql(url, 'SELECT revision FROM revisions')).toEqual([{ revision: 'r2' }]);
  });
});

describe('errors', () => {
  const withPassword = (url: string, password: string) => {
    const parsed = new URL(url);
    parsed.password = password;
    return parsed.toString();
  };

  it('describe the store without its password', async () => {
    const url = await freshDatabase('describe');
    const { username, password, host, pathname } = new URL(url);
    const store = await open(`${url}?application_name=x&password=${password}`);
    expect(store.describe).toBe(`postgres://${username}@${host}${pathname}`);
    expect(store.describe).not.toContain(password);
  });

  it('name an unreachable server, and what to check, without the password', async () => {
    const refused = await refusal(openStore('postgres://pilot:s3cret-pw@127.0.0.1:1/pilot'));
    expect(refused).toMatchObject({ kind: 'stalled', code: 'store.unreachable' });
    expect(refused.message).toMatch(/^cannot use the state store postgres:\/\/pilot@127\.0\.0\.1:1\/pilot \(.*ECONNREFUSED.*\): check that PostgreSQL runs there/);
    expect(JSON.stringify({ message: refused.message, stack: refused.stack, cause: String(refused.cause) })).not.toContain('s3cret-pw');
  });

  it('say a wrong password is wrong, without showing it', async () => {
    const url = withPassword(await freshDatabase('bad_password'), 'not-the-password');
    const refused = await refusal(openStore(url));
    expect(refused).toMatchObject({ kind: 'stalled', code: 'store.unreachable' });
    expect(refused.message).toMatch(/password authentication failed.*check the user and password in the store URL/);
    expect(refused.message).not.toContain('not-the-password');
  });

  it('say a password is wanted when none was given anywhere (no URL password, no PGPASSWORD)', async () => {
    const url = new URL(await freshDatabase('no_password'));
    url.password = '';
    const saved = process.env.PGPASSWORD;
    delete process.env.PGPASSWORD;
    try {
      const refused = await refusal(openStore(url.toString()));
      expect(refused).toMatchObject({ kind: 'stalled', code: 'store.unreachable' });
      expect(refused.message).toMatch(/the server asks for a password and none was given: set PGPASSWORD/);
    } finally {
      if (saved !== undefined) process.env.PGPASSWORD = saved;
    }
  });

  it('say a database that does not exist should be created', async () => {
    const url = new URL(postgresAdminUrl());
    url.pathname = '/pilot_never_created';
    const refused = await refusal(openStore(url.toString()));
    expect(refused).toMatchObject({ code: 'store.unreachable' });
    expect(refused.message).toMatch(/pilot_never_created.*does not exist.*create the database/);
    expect(refused.message).not.toContain(url.password);
  });
});
