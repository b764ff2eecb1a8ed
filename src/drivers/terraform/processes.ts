// Is a process still there (and still the same one)? Linux /proc where it exists, kill(pid, 0) elsewhere.

import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessId {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  start?: string;
}

/** /proc/<pid>/stat: state is field 3, group field 5, starttime field 22; the command name before may hold spaces. */
function stat(pid: number | string): { state: string; group: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', group: fields[2] ?? '', start: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

export function processId(pid: number): ProcessId {
  const start = stat(pid)?.start;
  return start ? { pid, start } : { pid };
}

export function isAlive(id: ProcessId): boolean {
  if (!Number.isInteger(id.pid) || id.pid <= 0) return false;
  try {
    process.kill(id.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = stat(id.pid);
  if (!now) return true;
  // A zombie has finished; a different start time means the pid was reused.
  if (now.state === 'Z' || now.state === 'X') return false;
  return id.start === undefined || id.start === now.start;
}

/**
 * Signals a whole process group. Never throws: it runs in event handlers, and a group
 * already gone (ESRCH) is the usual case, not an error.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Gone already, or not ours to signal: nothing more we can do.
  }
}

/**
 * Whether any process of the group still runs. Zombies do not count: an orphan killed
 * here is reaped by init, which may take a second, and it no longer does anything.
 */
export function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    // No /proc: ask the kernel about the group as a whole, zombies included.
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  return entries.some((pid) => {
    const now = stat(pid);
    return now !== undefined && now.group === String(pgid) && now.state !== 'Z' && now.state !== 'X';
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
