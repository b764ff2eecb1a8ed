// `pilot secret set|list PROJECT/APP`: secrets live only in Waypoint's config store.

import type { Settings } from '../../app/settings.js';
import { WaypointClient } from '../../waypoint/client/client.js';
import type { Command, ParsedArgs } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import type { Io } from '../io.js';
import { unknownApp } from '../known-app.js';
import { manifestFlags, readManifestInput } from '../manifest-input.js';
import { formatFlag, formatOf, printJson } from '../output.js';
import { settingsFrom, waypointFlags, waypointHelp } from '../settings-flags.js';

function target(value: string | undefined): { project: string; app: string } {
  const match = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/.exec(value ?? '');
  if (!match) throw new UsageError('name the app as PROJECT/APP, e.g. acme/api');
  return { project: match[1]!, app: match[2]! };
}

function waypointOf(settings: Settings): NonNullable<Settings['waypoint']> {
  if (!settings.waypoint) throw new UserError('set --waypoint or PILOT_WAYPOINT_ADDR (or waypoint.address in --config): secrets are stored in Waypoint');
  return settings.waypoint;
}

async function readAll(io: Io): Promise<string> {
  if (io.stdin.isTTY) io.stderr.write('Type the value, then press Ctrl-D (it is not shown in any log):\n');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * Refuses an app the manifests do not declare: a value stored under a misspelt name is
 * never deployed, and nothing would say so. Checked before the value is asked for.
 */
async function requireDeclared(args: ParsedArgs, io: Io, settings: Settings, project: string, app: string): Promise<void> {
  const dir = args.positionals[2];
  const input = await readManifestInput({ ...args, positionals: dir ? [dir] : [] }, io, settings.repository);
  const force = 'or give --force to store it without this check';
  if (!input.loaded.state) {
    throw new UserError(`the manifests at ${input.root} are invalid, so pilot cannot check that they declare ${project}/${app} ('pilot validate' says why); nothing was stored: fix them, ${force}`);
  }
  if (input.loaded.files === 0) {
    throw new UserError(`no manifests at ${input.root}, so pilot cannot check that they declare ${project}/${app}; nothing was stored: run this in the manifest repository, give DIR or --repo URL, ${force}`);
  }
  const why = unknownApp(input.loaded.state, project, app);
  if (why) throw new UserError(`${why}\nNothing was stored (manifests read at ${input.root}): fix the name, or give --force to set the secret before the manifest declares the app`);
}

export const secretSetCommand: Command = {
  path: ['secret', 'set'],
  summary: 'store a secret for an app (the value is read from standard input)',
  maxPositionals: 3,
  options: { ...manifestFlags, ...waypointFlags, force: { type: 'boolean' }, ...formatFlag },
  help: `Usage: pilot secret set PROJECT/APP NAME [DIR | --repo URL --ref REF] [--force]
                        [--format text|json] [options] < value

Reads the value from standard input (never from the command line, where it
would show in the process list and shell history) and stores it in Waypoint's
config store for the app. Declare it in pilot.yaml as  NAME: { secret: true }.

The app must be declared in the manifests (DIR; or a repository at a ref; with
neither, the manifest repository of --config or PILOT_REPO_URL, else the current
directory): a misspelt PROJECT/APP is refused, with the names near it, before the
value is read, and nothing is stored.

Options:
  --force              store it without checking the manifests (to set a secret
                       before the manifest that declares the app lands)
  --repo URL --ref REF read the manifests of a repository at a branch, tag or commit
  --format text|json   output (default text); json prints one object:
                       { "project", "app", "name" } (never the value)

${waypointHelp}

Exit codes: 0 stored; 1 the app is not in the manifests (or they are invalid or
missing), an empty value, or a Waypoint error; 2 wrong usage.

Example:
  printf %s "$STRIPE_KEY" | pilot secret set acme/api STRIPE_KEY ./infra
`,
  async run(args, io) {
    const { project, app } = target(args.positionals[0]);
    const name = args.positionals[1];
    if (!name || !/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new UsageError('give the variable name in upper case, e.g. STRIPE_KEY');
    const format = formatOf(args);
    const settings = settingsFrom(args, io);
    const connection = waypointOf(settings);
    if (args.values.force !== true) await requireDeclared(args, io, settings, project, app);
    const value = await readAll(io);
    if (value === '') throw new UserError('the value on standard input is empty: nothing was stored');
    const client = await WaypointClient.connect(connection);
    try {
      await client.setAppConfig(project, app, { [name]: { kind: 'static', value } });
      if (format === 'json') printJson(io, { project, app, name });
      else io.stdout.write(`stored ${name} for ${project}/${app}\n`);
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
  options: { ...waypointFlags, ...formatFlag },
  help: `Usage: pilot secret list PROJECT/APP [--format text|json] [options]

Lists the names in Waypoint's config store for the app. Values are never shown.

Options:
  --format text|json   output (default text); json prints one object:
                       { "project", "app", "config": [{ "name", "kind", "from"? }] }

${waypointHelp}

Exit codes: 0 listed, 1 Waypoint error, 2 wrong usage.
`,
  async run(args, io) {
    const { project, app } = target(args.positionals[0]);
    const format = formatOf(args);
    const client = await WaypointClient.connect(waypointOf(settingsFrom(args, io)));
    try {
      const config = await client.getAppConfig(project, app);
      // Names and where dynamic values come from; a value itself never leaves this function.
      const names = Object.entries(config)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, kind: value.kind, ...(value.kind === 'dynamic' ? { from: value.from } : {}) }));
      if (format === 'json') {
        printJson(io, { project, app, config: names });
        return exitCodes.ok;
      }
      for (const entry of names) io.stdout.write(`${entry.name}${entry.from ? ` (from ${entry.from})` : ''}\n`);
      return exitCodes.ok;
    } finally {
      client.close();
    }
  },
};
