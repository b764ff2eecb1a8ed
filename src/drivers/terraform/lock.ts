// One terraform command at a time per stack across processes: a lock file created with
// O_EXCL, holding the owner's pid (and terraform's, while one runs). A lock whose
// processes are all gone is stale and taken over.

import { randomBytes } from 'node:crypto';
import { linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, closeSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../reconciler/logger.js';
import { lockedByProcess } from './errors.js';
import { delay, isAlive, processId, type ProcessId } from './processes.js';

export const lockFileName = 'pilot.lock';

interface LockContent {
  pid: number;
  start?: string;
  /** When the lock was taken (ISO time), for messages. */
  since: string;
  /** Ours alone: release removes the file only while it still holds this. */
  token: string;
  /** The terraform process running under this lock, if any. */
  command?: ProcessId;
}

export interface HeldLock {
  /** True when a stale lock was taken over: the last holder died mid-command. */
  readonly tookOver: boolean;
  /** Notes (or clears) the terraform pid, so a waiter knows terraform still runs after we die. */
  noteCommand(pid: number | undefined): void;
  release(): void;
}

export interface LockOptions {
  stack: string;
  /** The operation waiting, for the error message. */
  command: string;
  waitMs: number;
  logger: Logger;
}

const pollMs = 100;
/** A lock file with no readable content yet is being written; after this long it is garbage. */
const unreadableGraceMs = 5000;

export async function acquireStackLock(dir: string, options: LockOptions): Promise<HeldLock> {
  const file = path.join(dir, lockFileName);
  const started = Date.now();
  let tookOver = false;
  for (;;) {
    const content: LockContent = { ...processId(process.pid), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    if (create(file, content)) return held(file, content, tookOver);
    const holder = readHolder(file);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' || isLive(holder)) {
      const waited = Date.now() - started;
      if (waited >= options.waitMs) throw lockedByProcess({ stack: options.stack, command: options.command }, describe(holder), waited);
      await delay(pollMs);
      continue;
    }
    if (takeOver(file, holder.raw)) {
      tookOver = true;
      options.logger.warn(
        { stack: options.stack, pid: holder.content.pid, since: holder.content.since, terraformPid: holder.content.command?.pid },
        'took over a stale terraform stack lock',
      );
    }
  }
}

function create(file: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

type Holder = { raw: string; content: LockContent } | 'unreadable' | 'gone';

function readHolder(file: string): Holder {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const content = JSON.parse(raw) as LockContent;
    if (Number.isInteger(content.pid)) return { raw, content };
  } catch {
    // Fall through: being written, or garbage.
  }
  try {
    // Garbage that nobody is writing any more: treat as a dead holder.
    if (Date.now() - statSync(file).mtimeMs > unreadableGraceMs) return { raw, content: { pid: 0, since: 'unknown', token: '' } };
  } catch {
    return 'gone';
  }
  return 'unreadable';
}

function isLive(holder: { content: LockContent }): boolean {
  const { pid, start, command } = holder.content;
  return isAlive({ pid, ...(start ? { start } : {}) }) || (command !== undefined && isAlive(command));
}

function describe(holder: Holder): string {
  if (typeof holder === 'string') return 'its lock file is being written';
  const { pid, since, command } = holder.content;
  const running = command && isAlive(command) ? `, terraform (pid ${command.pid}) still running` : '';
  return `locked by process ${pid} since ${since}${running}`;
}

/**
 * Removes a stale lock without ever removing a fresh one: the file is first moved
 * aside (atomic), then checked to be the stale one we read. If another process took
 * it over in between, we moved its live lock: put it back (link fails rather than
 * overwrite if a third has created one since).
 */
function takeOver(file: string, staleRaw: string): boolean {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    // Unreadable: treat as not ours to restore.
  }
  if (moved !== staleRaw) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone created a new lock meanwhile; the one we moved cannot be restored.
    }
  }
  rmSync(aside, { force: true });
  return moved === staleRaw;
}

function held(file: string, content: LockContent, tookOver: boolean): HeldLock {
  let released = false;
  const stillOurs = () => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as LockContent).token === content.token;
    } catch {
      return false;
    }
  };
  return {
    tookOver,
    noteCommand(pid) {
      if (released) return;
      const { command: _previous, ...rest } = content;
      const next: LockContent = pid === undefined ? rest : { ...rest, command: processId(pid) };
      // Replaced whole (rename), so a reader never sees half a file.
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(temporary, JSON.stringify(next), { mode: 0o600 });
        renameSync(temporary, file);
      } catch {
        // The lock stays valid without the note; a waiter then only sees our pid.
      }
    },
    release() {
      if (released) return;
      released = true;
      if (stillOurs()) rmSync(file, { force: true });
    },
  };
}
