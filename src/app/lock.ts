// One writer per state directory: `pilot serve` and `pilot apply` both take this lock
// before they write state, so two never reconcile the same state side by side. The
// lock file holds the owner's pid and command; one left by a dead process is taken over.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PilotError } from '../reconciler/errors.js';

export interface StateLock {
  release(): void;
}

export const lockFileName = 'daemon.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** pid and command of the lock's owner; older locks hold the pid alone. */
function owner(file: string): { pid: number; command: string } {
  const [pid, command] = readFileSync(file, 'utf8').split('\n');
  return { pid: Number(pid?.trim()), command: command?.trim() || 'pilot serve' };
}

function refusal(dir: string, holder: { pid: number; command: string }, command: string): PilotError {
  const advice = command === 'pilot serve' ? 'stop it first, or give this one its own --state-dir' : 'let it apply (push to the tracked branch, or run pilot sync), stop it first, or use another --state-dir';
  return new PilotError('stalled', 'state.locked', `${dir} is in use by ${holder.command} (pid ${holder.pid}); ${advice}`);
}

/** Takes the lock for `command` (e.g. "pilot apply") or explains who holds it. */
export function lockStateDir(dir: string, command = 'pilot serve'): StateLock {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, lockFileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n${command}\n`);
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = owner(file);
      if (Number.isInteger(holder.pid) && holder.pid > 0 && alive(holder.pid)) throw refusal(dir, holder, command);
      rmSync(file, { force: true });
    }
  }
  throw new PilotError('stalled', 'state.locked', `cannot lock ${dir}`);
}
