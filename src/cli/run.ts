// Entry of the CLI: picks the command, handles --help/--version, maps errors to exit codes.

import { ConfigError } from '../app/setting-values.js';
import { readFileSync } from 'node:fs';
import { parseCommandArgs, type Command } from './command.js';
import { commands } from './commands/index.js';
import { exitCodes, UsageError, UserError } from './errors.js';
import type { Io } from './io.js';
import { isPilotError } from '../reconciler/errors.js';

export function pilotVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function commandLines(list: readonly Command[]): string[] {
  const width = Math.max(...list.map((c) => c.path.join(' ').length));
  return list.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
}

function globalHelp(): string {
  const lines = commandLines(commands);
  return [
    'pilot: GitOps for apps on AWS and GCP, through HashiCorp Waypoint.',
    '',
    'Usage: pilot <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     show help (also after a command: pilot validate --help)',
    '  -V, --version  print the version',
    '',
    'Commands that print results take --format text|json; json prints one JSON',
    'document on stdout (progress and errors go to stderr).',
    '',
    'Exit codes: 0 success; 1 the command found a problem (invalid manifests, a plan',
    'that needs a person, a failed apply) or failed; 2 wrong usage (an unknown flag,',
    "a flag's value that is not valid, a missing argument).",
    '',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  let found: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!found || command.path.length > found.command.path.length)) {
      found = { command, rest: argv.slice(command.path.length) };
    }
  }
  return found;
}

function groupHelp(word: string): string | undefined {
  const members = commands.filter((c) => c.path.length > 1 && c.path[0] === word);
  if (members.length === 0) return undefined;
  return [`Usage: pilot ${word} <${members.map((c) => c.path[1]).join('|')}> [options]`, '', ...commandLines(members), ''].join('\n');
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    io.stderr.write(globalHelp());
    return exitCodes.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(globalHelp());
    return exitCodes.ok;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${pilotVersion()}\n`);
    return exitCodes.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = groupHelp(first);
    if (group) {
      const askedForHelp = argv[1] === '--help' || argv[1] === '-h';
      (askedForHelp ? io.stdout : io.stderr).write(group);
      return askedForHelp ? exitCodes.ok : exitCodes.usage;
    }
    io.stderr.write(`pilot: unknown command ${JSON.stringify(first)}. Run 'pilot --help' for the list of commands.\n`);
    return exitCodes.usage;
  }
  const { command, rest } = found;
  const name = `pilot ${command.path.join(' ')}`;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return exitCodes.ok;
  }
  try {
    return await command.run(parseCommandArgs(command, rest), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${name}: ${error.message}\nRun '${name} --help' for usage.\n`);
      return exitCodes.usage;
    }
    if (error instanceof UserError || error instanceof ConfigError || isPilotError(error)) {
      io.stderr.write(`${name}: ${error.message}\n`);
      return exitCodes.failure;
    }
    const detail = io.env.PILOT_DEBUG ? `\n${(error as Error).stack ?? ''}` : '\n(set PILOT_DEBUG=1 for details, and please report this)';
    io.stderr.write(`${name}: internal error: ${(error as Error).message ?? String(error)}${detail}\n`);
    return exitCodes.failure;
  }
}
