// `--format text|json`, shared by every command that prints results: in json, stdout
// holds exactly one JSON document; progress and notes go to stderr, and an error is a
// line on stderr (see run.ts) with nothing on stdout.

import { choiceOption, type Options, type ParsedArgs } from './command.js';
import type { Io } from './io.js';

export const formats = ['text', 'json'] as const;
export type Format = (typeof formats)[number];

export const formatFlag: Options = { format: { type: 'string' } };

/** The --format the command was given (text by default); anything else is a usage error. */
export function formatOf(args: ParsedArgs): Format {
  return choiceOption(args, 'format', formats, 'text');
}

/** The one JSON document of a --format json run. */
export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
