// Splits the command line into flag values. Every value comes from a rendered waypoint.hcl,
// so a value that looks like a flag is refused rather than guessed at.

import { UsageError } from './errors.js';

export const flagNames = [
  'provider', 'bucket', 'image', 'dir', 'image-path', 'region', 'distribution',
  'project', 'url-map', 'wait-timeout', 'poll-interval', 'concurrency',
] as const;

export type FlagName = (typeof flagNames)[number];
export type Flags = Partial<Record<FlagName, string>>;
export type ParsedArgs = { kind: 'help' } | { kind: 'flags'; flags: Flags };

function isFlagName(name: string): name is FlagName {
  return (flagNames as readonly string[]).includes(name);
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--help' || token === '-h') return { kind: 'help' };
    if (!token.startsWith('--')) throw new UsageError(`unexpected argument "${token}" (every value follows its --flag)`);
    const equals = token.indexOf('=');
    const name = token.slice(2, equals === -1 ? undefined : equals);
    if (!isFlagName(name)) throw new UsageError(`unknown flag --${name}`);
    let value: string | undefined;
    if (equals !== -1) value = token.slice(equals + 1);
    else value = argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    // "--bucket --delete" or "--bucket=-x": most likely a template rendered an empty or hostile value.
    if (value.startsWith('-')) throw new UsageError(`--${name} value "${value}" starts with "-"; refusing it`);
    if (value.trim() === '') throw new UsageError(`--${name} is empty`);
    if (flags[name] !== undefined) throw new UsageError(`--${name} is given twice`);
    flags[name] = value;
  }
  return { kind: 'flags', flags };
}
