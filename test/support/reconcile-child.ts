// `pilot` as a child process (node --import tsx src/main.ts), with its output watched
// line by line so a test can kill it at a chosen moment.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PilotChild {
  readonly process: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved as received. */
  readonly output: () => string;
  readonly exited: Promise<Exit>;
  /**
   * Resolves once `check(output)` holds (checked on every output and every 25 ms, so it
   * may look at other state too); rejects if the process ends first or after `timeoutMs`.
   */
  waitFor(check: (output: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** SIGKILL, then waits for the process to be gone. */
  kill9(): Promise<Exit>;
}

const running = new Set<ChildProcess>();

export function spawnPilot(args: readonly string[], env: Record<string, string>): PilotChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const wake of [...waiters]) wake();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
      for (const wake of [...waiters]) wake();
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));

  return {
    process: child,
    output: () => output,
    exited,
    waitFor(check, what, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; output:\n${output}`)), timeoutMs);
        const poll = setInterval(() => wake(), 25);
        const finish = (error?: Error) => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(wake);
          if (error) reject(error);
          else resolve();
        };
        const wake = () => {
          if (check(output)) finish();
          else if (gone || child.exitCode !== null || child.signalCode !== null) finish(new Error(`pilot exited before ${what}; output:\n${output}`));
        };
        waiters.add(wake);
        wake();
      });
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Kills every child still running (for afterAll, when a test failed half-way). */
export async function killAllChildren(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}
