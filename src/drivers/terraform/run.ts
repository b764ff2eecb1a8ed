// Runs one terraform command: no shell, its own process group (so a timeout can stop
// terraform and whatever it started), stdout as lines or whole, stderr's tail.

import { spawn } from 'node:child_process';
import { missingBinary, timedOut, type CommandContext } from './errors.js';
import { delay, groupAlive, signalGroup } from './processes.js';

export interface RunOptions {
  binary: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  killGraceMs: number;
  context: CommandContext;
  /** Each stdout line as it comes (terraform's -json UI); then stdout is not kept. */
  onLine?: (line: string) => void;
  /** Called with terraform's pid once it runs, e.g. to note it in the stack lock. */
  onStart?: (pid: number) => void;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Empty when `onLine` took the lines. May hold secrets (output, show): never log it. */
  stdout: string;
  /** The last part of stderr, for error summaries. */
  stderr: string;
}

const stderrKept = 64 * 1024;
/** After terraform exits, how long its pipes may stay open (held by a straggler) before we stop reading. */
const closeWaitMs = 2000;

export function runTerraform(options: RunOptions): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(options.binary, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own group: on a timeout the whole group is killed, provisioner children too
      // (terraform stops on SIGTERM but leaves e.g. a local-exec `sleep` behind).
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    let timedOutAfter: number | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (!options.onLine) {
        stdout += chunk;
        return;
      }
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrKept);
    });

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      if (error.code === 'ENOENT') reject(missingBinary(options.binary, 'was not found', options.context));
      else if (error.code === 'EACCES') reject(missingBinary(options.binary, 'cannot be run (permission denied)', options.context));
      else reject(error);
    });

    child.on('spawn', () => {
      if (child.pid !== undefined) options.onStart?.(child.pid);
      timers.push(
        setTimeout(() => {
          timedOutAfter = options.timeoutMs;
          // terraform itself first: it stops gracefully and saves what state it has.
          child.kill('SIGTERM');
          timers.push(setTimeout(() => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL'), options.killGraceMs));
        }, options.timeoutMs),
      );
    });

    child.on('exit', (code, signal) => {
      exit = { code, signal };
      timers.forEach(clearTimeout);
      // Whatever terraform left in its group is an orphan now.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      timers.push(setTimeout(() => finish(), closeWaitMs));
    });
    child.on('close', () => finish());

    const finish = () => {
      if (settled || !exit) return;
      settled = true;
      timers.forEach(clearTimeout);
      child.stdout.destroy();
      child.stderr.destroy();
      if (partial !== '' && options.onLine) options.onLine(partial);
      const result = { exitCode: exit.code, signal: exit.signal, stdout, stderr };
      if (timedOutAfter === undefined) {
        resolve(result);
        return;
      }
      const error = timedOut(options.context, timedOutAfter);
      void groupGone(child.pid).then(() => reject(error));
    };
  });
}

/** Waits (briefly) until no process of the group is left, so a caller sees a clean slate. */
async function groupGone(pgid: number | undefined): Promise<void> {
  if (pgid === undefined) return;
  for (let i = 0; i < 40 && groupAlive(pgid); i++) await delay(25);
}
