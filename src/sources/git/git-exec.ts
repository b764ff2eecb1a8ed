// The one exception to simple-git: a git command whose environment holds a secret (a
// repository token) runs through execFile. Measured on simple-git 4.0.2: with
// DEBUG=simple-git:* (its documented troubleshooting switch) it prints each child's
// spawn options, the whole environment included, and so the Authorization header
// that carries the token; nothing in its options turns that off for one call.

import { execFile } from 'node:child_process';
import type { GitOptions, GitResult } from './git-command.js';

/** Never rejects; progress lines reach `report` as git writes them. */
export function execGit(args: readonly string[], options: GitOptions, report?: (stream: NodeJS.ReadableStream) => void): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        const code = failure ? (typeof failure.code === 'number' ? failure.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || failure?.message || ''), timedOut: Boolean(failure?.killed) });
      },
    );
    if (report && child.stderr) report(child.stderr);
  });
}
