// Opens the SQLite file with the settings the store relies on.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PilotError } from '../reconciler/errors.js';

const inMemory = ':memory:';

/**
 * Creates the directory (0700) and the file (0600) when missing, so that only the
 * owner can read the history; SQLite gives the -wal and -shm files the same mode.
 */
export function openDatabase(file: string): Database.Database {
  if (file !== inMemory) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  try {
    configure(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function configure(db: Database.Database, file: string): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal' && file !== inMemory) {
    throw new PilotError(
      'stalled',
      'store.no-wal',
      `${file} cannot use SQLite's write-ahead log (journal mode ${String(mode)}); keep PILOT_HOME on a local disk`,
    );
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * Runs `write` with every commit synced to disk. With WAL and synchronous=NORMAL a
 * commit survives a crash of the process but not of the machine; this closes the gap
 * for the writes that must never be lost.
 */
export function withFullSync<T>(db: Database.Database, write: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
