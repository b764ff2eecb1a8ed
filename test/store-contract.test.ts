// Every store Pilot can open holds to one contract (test/support/store-contract.ts),
// each a line below; and openStore refuses a URL it cannot open, without echoing a
// password.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PilotError } from '../src/reconciler/errors.js';
import { openStore } from '../src/store/index.js';
import { openMemoryStore } from './fakes/memory-store.js';
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

describe('openStore', () => {
  it('opens a sqlite: URL and describes it as given', async () => {
    const file = freshFile();
    const store = await openStore(`sqlite:${file}`);
    await store.close();
    expect(store.describe).toBe(`sqlite:${file}`);
  });

  it.each([
    ['an unknown scheme', 'mysql://pilot@db.internal/pilot', /scheme "mysql".*Pilot knows sqlite:/],
    ['a postgres URL, not yet known, showing nothing past its scheme', 'postgres://u:p@ss@h/db?password=secret', /scheme "postgres"/],
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
