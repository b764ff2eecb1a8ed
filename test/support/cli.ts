// Runs the CLI in-process with captured output: the real commands, no mocks.

import { PassThrough } from 'node:stream';
import type { Prompter, PromptingIo } from '../../src/cli/prompts.js';
import { runCli } from '../../src/cli/run.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory the command sees (default: the test process's). */
  cwd?: string;
  /** Environment the command sees; nothing leaks in from the test process. */
  env?: Record<string, string>;
  /** Whether stdin, stdout and stderr look like a terminal. */
  tty?: boolean;
  /** What the command reads on stdin (default: nothing, never closed). */
  stdin?: string;
  /** Answers for prompts, instead of a terminal. */
  prompter?: Prompter;
}

export async function cli(argv: string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  if (options.stdin !== undefined) stdin.end(options.stdin);
  const io: PromptingIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false },
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    prompter: options.prompter,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
