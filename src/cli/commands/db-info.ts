// `pilot db info PROJECT/DB`: how to reach a database, read from its stack's outputs.
// The password only with --show-password, and never in JSON otherwise.

import { connectionOf, databaseProperty } from '../../drivers/outputs.js';
import { stackInputs } from '../../drivers/stack-inputs.js';
import type { Command } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import { manifestFlags, readManifestInput } from '../manifest-input.js';
import { formatFlag, formatOf, printJson } from '../output.js';
import { printProblems } from '../problems.js';
import { cloudsFor, stateDirOf } from '../../app/runtime.js';
import { cloudFlags, cloudHelp, settingsFrom, stateHelp } from '../settings-flags.js';

export const dbInfoCommand: Command = {
  path: ['db', 'info'],
  summary: 'show how to reach a database (host, port, user, database)',
  maxPositionals: 2,
  options: { ...manifestFlags, ...cloudFlags, 'show-password': { type: 'boolean' }, ...formatFlag },
  help: `Usage: pilot db info PROJECT/DB [DIR] [--show-password] [--format text|json]

Reads the database's connection from the Terraform outputs of its stack (the
project's resources in the database's provider and region): host, port, user and
database name. The password (and the URL, which holds it) are printed only with
--show-password; apps get them through Waypoint's config store, never a file.

Options:
  --show-password     also print the password and the postgres:// URL
  --format text|json  output (default text); json prints one object: database,
                      provider, region, host, port, user, name (and password, url)
${stateHelp}

${cloudHelp}

Exit codes: 0 printed, 1 no such database or its stack is not applied yet, 2 wrong usage.

Example:
  pilot db info shop/main ./infra
`,
  async run(args, io) {
    const format = formatOf(args);
    const [target, dir] = args.positionals;
    const match = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/.exec(target ?? '');
    if (!match) throw new UsageError('give the database as PROJECT/DB, e.g. shop/main');
    const [, projectName, dbName] = match as unknown as [string, string, string];
    const settings = settingsFrom(args, io);
    const input = await readManifestInput({ ...args, positionals: dir ? [dir] : [] }, io, settings.repository);
    if (!input.loaded.state) {
      printProblems(io, input.loaded.problems);
      throw new UserError(`the manifests at ${input.revision} are invalid: fix them first`);
    }
    const project = input.loaded.state.projects.find((p) => p.name === projectName);
    if (!project) throw new UserError(`no project ${projectName} in the manifests (projects: ${input.loaded.state.projects.map((p) => p.name).join(', ') || 'none'})`);
    const database = project.databases.find((d) => d.name === dbName);
    if (!database) throw new UserError(`project ${projectName} has no database ${dbName} (databases: ${project.databases.map((d) => d.name).join(', ') || 'none'})`);
    const clouds = cloudsFor(settings, stateDirOf(settings, io.env as NodeJS.ProcessEnv));
    if (clouds.mode === 'off') throw new UserError('clouds are off (--clouds / PILOT_CLOUDS): there is no stack to read');
    const stack = stackInputs(input.loaded.state).find((s) => s.project === projectName && s.provider === database.provider && s.region === database.region)!;
    const connection = connectionOf(await clouds.stackOutputs(stack), dbName);
    if (!connection) throw new UserError(`the stack ${stack.id} has no outputs for ${dbName} yet: run 'pilot apply' (or let the daemon converge), then try again`);
    const show = args.values['show-password'] === true;
    const facts = {
      database: `${projectName}/${dbName}`, provider: database.provider, region: database.region,
      host: connection.host, port: connection.port, user: connection.user, name: connection.database,
      ...(show ? { password: connection.password, url: databaseProperty(connection, 'url') } : {}),
    };
    if (format === 'json') {
      printJson(io, facts);
      return exitCodes.ok;
    }
    const lines = [
      `database  ${facts.database} (${facts.provider} ${facts.region})`,
      `host      ${facts.host}`,
      `port      ${facts.port}`,
      `user      ${facts.user}`,
      `name      ${facts.name}`,
      show ? `password  ${connection.password}` : 'password  (hidden: --show-password to print it)',
      ...(show ? [`url       ${facts.url}`] : []),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return exitCodes.ok;
  },
};
