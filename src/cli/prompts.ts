// The prompting seam: commands take values from flags first, then ask a Prompter, and
// only when stdin is a terminal. Tests hand in a scripted Prompter on the Io.

import { Writable } from 'node:stream';
import { builtInProviders, type ProviderRegistry } from '../drivers/registry.js';
import type { Provider } from '../reconciler/desired-state.js';
import { UsageError, UserError } from './errors.js';
import type { Io, Output } from './io.js';

export interface Choice<T extends string> {
  value: T;
  name?: string;
  description?: string;
}

export interface Prompter {
  input(message: string, options?: { default?: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T extends string>(message: string, choices: readonly Choice<T>[], options?: { default?: T }): Promise<T>;
  confirm(message: string, options?: { default?: boolean }): Promise<boolean>;
}

/** An Io that may carry its own Prompter (tests); otherwise a terminal gets inquirer's. */
export interface PromptingIo extends Io {
  prompter?: Prompter;
}

/**
 * Where a prompt draws. Inquirer ends its output when a prompt is done; the process's own
 * stderr ignores that, any other Output gets a fresh stream per prompt that forwards to it.
 */
function promptOutput(out: Output): NodeJS.WritableStream {
  if (out === process.stderr || out === process.stdout) return out as NodeJS.WritableStream;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      out.write(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY: out.isTTY, columns: (out as { columns?: number }).columns ?? 80 });
}

/** Inquirer's prompts on the command's own streams; the questions go to stderr, so stdout stays clean. */
export function inquirerPrompter(io: Io): Prompter {
  const context = () => ({ input: io.stdin, output: promptOutput(io.stderr) });
  const load = () => import('@inquirer/prompts');
  return {
    async input(message, options = {}) {
      const { input } = await load();
      const answer = await ask(() => input({ message, default: options.default, required: true, validate: options.validate }, context()));
      return answer.trim();
    },
    async select(message, choices, options = {}) {
      const { select } = await load();
      const list = choices.map((c) => ({ value: c.value, name: c.name ?? c.value, description: c.description }));
      return ask(() => select({ message, choices: list, default: options.default }, context()));
    },
    async confirm(message, options = {}) {
      const { confirm } = await load();
      return ask(() => confirm({ message, default: options.default }, context()));
    },
  };
}

async function ask<T>(prompt: () => Promise<T>): Promise<T> {
  try {
    return await prompt();
  } catch (error) {
    // Ctrl-C or a closed stdin: stop quietly, having written nothing.
    if ((error as Error).name === 'ExitPromptError' || (error as Error).name === 'AbortPromptError') {
      throw new UserError('cancelled; nothing was written');
    }
    throw error;
  }
}

/** The Prompter to ask missing values with, or undefined when stdin is not a terminal. */
export function prompterFor(io: Io): Prompter | undefined {
  if (io.stdin.isTTY !== true) return undefined;
  return (io as PromptingIo).prompter ?? inquirerPrompter(io);
}

/** A value from its flag, else from the prompter, else a usage error naming the flag. */
export async function need<T>(
  flag: string,
  given: T | undefined,
  prompter: Prompter | undefined,
  ask: (p: Prompter) => Promise<T>,
  why = '',
): Promise<T> {
  if (given !== undefined) return given;
  if (!prompter) throw new UsageError(`missing --${flag}${why ? `: ${why}` : ''} (stdin is not a terminal, so pilot cannot ask for it)`);
  return ask(prompter);
}

/** Fails with one usage error naming every missing flag, when there is no terminal to ask. */
export function requireFlags(prompter: Prompter | undefined, missing: readonly string[], note = ''): void {
  if (prompter || missing.length === 0) return;
  const flags = missing.map((f) => `--${f}`).join(', ');
  throw new UsageError(`missing ${flags} (stdin is not a terminal, so pilot cannot ask for ${missing.length === 1 ? 'it' : 'them'})${note}`);
}

/** For a validate callback: true, or the message a prompt shows until the answer is fixed. */
export function check(pattern: RegExp, message: string): (value: string) => true | string {
  return (value) => (pattern.test(value.trim()) ? true : message);
}

/** What prompts accept; the manifest checks stay the authority for flags. */
export const patterns = {
  name: /^[a-z]([a-z0-9-]{0,28}[a-z0-9])?$/,
  region: /^[a-z]{2,}(-[a-z]+)+-?[0-9]+$/,
  repo: /^(https:\/\/\S+|ssh:\/\/\S+|git@[^\s:]+:\S+|file:\/\/\/\S*)$/,
};

/** The registered clouds, as a prompt offers them. */
export function providerChoices(providers: ProviderRegistry = builtInProviders): Choice<Provider>[] {
  return providers.all.map((p) => ({ value: p.name, name: p.displayName }));
}
