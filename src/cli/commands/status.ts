// `pilot status`: the last runs and jobs, from the state store.

import { choiceOption, type Command } from '../command.js';
import { exitCodes } from '../errors.js';
import { stateDirOf } from '../../app/runtime.js';
import { openStore, stateDbPath, stateStoreUrl } from '../../store/index.js';
import { settingsFrom, stateFlags, stateHelp } from '../settings-flags.js';
import { existsSync } from 'node:fs';
import { UsageError, UserError } from '../errors.js';

export const statusCommand: Command = {
  path: ['status'],
  summary: 'show the last reconciles and jobs, from the state store',
  maxPositionals: 0,
  options: { ...stateFlags, format: { type: 'string' }, limit: { type: 'string' } },
  help: `Usage: pilot status [--format text|json] [--limit N] [--state-dir DIR]

Prints the last reconcile runs (revision, outcome, when) and the latest jobs
(app, state, URL or error) recorded in the state store. Reads nothing live.

Options:
  --format text|json   output (default text)
  --limit N            how many runs and jobs (default 10)
${stateHelp}

Exit codes: 0 shown, 1 no state store yet, 2 wrong usage.
`,
  async run(args, io) {
    const format = choiceOption(args, 'format', ['text', 'json'] as const, 'text');
    const limit = Number(args.values.limit ?? 10);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit takes a whole number of 1 or more, not ${JSON.stringify(args.values.limit)}`);
    const dir = stateDirOf(settingsFrom(args, io), io.env as NodeJS.ProcessEnv);
    const file = stateDbPath(dir);
    if (!existsSync(file)) throw new UserError(`no state at ${file} yet: run 'pilot apply --once' first (or pass --state-dir)`);
    const store = await openStore(stateStoreUrl(dir));
    try {
      const runs = await store.history.lastRuns(limit);
      const jobs = await store.history.recentJobs(limit);
      const inventory = await store.inventory();
      if (format === 'json') {
        io.stdout.write(`${JSON.stringify({ runs, jobs, inventory }, null, 2)}\n`);
        return exitCodes.ok;
      }
      io.stdout.write(`State: ${file}\n\nRuns:\n`);
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
