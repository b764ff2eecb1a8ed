// A damaged state.db: opening the store names the file and the way out, and the
// commands that read it (`pilot status`, `pilot apply`) end with that message, exit 1.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PilotError } from '../src/reconciler/errors.js';
import { openStore, stateDbPath, stateStoreUrl } from '../src/store/index.js';
import { cli } from './support/cli.js';
import { createManifestRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { manifestFiles } from './support/reconcile-manifests.js';

afterAll(async () => {
  await removeTemporaryFolders();
});

const garbage = 'not a database: some bytes a full disk or a bad copy left behind. '.repeat(64);

async function homeWith(contents: string | Buffer): Promise<string> {
  const home = await temporaryFolder('pilot-corrupt-');
  await mkdir(home, { recursive: true });
  await writeFile(stateDbPath(home), contents);
  return home;
}

/** A real state.db whose table pages were overwritten: the header still reads. */
async function homeWithDamagedPages(): Promise<string> {
  const home = await temporaryFolder('pilot-damaged-');
  const store = await openStore(stateStoreUrl(home));
  await store.close();
  const db = new Database(stateDbPath(home));
  db.pragma('journal_mode = DELETE');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.close();
  await rm(`${stateDbPath(home)}-wal`, { force: true });
  const bytes = Buffer.alloc(pageSize * pages);
  (await readFile(stateDbPath(home))).copy(bytes, 0, 0, pageSize);
  bytes.fill(0x5a, pageSize);
  await writeFile(stateDbPath(home), bytes);
  return home;
}

function expectWayOut(stderr: string, command: string, file: string): void {
  expect(stderr).toContain(`${command}: ${file} is damaged`);
  expect(stderr).toContain(`move it aside with its -wal and -shm files (mv ${file} ${file}.damaged) and run again`);
  expect(stderr).not.toContain('internal error');
  expect(stderr).not.toContain('please report this');
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('a damaged state.db', () => {
  it('is refused by openStore with a PilotError naming the file', async () => {
    for (const home of [await homeWith(garbage), await homeWithDamagedPages()]) {
      const error = await openStore(stateStoreUrl(home)).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(PilotError);
      expect((error as PilotError).code).toBe('store.damaged');
      expect((error as PilotError).message).toContain(stateDbPath(home));
    }
  });

  it('ends pilot status with the way out, exit 1', async () => {
    const home = await homeWith(garbage);
    const result = await cli(['status'], { env: { PILOT_HOME: home, NO_COLOR: '1' } });
    expect(result.code).toBe(1);
    expectWayOut(result.stderr, 'pilot status', stateDbPath(home));
  });

  it('ends pilot apply --once with the way out, exit 1', async () => {
    const home = await homeWith(garbage);
    const manifests = await createManifestRepo(manifestFiles({ name: 'cd', apps: [{ name: 'web', repo: 'file:///nowhere/web.git', platform: 'ecs' }] }));
    // Nothing listens there: the store is opened, and refused, before Waypoint is dialled.
    const env = { PILOT_HOME: home, NO_COLOR: '1', PILOT_WAYPOINT_ADDR: '127.0.0.1:9', PILOT_WAYPOINT_TLS: 'off', PILOT_WAYPOINT_TOKEN: 't', PILOT_CLOUDS: 'off' };
    const result = await cli(['apply', manifests.dir, '--once'], { env });
    expect(result.code, result.stdout).toBe(1);
    expectWayOut(result.stderr, 'pilot apply', stateDbPath(home));
  });
});
