// `pilot migrate-state --from sqlite:PATH --to postgres://...`: one daemon's state.db
// copied into an empty PostgreSQL store, the move to several daemons sharing one.

import path from 'node:path';
import { isPilotError } from '../../reconciler/errors.js';
import { parsePostgresUrl } from '../../store/index.js';
import { stringOption, type Command, type ParsedArgs } from '../command.js';
import { exitCodes, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { formatFlag, formatOf, printJson } from '../output.js';

export const migrateStateCommand: Command = {
  path: ['migrate-state'],
  summary: 'copy a state.db into an empty PostgreSQL store, for several daemons',
  maxPositionals: 0,
  options: { from: { type: 'string' }, to: { type: 'string' }, ...formatFlag },
  help: `Usage: pilot migrate-state --from sqlite:PATH [--to postgres://USER@HOST:5432/DB] [--format text|json]

Copies everything a daemon recorded in its state.db (runs and their actions, jobs,
what was applied, the inventory, release pins, webhook deliveries) into an empty
PostgreSQL database, in one transaction: all of it, or nothing. state.db is only
read; stop the daemon that writes it first. The database's tables are made when
missing; a database that already holds Pilot state is refused.

Options:
  --from sqlite:PATH    the state.db to copy, e.g. sqlite:/home/pilot/.pilot/state.db
  --to URL              the PostgreSQL store, postgres:// or postgresql:// (default
                        $PILOT_STATE_URL). A URL with a password is refused here
                        (the process list shows flags): give the whole URL as
                        PILOT_STATE_URL, or the password as PGPASSWORD or in ~/.pgpass
  --format text|json    output (default text); json prints one object: from, to and
                        the rows copied per table

Progress goes to stderr, a line per table.

Exit codes: 0 copied, 1 nothing copied (the store is not empty or cannot be reached,
state.db cannot be read or is at another schema), 2 wrong usage.

Example:
  PILOT_STATE_URL=postgres://pilot:...@db.internal:5432/pilot \\
    pilot migrate-state --from sqlite:/home/pilot/.pilot/state.db
`,
  async run(args, io) {
    const format = formatOf(args);
    const file = sourceFile(args, io);
    const url = targetUrl(args, io);
    const where = parsePostgresUrl(url).describe;
    io.stderr.write(`Copying sqlite:${file} to ${where}\n`);
    // The PostgreSQL driver is loaded by the one command that needs it, not by every command.
    const { migrateState } = await import('../../store/migrate-state.js');
    const copy = await migrateState(file, url, { onTable: (table, rows) => io.stderr.write(`  ${table}: ${rows} ${rows === 1 ? 'row' : 'rows'}\n`) });
    if (format === 'json') {
      printJson(io, copy);
      return exitCodes.ok;
    }
    const total = copy.tables.reduce((sum, t) => sum + t.rows, 0);
    io.stdout.write(`Copied ${copy.from} to ${copy.to}: ${total} rows (${copy.tables.map((t) => `${t.rows} ${t.table}`).join(', ')}).\n`);
    io.stdout.write('Point the daemons at it (PILOT_STATE_URL, or state.url in pilot.config.yaml), then start them.\n');
    return exitCodes.ok;
  },
};

/** The state.db of --from; only its scheme is ever echoed, as another URL there may hold a password. */
function sourceFile(args: ParsedArgs, io: Io): string {
  const from = stringOption(args, 'from');
  if (!from) throw new UsageError('give the state.db to copy: --from sqlite:PATH');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(from)?.[1];
  if (scheme?.toLowerCase() !== 'sqlite') {
    throw new UsageError(`--from takes a sqlite: URL (sqlite:/path/to/state.db), not ${scheme ? `a ${scheme}: URL` : 'a plain path'}`);
  }
  const file = from.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (!file || file === '//' || file === ':memory:') throw new UsageError('--from names no state.db file: use sqlite:/path/to/state.db');
  return path.resolve(io.cwd, file);
}

function targetUrl(args: ParsedArgs, io: Io): string {
  const to = stringOption(args, 'to') ?? io.env.PILOT_STATE_URL;
  if (!to) throw new UsageError('give the PostgreSQL store: --to postgres://USER@HOST:5432/DATABASE (or set PILOT_STATE_URL)');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(to)?.[1];
  if (!/^postgres(ql)?$/i.test(scheme ?? '')) {
    throw new UsageError(`--to takes a postgres:// URL, not ${scheme ? `a ${scheme}: URL` : 'a plain path'}`);
  }
  let secrets: readonly string[];
  try {
    secrets = parsePostgresUrl(to).secrets;
  } catch (error) {
    if (isPilotError(error)) throw new UsageError(`--to: ${error.message}`);
    throw error;
  }
  // As every command: no secret from a flag, since the process list shows flags.
  if (stringOption(args, 'to') !== undefined && secrets.length > 0) {
    throw new UsageError('--to holds a password, which the process list would show: give the whole URL as PILOT_STATE_URL instead (or the password as PGPASSWORD, or in ~/.pgpass)');
  }
  return to;
}
