// Runs one git command with a fixed environment and a deadline, keeping the exit
// code and stderr so that failures can be classified where they happen.

import { execFile } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The deadline passed and the process was killed. */
  timedOut: boolean;
}

export interface GitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Never rejects: the caller decides what an exit code means (merge-base uses 1 for "no"). */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        const code = failure ? (typeof failure.code === 'number' ? failure.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || failure?.message || ''), timedOut: Boolean(failure?.killed) });
      },
    );
  });
}
