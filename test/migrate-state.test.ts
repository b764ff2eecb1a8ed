// `pilot migrate-state`: a state.db written through the SQLite store's own API, copied
// by the real CLI into a new PostgreSQL database, reads back the same through every
// read of the port; the copy is all or nothing, into an empty store only, never
// touches the file, and never shows the password.

import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../src/reconciler/actual-state.js';
import type { Store } from '../src/reconciler/store-port.js';
import { migrate, migrations, openSqliteStore, openStore, schemaVersion } from '../src/store/index.js';
import { cli } from './support/cli.js';
import { freshDatabase, sql } from './support/postgres.js';
import { applied, handClock, job } from './support/store-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-migrate-state-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const declared = {
  project: 'shop', name: 'orders', provider: 'aws', region: 'eu-west-1', engine: 'postgres', version: '16', size: 'small',
  storageGB: 20, deletionProtection: true, origin: { file: 'pilot.yaml', line: 12 },
} as const;

/** A state.db with a bit of everything, written as a daemon would write it. */
async function writeState(file: string): Promise<void> {
  const clock = handClock('2026-03-01T10:00:00.000Z');
  const store = openSqliteStore(file, { now: clock.now, keepRuns: 3 });
  const tick = (second: number) => (clock.at = `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z`);
  await store.recordRevision('r1', 'invalid');
  tick(1);
  await store.recordRevision('r1', 'valid');
  await store.recordRevision('r2', 'valid');
  const runs: number[] = [];
  for (const [i, revision] of ['r0', 'r1', 'r1', 'r2', 'r2'].entries()) {
    tick(2 + i);
    runs.push(await store.startRun(revision, i % 2 ? 'webhook' : 'poll'));
  }
  const [, , third, fourth, fifth] = runs as [number, number, number, number, number];
  await store.finishRun(third, 'converged', { zeta: 1, alpha: ['shop/web'], nothing: null });
  await store.finishRun(fourth, 'partial', null);
  await store.recordAction(fourth, { id: 'up shop/web', status: 'done', reason: 'image changed' });
  await store.recordAction(fifth, { id: 'up shop/api', status: 'failed', reason: 'new app', error: 'build failed' });

  const urls = { release: 'https://web.example', deploy: 'https://web--v3.example' };
  await store.recordJob(job({ jobId: 'W1', runId: third, state: 'success', urls, queuedAt: '2026-03-01T10:00:04.000Z', finishedAt: '2026-03-01T10:01:00.000Z' }));
  await store.recordJob(job({ jobId: 'A1', runId: fourth, app: 'api', state: 'error', error: 'the image does not build', queuedAt: '2026-03-01T10:00:05.000Z', finishedAt: '2026-03-01T10:02:00.000Z' }));
  // Queued at the same moment: their order is the order recorded.
  await store.recordJob(job({ jobId: 'Q2', runId: fifth, app: 'worker', state: 'queued', queuedAt: '2026-03-01T10:00:06.000Z' }));
  await store.recordJob(job({ jobId: 'Q1', runId: fifth, app: 'queue', state: 'running', queuedAt: '2026-03-01T10:00:06.000Z' }));
  await store.recordJob(job({ jobId: 'intent:7', runId: fifth, app: 'cron', state: 'queueing', queuedAt: '2026-03-01T10:00:07.000Z' }));
  await store.recordJob(job({ jobId: 'D1', runId: fifth, app: 'old', kind: 'destroy', state: 'lost', queuedAt: '2026-03-01T10:00:07.000Z', finishedAt: '2026-03-01T10:03:00.000Z' }));

  await store.recordApplied({ ...applied({ jobId: 'W1', at: '2026-03-01T10:01:00.000Z' }), waypointHcl: 'project = "shop"\napp "web" {}\n' });
  await store.recordApplied(applied({ app: 'api', jobId: 'A0', configHash: 'h0', spec: { 'image': 'api:1', 'memory': 512, 'env.B': '2', 'env.A': '1' }, at: '2026-03-01T09:00:00.000Z' }));

  const app = (name: string): InventoryItem => ({ kind: 'app', project: 'shop', name, provider: 'aws', region: 'us-east-1' });
  await store.addToInventory(app('web'));
  await store.addToInventory(app('api'));
  await store.addToInventory({ ...app('queue'), deletionProtection: false });
  await store.addToInventory({ kind: 'database', project: 'shop', name: 'orders', provider: 'aws', region: 'eu-west-1', deletionProtection: true, declared });

  await store.pinRelease({ project: 'shop', app: 'web', tag: 'v1.2.0', trackedRef: 'main', baseCommit: 'a'.repeat(40) });
  await store.pinRelease({ project: 'blog', app: 'site', tag: 'v3', trackedRef: 'stable', baseCommit: 'b'.repeat(40) });

  tick(30);
  await store.deliveries.claim('d-1', 'push');
  await store.deliveries.claim('d-2', 'ping');
  tick(31);
  await store.deliveries.claim('d-3', 'release');
  await store.deliveries.finish('d-1', 'dispatched');
  await store.close();
}

/** Everything the port reads, for comparing two stores. */
async function reads(store: Store): Promise<unknown> {
  const apps = ['web', 'api', 'queue', 'worker', 'cron', 'old', 'absent'];
  return {
    lastRuns: await store.history.lastRuns(100),
    recentJobs: await store.history.recentJobs(100),
    recentDeliveries: await store.history.recentDeliveries(100),
    deployedApps: await store.history.deployedApps(),
    openJobs: await store.openJobs(),
    queueIntents: await store.queueIntents(),
    // In any order: a Map keyed by project/app.
    appRecords: [...(await store.appRecords()).entries()].sort(([a], [b]) => a.localeCompare(b)),
    appRecordsOfShop: [...(await store.appRecords(['shop'])).keys()].sort(),
    lastApplied: await Promise.all(apps.map((app) => store.lastApplied('shop', app))),
    lastDeployment: await Promise.all(apps.map((app) => store.lastDeployment('shop', app))),
    inventory: await store.inventory(),
    releasePins: await store.releasePins(),
  };
}

async function rowCounts(url: string): Promise<Record<string, number>> {
  const tables = ['revisions', 'runs', 'actions', 'jobs', 'applied', 'inventory', 'deliveries', 'release_pins', 'leader_lease', 'inbox'];
  const rows = await sql<{ name: string; n: number }>(url, tables.map((t) => `SELECT '${t}' AS name, count(*)::int AS n FROM ${t}`).join(' UNION ALL '));
  return Object.fromEntries(rows.map((row) => [row.name, row.n]));
}

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
const passwordOf = (url: string) => new URL(url).password;

describe('pilot migrate-state', () => {
  it('copies every record, reads back the same, numbers new runs on, and refuses a second copy changing nothing', async () => {
    const file = path.join(dir, 'full', 'state.db');
    await writeState(file);
    const before = await sha256(file);
    const url = await freshDatabase('migrate_state');

    const copy = await cli(['migrate-state', '--from', `sqlite:${file}`], { env: { PILOT_STATE_URL: url } });
    expect(copy.stderr).toBe([
      `Copying sqlite:${file} to ${new URL(url).protocol}//pilot@${new URL(url).host}${new URL(url).pathname}`,
      '  revisions: 2 rows', '  runs: 3 rows', '  actions: 2 rows', '  jobs: 6 rows', '  applied: 2 rows',
      '  inventory: 4 rows', '  deliveries: 3 rows', '  release_pins: 2 rows', '',
    ].join('\n'));
    expect(copy.stdout).toMatch(/^Copied sqlite:.*state\.db to postgres:\/\/pilot@127\.0\.0\.1:\d+\/pilot_migrate_state_\w+: 24 rows \(2 revisions, 3 runs, 2 actions, 6 jobs/);
    expect(copy.code).toBe(0);
    expect(copy.stdout + copy.stderr).not.toContain(passwordOf(url));
    expect(await sha256(file)).toBe(before);

    const sqlite = openSqliteStore(file);
    const postgres = await openStore(url);
    try {
      const expected = await reads(sqlite);
      expect(await reads(postgres)).toEqual(expected);
      expect(await postgres.lastApplied('shop', 'web')).toHaveProperty('waypointHcl', 'project = "shop"\napp "web" {}\n');
      expect((await postgres.inventory()).find((i) => i.name === 'orders')).toEqual(expect.objectContaining({ deletionProtection: true, declared }));
      const copiedIds = (await postgres.history.lastRuns(100)).map((r) => r.id);
      expect(await postgres.startRun('r3', 'poll')).toBeGreaterThan(Math.max(...copiedIds));
      await postgres.recordJob(job({ jobId: 'N1', runId: copiedIds[0]!, state: 'queued', queuedAt: '2026-03-01T10:00:06.000Z' }));
      // A job queued at the same moment as copied ones comes after them: the order numbers went on too.
      expect((await postgres.history.recentJobs(4)).map((j) => j.jobId)).toEqual(['D1', 'intent:7', 'N1', 'Q1']);
    } finally {
      await sqlite.close();
      await postgres.close();
    }

    const counts = await rowCounts(url);
    const again = await cli(['migrate-state', '--from', `sqlite:${file}`], { env: { PILOT_STATE_URL: url } });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/pilot migrate-state: the store postgres:\/\/pilot@.* is not empty \(revisions: 2 rows, runs: 4 rows, .*jobs: 7 rows.*\): state is copied only into an empty one/);
    expect(again.stderr).not.toContain(passwordOf(url));
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expect(await rowCounts(url)).toEqual(counts);
  });

  it('copies an empty state.db and prints JSON, the store named by PILOT_STATE_URL', async () => {
    const file = path.join(dir, 'empty', 'state.db');
    await openSqliteStore(file).close();
    const url = await freshDatabase('migrate_empty');
    const copy = await cli(['migrate-state', '--from', `sqlite:${file}`, '--format', 'json'], { env: { PILOT_STATE_URL: url } });
    expect(copy.code).toBe(0);
    const printed = JSON.parse(copy.stdout) as { from: string; to: string; tables: { table: string; rows: number }[] };
    expect(printed.from).toBe(`sqlite:${file}`);
    expect(printed.to).not.toContain(passwordOf(url));
    expect(printed.tables.map((t) => t.table)).toEqual(['revisions', 'runs', 'actions', 'jobs', 'applied', 'inventory', 'deliveries', 'release_pins']);
    expect(printed.tables.every((t) => t.rows === 0)).toBe(true);
    const store = await openStore(url);
    expect(await store.startRun('r1', 'poll')).toBe(1);
    await store.close();
  });

  it('copies nothing when one row cannot be copied, naming its table', async () => {
    const file = path.join(dir, 'bad-row', 'state.db');
    await writeState(file);
    const raw = new Database(file);
    raw.prepare("UPDATE jobs SET urls = '{not json' WHERE job_id = 'W1'").run();
    raw.close();
    const url = await freshDatabase('migrate_bad_row');
    const copy = await cli(['migrate-state', '--from', `sqlite:${file}`], { env: { PILOT_STATE_URL: url } });
    expect(copy.code).toBe(1);
    expect(copy.stderr).toMatch(/pilot migrate-state: copying jobs failed \(invalid input syntax for type json\); nothing was copied/);
    expect(Object.values(await rowCounts(url)).every((n) => n === 0)).toBe(true);
  });

  it('refuses a state.db at an older schema, leaving it as it was', async () => {
    const file = path.join(dir, 'older', 'state.db');
    mkdirSync(path.dirname(file), { recursive: true });
    const old = new Database(file);
    migrate(old, () => new Date(), migrations.slice(0, 3));
    old.close();
    const before = await sha256(file);
    const copy = await cli(['migrate-state', '--from', `sqlite:${file}`], { env: { PILOT_STATE_URL: await freshDatabase('migrate_older') } });
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain(`${file} is at schema 3, and this Pilot copies schema ${schemaVersion}: open it with this Pilot once first (e.g. pilot status --state-dir ${path.dirname(file)})`);
    expect(await sha256(file)).toBe(before);
  });

  it('says a missing state.db or an unreachable server is why nothing was copied, without the password', async () => {
    const missing = await cli(['migrate-state', '--from', `sqlite:${path.join(dir, 'nowhere', 'state.db')}`], { env: { PILOT_STATE_URL: await freshDatabase('migrate_missing') } });
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/cannot read .*nowhere\/state\.db/)]);

    const file = path.join(dir, 'unreachable', 'state.db');
    await openSqliteStore(file).close();
    const unreachable = await cli(['migrate-state', '--from', `sqlite:${file}`], { env: { PILOT_STATE_URL: 'postgres://pilot:s3cret-pw@127.0.0.1:1/pilot' } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot use the state store postgres:\/\/pilot@127\.0\.0\.1:1\/pilot \(.*ECONNREFUSED/);
    expect(unreachable.stderr).not.toContain('s3cret-pw');
  });

  it.each([
    ['no --from', ['--to', 'postgres://pilot:s3cret-pw@db/pilot'], {}, /give the state\.db to copy: --from sqlite:PATH/],
    ['a postgres URL as --from', ['--from', 'postgres://pilot:s3cret-pw@db/pilot', '--to', 'postgres://pilot:s3cret-pw@db/pilot'], {}, /--from takes a sqlite: URL .*not a postgres: URL/],
    ['a plain path as --from', ['--from', 'state.db', '--to', 'postgres://pilot@db/pilot'], {}, /--from takes a sqlite: URL .*not a plain path/],
    ['an in-memory --from', ['--from', 'sqlite::memory:', '--to', 'postgres://pilot@db/pilot'], {}, /--from names no state\.db file/],
    ['no --to, and no PILOT_STATE_URL', ['--from', 'sqlite:/tmp/state.db'], {}, /give the PostgreSQL store: --to postgres:\/\//],
    ['a mysql --to', ['--from', 'sqlite:/tmp/state.db', '--to', 'mysql://pilot:s3cret-pw@db/pilot'], {}, /--to takes a postgres:\/\/ URL, not a mysql: URL/],
    ['a --to that does not parse', ['--from', 'sqlite:/tmp/state.db', '--to', 'postgres://pilot:s3cret-pw@db:port/pilot'], {}, /--to: a postgres: store URL that does not parse/],
    ['a password in --to (the process list shows flags)', ['--from', 'sqlite:/tmp/state.db', '--to', 'postgres://pilot:s3cret-pw@db:5432/pilot'], {}, /--to holds a password, which the process list would show: give the whole URL as PILOT_STATE_URL/],
    ['a --to without a database', ['--from', 'sqlite:/tmp/state.db'], { PILOT_STATE_URL: 'postgres://pilot:s3cret-pw@db:5432' }, /--to: the store URL postgres:\/\/pilot@db:5432\/ names no database/],
  ])('calls %s wrong usage (exit 2), with no stack trace and no password', async (_name, argv, env, message) => {
    const result = await cli(['migrate-state', ...argv], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("Run 'pilot migrate-state --help' for usage.");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout + result.stderr).not.toContain('s3cret-pw');
  });

  it('is listed, and explains itself with --help', async () => {
    expect((await cli(['--help'])).stdout).toContain('migrate-state');
    const help = await cli(['migrate-state', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pilot migrate-state --from sqlite:PATH');
  });
});
