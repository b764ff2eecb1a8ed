// Every store Pilot can open holds to one contract (test/support/store-contract.ts),
// each a line below (PostgreSQL on one database for the file, emptied before each
// case); and openStore refuses a URL it cannot open, without echoing a password.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PilotError } from '../src/reconciler/errors.js';
import { openStore } from '../src/store/index.js';
import { openMemoryStore } from './fakes/memory-store.js';
import { freshDatabase } from './support/postgres.js';
import { describeStoreContract } from './support/store-contract.js';

let dir: string;
let files = 0;
const freshFile = () => path.join(dir, `state-${(files += 1)}.db`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-store-contract-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeStoreContract('sqlite file', (now) => openStore(`sqlite:${freshFile()}`, { now }));
describeStoreContract('sqlite in memory', (now) => openStore('sqlite::memory:', { now }));
describeStoreContract('memory fake', async (now) => openMemoryStore(now));

let contractDatabase: string | undefined;
let cleaner: pg.Client | undefined;

afterAll(async () => {
  await cleaner?.end();
});

describeStoreContract('postgres', async (now) => {
  contractDatabase ??= await freshDatabase('contract');
  const store = await openStore(contractDatabase, { now });
  await emptyTables(contractDatabase);
  return store;
});

/**
 * Every table but the schema's version emptied: as good as a new database for the
 * contract, and much faster. The superuser's session skips the foreign keys' triggers
 * (session_replication_role), so the tables can go in any order.
 */
async function emptyTables(url: string): Promise<void> {
  if (!cleaner) {
    cleaner = new pg.Client({ connectionString: url });
    await cleaner.connect();
    await cleaner.query('SET session_replication_role = replica');
  }
  const { rows } = await cleaner.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'");
  await cleaner.query(rows.map((row) => `DELETE FROM "${row.name}";`).join(' '));
}

describe('openStore', () => {
  it('opens a sqlite: URL and describes it as given', async () => {
    const file = freshFile();
    const store = await openStore(`sqlite:${file}`);
    await store.close();
    expect(store.describe).toBe(`sqlite:${file}`);
  });

  it.each(['postgres', 'postgresql'])('opens a %s:// URL and describes it without its password', async (scheme) => {
    const url = new URL(await freshDatabase('open'));
    const store = await openStore(`${scheme}://${url.username}:${url.password}@${url.host}${url.pathname}`);
    await store.close();
    expect(store.describe).toBe(`${scheme}://${url.username}@${url.host}${url.pathname}`);
    expect(store.shared).toBeDefined();
  });

  it.each([
    ['an unknown scheme', 'mysql://pilot@db.internal/pilot', /scheme "mysql".*Pilot knows sqlite:/],
    ['a postgres URL that does not parse, showing nothing past its scheme', 'postgres://u:secret@h:port/db?password=secret', /a postgres: store URL that does not parse/],
    ['a postgres URL without a host', 'postgresql:///pilot?password=secret', /postgresql:\/\/:5432\/pilot names no host/],
    ['a postgres URL without a database', 'postgres://u:secret@db.internal:5432/?password=secret', /postgres:\/\/u@db\.internal:5432\/ names no database/],
    ['a sqlite URL with an empty path', 'sqlite://', /names no file/],
    ['no scheme', 'state.db', /"state\.db"/],
    ['a sqlite URL without a file', 'sqlite:', /names no file/],
  ])('refuses %s as store.bad-url', async (_name, url, message) => {
    const refused = await openStore(url).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(PilotError);
    expect(refused).toMatchObject({ kind: 'stalled', code: 'store.bad-url' });
    expect((refused as PilotError).message).toMatch(message);
    expect((refused as PilotError).message).not.toContain('secret');
  });
});
