// A state.db of its own for each test of the SQLite store, in a nested temporary
// directory (so opening must create it), closed and removed after the test.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { openSqliteStore, stateDbPath, type SqliteStore, type SqliteStoreOptions } from '../../src/store/index.js';

export interface SqliteFile {
  /** This test's state.db (it may not exist yet). */
  readonly path: string;
  /** Opens the store on it; closed after the test. */
  open(options?: SqliteStoreOptions): SqliteStore;
  /** A plain second connection to it, as another process would have; closed after the test. */
  raw(): Database.Database;
  /** Closes `handle` after the test. */
  track<T extends { close(): unknown }>(handle: T): T;
}

/** Registers the hooks that give each test of the calling file its own state.db. */
export function useSqliteFile(): SqliteFile {
  let dir = '';
  let file = '';
  const opened: { close(): unknown }[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-store-'));
    file = stateDbPath(path.join(dir, 'home', 'nested'));
  });

  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
    await rm(dir, { recursive: true, force: true });
  });

  const track = <T extends { close(): unknown }>(handle: T): T => {
    opened.push(handle);
    return handle;
  };
  return {
    get path() {
      return file;
    },
    open: (options = {}) => track(openSqliteStore(file, options)),
    raw: () => track(new Database(file)),
    track,
  };
}
