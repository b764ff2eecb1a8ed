// One writer per state directory: `pilot serve` and `pilot apply` both take this lock
// before they write state. It is SQLite's lock on daemon.lock.db, held for the life of
// the process: the kernel drops it when the process dies, so no lock is ever stale and
// none is taken over. daemon.lock beside it only says who holds it, for the refusal.

import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PilotError } from '../reconciler/errors.js';

export interface StateLock {
  release(): void;
}

/** Who holds the lock (pid and command), written once it is taken: informative only. */
export const lockFileName = 'daemon.lock';
/** What is locked: an empty SQLite database, never written. */
export const lockDatabaseName = 'daemon.lock.db';

interface Holder {
  pid: number;
  command: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(dir: string): Holder | undefined {
  try {
    const [pid, command] = readFileSync(path.join(dir, lockFileName), 'utf8').split('\n');
    const holder = { pid: Number(pid?.trim()), command: command?.trim() || 'pilot serve' };
    return Number.isInteger(holder.pid) && holder.pid > 0 && alive(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** The holder as daemon.lock names it; one that took the lock this instant gets a moment to write it. */
function holderOf(dir: string): Holder | undefined {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < 20; attempt++) {
    const holder = readHolder(dir);
    if (holder) return holder;
    Atomics.wait(pause, 0, 0, 10);
  }
  return undefined;
}

function refusal(dir: string, holder: Holder | undefined, command: string): PilotError {
  const advice = command === 'pilot serve' ? 'stop it first, or give this one its own --state-dir' : 'let it apply (push to the tracked branch, or run pilot sync), stop it first, or use another --state-dir';
  const who = holder ? `${holder.command} (pid ${holder.pid})` : 'another Pilot process';
  return new PilotError('stalled', 'state.locked', `${dir} is in use by ${who}; ${advice}`);
}

/**
 * Creates the file, owner-only, when missing. An existing one is never opened here: POSIX
 * locks belong to the process, and closing any descriptor of the file would drop the lock
 * this process may hold on it through SQLite.
 */
function createOwnerOnly(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function writeHolder(dir: string, command: string): void {
  const file = path.join(dir, lockFileName);
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, `${process.pid}\n${command}\n`, { mode: 0o600 });
  renameSync(partial, file);
}

/** Tries to take the lock: a few times over ~0.2 s while SQLite says busy, then gives up. */
const attempts = 8;

/**
 * No journal: nothing is written. The open exclusive transaction is the lock; a second
 * taker, in this process or another, gets SQLITE_BUSY. Busy is asked again a few times:
 * takers starting at the same instant can each hold a step of SQLite's lock (one reading
 * the journal mode, another waiting to write) and each be refused, leaving nobody holding
 * it. After a short random pause one of them gets it; a real holder stays busy throughout.
 */
function takeExclusive(db: Database.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= attempts) throw error;
      Atomics.wait(pause, 0, 0, 5 + Math.floor(Math.random() * 45));
    }
  }
}

/**
 * Takes the lock for `command` (e.g. "pilot apply") or explains who holds it. Held until
 * release() or the end of the process: keep the returned lock.
 */
export function lockStateDir(dir: string, command = 'pilot serve'): StateLock {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, lockDatabaseName);
  createOwnerOnly(file);
  const db = new Database(file, { timeout: 0 });
  try {
    takeExclusive(db);
    writeHolder(dir, command);
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw refusal(dir, holderOf(dir), command);
    throw error;
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      // daemon.lock goes while the lock is still held, so it never removes the next holder's.
      rmSync(path.join(dir, lockFileName), { force: true });
      db.close();
    },
  };
}
