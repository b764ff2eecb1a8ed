// Runs one git command through simple-git with a fixed environment and a deadline,
// keeping the exit code and stderr so that failures can be classified where they happen.
//
// Measured on simple-git 4.0.2 (git 2.39): its default error handling resolves a
// non-zero exit with an empty stderr as success (merge-base --is-ancestor -> 1,
// ls-remote --exit-code -> 2), so an `errors` hook records the exit code and stderr
// instead. `timeout.block` only counts silence and restarts on every progress line,
// so the deadline is an AbortSignal. On abort simple-git sends SIGINT to git alone:
// its transport helper (git-remote-http) is left orphaned, waiting on the silent
// server; the low-speed limit that git-auth sets makes that helper give up on its own.
// A command whose environment holds a secret runs through git-exec instead (see there).

import { simpleGit, type SimpleGitOptions } from 'simple-git';
import { execGit } from './git-exec.js';

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
  /** Receives each progress line git writes to stderr (pass --progress to get them without a terminal). */
  onProgress?: (line: string) => void;
  /** The environment holds a secret (a token): simple-git would print it in its debug log. */
  secret?: boolean;
}

/**
 * simple-git refuses guarded variables and configuration unless they are named. The
 * environment is git-auth's (which drops editors, pagers and askpass) over the
 * operator's own, whose GIT_CONFIG_* may rewrite URLs or allow protocols as
 * ~/.gitconfig may; no configuration ever comes from a manifest.
 */
function guards(env: NodeJS.ProcessEnv): Pick<SimpleGitOptions, 'allowEnvironment' | 'unsafe'> {
  return {
    allowEnvironment: Object.keys(env),
    unsafe: {
      allowUnsafeConfigEnvCount: true,
      allowUnsafeCredentialHelper: true,
      allowUnsafeSshCommand: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeUrlRewrite: true,
      allowUnsafeProtocolOverride: true,
    },
  };
}

/** Progress lines end in \r (a counter redrawn in place) or \n; a chunk may end mid-line. */
function reportLines(stream: NodeJS.ReadableStream, report: (line: string) => void): void {
  let partial = '';
  const emit = (line: string) => line.trim() && report(line.trim());
  stream.on('data', (chunk: Buffer | string) => {
    const lines = (partial + chunk.toString()).split(/[\r\n]/);
    partial = lines.pop() ?? '';
    lines.forEach(emit);
  });
  stream.on('end', () => emit(partial));
}

/** Never rejects: the caller decides what an exit code means (merge-base uses 1 for "no"). */
export async function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  const progress = options.onProgress;
  if (options.secret) return execGit(args, options, progress && ((stderr) => reportLines(stderr, progress)));
  const deadline = AbortSignal.timeout(options.timeoutMs);
  let ended: { code: number; stderr: string } | undefined;
  try {
    const git = simpleGit({
      baseDir: options.cwd,
      ...guards(options.env),
      abort: deadline,
      errors(error, result) {
        const code = typeof result.exitCode === 'number' && result.exitCode !== 0 ? result.exitCode : error ? -1 : 0;
        ended = { code, stderr: Buffer.concat(result.stdErr).toString('utf8') };
        return undefined;
      },
    }).env(options.env);
    if (progress) git.outputHandler((_command, _stdout, stderr) => reportLines(stderr, progress));
    const stdout = await git.raw([...args]);
    const code = ended?.code ?? 0;
    const timedOut = deadline.aborted && code !== 0;
    return { code: timedOut ? -1 : code, stdout, stderr: ended?.stderr ?? '', timedOut };
  } catch (error) {
    // Only refusals before git starts end here (a missing folder, a guarded variable or option).
    return { code: -1, stdout: '', stderr: error instanceof Error ? error.message : String(error), timedOut: false };
  }
}
