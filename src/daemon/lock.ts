// One daemon per state directory: a lock file holding the owner's pid.

import { openSync, readFileSync, rmSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PilotError } from '../reconciler/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or explains who holds it; a lock left by a dead process is taken over. */
export function lockStateDir(dir: string): { release(): void } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'daemon.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new PilotError('stalled', 'daemon.locked', `another pilot daemon (pid ${pid}) already uses ${dir}; stop it first, or give this one its own --state-dir`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new PilotError('stalled', 'daemon.locked', `cannot lock ${dir}`);
}
