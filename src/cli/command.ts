// The shape of a CLI command, and parsing of its flags with clear usage errors.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  /** Words that select it: ['validate'] or ['new', 'app']. */
  path: string[];
  summary: string;
  /** Full --help text. */
  help: string;
  options: Options;
  /** Most positionals accepted. */
  maxPositionals: number;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
    if (positionals.length > command.maxPositionals) {
      throw new UsageError(`unexpected argument ${JSON.stringify(positionals[command.maxPositionals])}`);
    }
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // node:util's messages name the flag; drop its advice about "--" which confuses more than it helps.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message);
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const value = stringOption(args, name);
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** A whole-number flag within [min, max], or undefined when it is not given; anything else is a usage error. */
export function wholeNumberOption(args: ParsedArgs, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} takes a whole number ${range}, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** The flags that describe a new project, shared by `init` and `new project`. */
export const projectFlags: Options = {
  name: { type: 'string' },
  provider: { type: 'string' },
  region: { type: 'string' },
  'gcp-project': { type: 'string' },
};
