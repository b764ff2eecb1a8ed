// `pilot secret set|list PROJECT/APP`: secrets live only in Waypoint's config store.

import { WaypointClient } from '../../waypoint/client/client.js';
import type { Command, ParsedArgs } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import type { Io } from '../io.js';
import { settingsFrom, waypointFlags, waypointHelp } from '../settings-flags.js';

function target(value: string | undefined): { project: string; app: string } {
  const match = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/.exec(value ?? '');
  if (!match) throw new UsageError('name the app as PROJECT/APP, e.g. acme/api');
  return { project: match[1]!, app: match[2]! };
}

async function connect(args: ParsedArgs, io: Io): Promise<WaypointClient> {
  const connection = settingsFrom(args, io).waypoint;
  if (!connection) throw new UserError('set --waypoint or PILOT_WAYPOINT_ADDR (or waypoint.address in --config): secrets are stored in Waypoint');
  return WaypointClient.connect(connection);
}

async function readAll(io: Io): Promise<string> {
  if (io.stdin.isTTY) io.stderr.write('Type the value, then press Ctrl-D (it is not shown in any log):\n');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export const secretSetCommand: Command = {
  path: ['secret', 'set'],
  summary: 'store a secret for an app (the value is read from standard input)',
  maxPositionals: 2,
  options: { ...waypointFlags },
  help: `Usage: pilot secret set PROJECT/APP NAME [options] < value

Reads the value from standard input (never from the command line, where it
would show in the process list and shell history) and stores it in Waypoint's
config store for the app. Declare it in pilot.yaml as  NAME: { secret: true }.

${waypointHelp}

Exit codes: 0 stored, 1 empty value or Waypoint error, 2 wrong usage.

Example:
  printf %s "$STRIPE_KEY" | pilot secret set acme/api STRIPE_KEY
`,
  async run(args, io) {
    const { project, app } = target(args.positionals[0]);
    const name = args.positionals[1];
    if (!name || !/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new UsageError('give the variable name in upper case, e.g. STRIPE_KEY');
    const value = await readAll(io);
    if (value === '') throw new UserError('the value on standard input is empty: nothing was stored');
    const client = await connect(args, io);
    try {
      await client.setAppConfig(project, app, { [name]: { kind: 'static', value } });
      io.stdout.write(`stored ${name} for ${project}/${app}\n`);
      return exitCodes.ok;
    } finally {
      client.close();
    }
  },
};

export const secretListCommand: Command = {
  path: ['secret', 'list'],
  summary: "list the names of an app's stored config (never values)",
  maxPositionals: 1,
  options: { ...waypointFlags },
  help: `Usage: pilot secret list PROJECT/APP [options]

Lists the names in Waypoint's config store for the app. Values are never shown.

${waypointHelp}

Exit codes: 0 listed, 1 Waypoint error, 2 wrong usage.
`,
  async run(args, io) {
    const { project, app } = target(args.positionals[0]);
    const client = await connect(args, io);
    try {
      const config = await client.getAppConfig(project, app);
      for (const [name, value] of Object.entries(config).sort(([a], [b]) => a.localeCompare(b))) {
        io.stdout.write(`${name}${value.kind === 'dynamic' ? ` (from ${value.from})` : ''}\n`);
      }
      return exitCodes.ok;
    } finally {
      client.close();
    }
  },
};
