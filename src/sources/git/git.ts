// The one way Pilot runs git: every command of the daemon, the CLI and the demo goes
// through `openGit`, which gives it the credentials (as git-auth builds them), a
// deadline, progress lines, and errors classified by git-failure with no secret in them.
// The operations (ls-remote, clone, commit, the revision of a folder) sit beside it.
// Commands run on simple-git, except those whose environment holds a token (git-exec
// says why).

import os from 'node:os';
import type { PilotError } from '../../reconciler/errors.js';
import { authSecrets, gitEnvironment, splitCredentials, type GitAuth } from './git-auth.js';
import { runGit, type GitResult } from './git-command.js';
import { gitFailure, scrub } from './git-failure.js';

export type { GitAuth } from './git-auth.js';
export type { GitResult } from './git-command.js';

export interface GitSetup {
  /** Where git runs; default the temporary folder (for commands that need no repository). */
  cwd?: string;
  /** The remote the commands talk to: only its origin gets the token, and errors name it without credentials. */
  url?: string;
  auth?: GitAuth;
  /** Deadline of each command. Default 120 s. */
  timeoutMs?: number;
  /** Receives git's progress lines (clone and fetch report them with --progress). */
  onProgress?: (line: string) => void;
  /** Where an operator sets the credentials, for error messages. Default: the daemon configuration. */
  credentials?: string;
  /** Added to the environment, e.g. GIT_DIR to pin a clone. */
  env?: NodeJS.ProcessEnv;
  /** The environment to start from. Default: this process's. */
  base?: NodeJS.ProcessEnv;
}

export interface Git {
  /** The remote without credentials: safe to store, log and show. */
  readonly url: string;
  /** The remote as messages name it: no credentials, no user name. */
  readonly shown: string;
  /** Runs one command; never rejects: the caller decides what an exit code means. */
  run(args: readonly string[]): Promise<GitResult>;
  /** Runs one command and returns its stdout, or throws the classified error. */
  must(args: readonly string[], action: string, ref?: string): Promise<string>;
  /** The classified error of a failed command (source.unauthorized, source.repo-not-found, ...). */
  failure(result: GitResult, action: string, ref?: string): PilotError;
}

export const defaultTimeoutMs = 120_000;

/** Credentials in `setup.url` move into the auth; they never reach a command line. */
export function openGit(setup: GitSetup = {}): Git {
  const split = setup.url === undefined ? undefined : splitCredentials(setup.url);
  const auth: GitAuth = { ...setup.auth };
  if (auth.token === undefined && split?.password !== undefined) auth.token = split.password;
  if (auth.username === undefined && split?.username !== undefined) auth.username = split.username;
  const timeoutMs = setup.timeoutMs ?? defaultTimeoutMs;
  const env = { ...gitEnvironment(auth, split?.url, setup.base, timeoutMs / 1000), ...setup.env };
  const secrets = [...authSecrets(auth), ...(split?.password ? [split.password] : [])];
  const url = split?.url ?? '';
  const options = { cwd: setup.cwd ?? os.tmpdir(), env, timeoutMs, secret: secrets.length > 0, ...(setup.onProgress ? { onProgress: setup.onProgress } : {}) };
  const failure = (result: GitResult, action: string, ref?: string) =>
    gitFailure(result, { action, url, secrets, timeoutMs, ...(setup.credentials ? { credentials: setup.credentials } : {}), ...(ref ? { ref } : {}) });
  return {
    url,
    shown: scrub(url, secrets),
    run: (args) => runGit(args, options),
    async must(args, action, ref) {
      const result = await runGit(args, options);
      if (result.code !== 0) throw failure(result, action, ref);
      return result.stdout;
    },
    failure,
  };
}
