// `pilot status`: the last runs and jobs, from the state store.

import { wholeNumberOption, type Command } from '../command.js';
import { exitCodes, UserError } from '../errors.js';
import { stateDirOf, storeUrlOf } from '../../app/runtime.js';
import { openStore, stateDbPath } from '../../store/index.js';
import { settingsFrom, stateFlags, stateHelp } from '../settings-flags.js';
import { existsSync } from 'node:fs';
import { formatFlag, formatOf, printJson } from '../output.js';

export const statusCommand: Command = {
  path: ['status'],
  summary: 'show the last reconciles and jobs, from the state store',
  maxPositionals: 0,
  options: { ...stateFlags, ...formatFlag, limit: { type: 'string' } },
  help: `Usage: pilot status [--format text|json] [--limit N] [--state-dir DIR]

Prints the last reconcile runs (revision, outcome, when) and the latest jobs
(app, state, URL or error) recorded in the state store. Reads nothing live.

Options:
  --format text|json   output (default text); json prints one object: runs, jobs
                       and inventory (and leader, on a shared PostgreSQL store)
  --limit N            how many runs and jobs (default 10)
${stateHelp}

Exit codes: 0 shown, 1 no state store yet, 2 wrong usage.
`,
  async run(args, io) {
    const format = formatOf(args);
    const limit = wholeNumberOption(args, 'limit', 1) ?? 10;
    const settings = settingsFrom(args, io);
    const dir = stateDirOf(settings, io.env as NodeJS.ProcessEnv);
    // A SQLite store that is not there yet is not made by reading it.
    const sqliteFile = settings.stateUrl ? /^sqlite:(?!:memory:)(?:\/\/(?=\/))?(.+)$/i.exec(settings.stateUrl)?.[1] : undefined;
    const file = sqliteFile ?? stateDbPath(dir);
    if ((!settings.stateUrl || sqliteFile) && !existsSync(file)) throw new UserError(`no state at ${file} yet: run 'pilot apply --once' first (or pass --state-dir)`);
    const store = await openStore(storeUrlOf(settings, dir));
    try {
      const runs = await store.history.lastRuns(limit);
      const jobs = await store.history.recentJobs(limit);
      const inventory = await store.inventory();
      const lease = await store.shared?.leadership.lease();
      if (format === 'json') {
        printJson(io, { runs, jobs, inventory, ...(lease ? { leader: lease } : {}) });
        return exitCodes.ok;
      }
      io.stdout.write(`State: ${settings.stateUrl && !sqliteFile ? store.describe : file}\n`);
      if (lease) io.stdout.write(`Leader: ${lease.holder} (generation ${lease.generation}, since ${lease.acquiredAt}, renewed ${lease.renewedAt})\n`);
      io.stdout.write('\nRuns:\n');
      for (const run of runs) io.stdout.write(`  #${run.id} ${run.revision.slice(0, 12)} ${run.outcome ?? 'running'} ${run.startedAt} (${run.trigger})\n`);
      if (runs.length === 0) io.stdout.write('  none yet\n');
      io.stdout.write('\nJobs:\n');
      for (const job of jobs) {
        const detail = job.error ? job.error.split('\n')[0] : (job.urls?.release ?? job.urls?.app ?? '');
        io.stdout.write(`  ${job.project}/${job.app} ${job.kind} ${job.state} ${job.commit.slice(0, 7)} ${job.jobId} ${detail}\n`);
      }
      if (jobs.length === 0) io.stdout.write('  none yet\n');
      io.stdout.write(`\nManaged: ${inventory.filter((i) => i.kind === 'app').length} apps, ${inventory.filter((i) => i.kind === 'database').length} databases\n`);
      return exitCodes.ok;
    } finally {
      await store.close();
    }
  },
};
