// `pilot apply --once`: converge Waypoint with the manifests, with live progress.

import { openRuntime } from '../../app/runtime.js';
import { reconcile } from '../../reconcile/reconcile.js';
import { isFailure, type ActionResult } from '../../reconciler/apply.js';
import { silentLogger } from '../../reconciler/logger.js';
import { formatPlan } from '../../reconciler/plan-text.js';
import { progressPrinter } from '../apply-progress.js';
import { wholeNumberOption, type Command } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import { paint, useColour, type Io } from '../io.js';
import { manifestFlags, readManifestInput } from '../manifest-input.js';
import { formatFlag, formatOf, printJson } from '../output.js';
import { printProblems } from '../problems.js';
import { cloudFlags, cloudHelp, settingsFrom, stateHelp, waypointFlags, waypointHelp } from '../settings-flags.js';

function summary(io: Io, results: readonly ActionResult[], jobsQueued: number): void {
  const p = paint(useColour(io));
  const count = (status: string) => results.filter((r) => r.status === status).length;
  io.stdout.write(`\n${count('done')} done, ${count('failed')} failed, ${count('blocked')} blocked, ${count('reported')} need attention; ${jobsQueued} job${jobsQueued === 1 ? '' : 's'} queued.\n`);
  for (const r of results) {
    const url = r.urls?.release ?? r.urls?.app ?? r.urls?.deploy;
    if (r.status === 'done' && url) io.stdout.write(`  ${r.target}  ${url}\n`);
  }
  for (const r of results.filter((x) => isFailure(x) || x.status === 'interrupted')) {
    io.stdout.write(p.red(`  ✗ ${r.id}: ${r.error ?? r.reasons.join('; ')}\n`));
    for (const line of r.lastLines ?? []) io.stdout.write(p.dim(`      | ${line}\n`));
  }
  for (const r of results.filter((x) => !isFailure(x) && (x.status === 'blocked' || x.status === 'unsupported' || x.status === 'reported'))) {
    io.stdout.write(p.yellow(`  ! ${r.id}: ${r.reasons.join('; ')}\n`));
  }
}

export const applyCommand: Command = {
  path: ['apply'],
  summary: 'converge Waypoint with the manifests once',
  maxPositionals: 1,
  options: { ...manifestFlags, ...waypointFlags, ...cloudFlags, once: { type: 'boolean' }, ...formatFlag, 'retry-failed': { type: 'boolean' }, concurrency: { type: 'string' } },
  help: `Usage: pilot apply [DIR | --repo URL --ref REF] --once [--format text|json] [options]

Plans (see pilot plan) and runs the plan: Waypoint projects and apps, app config,
and one 'up' job per app whose configuration or source commit changed, apps in
parallel (--concurrency, default 4), each after the apps it depends on. Shows
each step and the jobs' log lines, each prefixed with its app (project/app | line,
aligned; coloured only on a terminal). Running it again after it converged queues
nothing. Ctrl-C stops following; jobs go on in Waypoint and the next run follows
them instead of queueing again.

Options:
  --once                     run one reconcile and exit (the daemon is 'pilot serve')
  --format text|json         json: stdout holds one object (revision, outcome,
                             jobsQueued, actions, errors); progress goes to stderr
  --retry-failed             redeploy apps whose last deployment failed
  --concurrency N            apps deployed at once (default 4; PILOT_CONCURRENCY)
${stateHelp}

${waypointHelp}

${cloudHelp}

It takes the state directory's lock: it refuses to run while 'pilot serve' (or
another apply) uses the same state; with a daemon running, push to the tracked
branch or run 'pilot sync' instead.

Exit codes: 0 converged (or nothing to do), 1 invalid manifests, anything failed
or blocked, or the state in use; 2 wrong usage (an unknown flag, no --once, a
--concurrency that is not a whole number of 1 or more).

Example:
  pilot dev waypoint --port 9701 --token dev &
  PILOT_WAYPOINT_ADDR=127.0.0.1:9701 PILOT_WAYPOINT_TLS=off PILOT_WAYPOINT_TOKEN=dev pilot apply ./infra --once
`,
  async run(args, io) {
    const format = formatOf(args);
    // Without --once the user may expect a daemon: say where it is rather than run once silently.
    if (args.values.once !== true) throw new UsageError("pilot apply runs one reconcile: add --once (the daemon that keeps applying is 'pilot serve')");
    const flag = wholeNumberOption(args, 'concurrency', 1);
    const settings = settingsFrom(args, io, flag === undefined ? {} : { concurrency: flag });
    const input = await readManifestInput(args, io, settings.repository);
    const json = format === 'json';
    // Progress is for people: on stdout in text, on stderr in json, where stdout holds only the result.
    const progress = json ? io.stderr : io.stdout;
    const p = paint(useColour(io, progress));
    const onCloudProgress = (stack: string, message: string) => progress.write(p.dim(`      | ${stack}: ${message}\n`));
    const runtime = await openRuntime(settings, { command: 'pilot apply', lock: true, waypoint: true, onCloudProgress }, io.env as NodeJS.ProcessEnv);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      if (!runtime.waypoint) throw new UserError("apply needs a Waypoint server: set --waypoint or PILOT_WAYPOINT_ADDR (for a local one, run 'pilot dev waypoint')");
      if (!input.loaded.state) printProblems(io, input.loaded.problems);
      const apps = input.loaded.state?.projects.flatMap((project) => project.apps.map((app) => `${project.name}/${app.name}`)) ?? [];
      const printer = progressPrinter(progress, p, apps);
      let outcome: Awaited<ReturnType<typeof reconcile>>;
      try {
        outcome = await reconcile(
          {
            loaded: input.loaded, revision: input.revision, trigger: 'cli-apply', source: runtime.source(), store: runtime.store, clouds: runtime.clouds,
            waypoint: runtime.waypoint, logger: silentLogger, retryFailed: args.values['retry-failed'] === true,
          },
          {
            concurrency: settings.concurrency,
            signal: controller.signal,
            onProgress: printer,
          },
        );
      } catch (error) {
        // Machines asked for one JSON object: they get one, failures included.
        if (!json) throw error;
        const message = (error as Error).message;
        printJson(io, { revision: input.revision, outcome: 'error', jobsQueued: 0, actions: [], errors: [{ error: message }] });
        return exitCodes.failure;
      }
      const results = outcome.applied?.results ?? [];
      const jobsQueued = outcome.applied?.jobsQueued ?? 0;
      const errors = results.filter(isFailure);
      const ok = !outcome.invalid && errors.length === 0 && outcome.applied?.outcome !== 'interrupted';
      if (json) {
        printJson(io, { revision: outcome.revision, outcome: outcome.invalid ? 'invalid' : outcome.applied?.outcome, jobsQueued, actions: results, errors, ...(outcome.invalid ? { problems: input.loaded.problems } : {}) });
      } else if (outcome.invalid) {
        io.stderr.write(`pilot apply: the manifests at ${outcome.revision} are invalid; nothing was applied\n`);
      } else if (outcome.plan && outcome.plan.actions.length === 0) {
        io.stdout.write(formatPlan(outcome.plan));
        io.stdout.write('0 jobs queued.\n');
      } else {
        summary(io, results, jobsQueued);
        if (outcome.applied?.outcome === 'interrupted') io.stdout.write('interrupted: queued jobs go on in Waypoint; run apply again to follow them\n');
      }
      return ok ? exitCodes.ok : exitCodes.failure;
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      await runtime.close();
    }
  },
};
