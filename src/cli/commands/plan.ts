// `pilot plan`: what apply would do, against a live Waypoint or the state store's record.

import { planJson } from '../../reconciler/plan-text.js';
import { formatPlan } from '../../reconciler/plan-text.js';
import { attentionKinds, type Plan } from '../../reconciler/plan-types.js';
import { renderComment, type PlanSection } from '../../sources/github/comment/index.js';
import { reportProblems, type Problem } from '../../sources/manifests/problem.js';
import { openRuntime } from '../../app/runtime.js';
import { reconcile } from '../../reconcile/reconcile.js';
import { silentLogger } from '../../reconciler/logger.js';
import { choiceOption, type Command } from '../command.js';
import { formatFlag, formats, printJson } from '../output.js';
import { exitCodes } from '../errors.js';
import { manifestFlags, readManifestInput } from '../manifest-input.js';
import type { Io } from '../io.js';
import { printProblems } from '../problems.js';
import { cloudFlags, cloudHelp, settingsFrom, stateHelp, waypointFlags, waypointHelp } from '../settings-flags.js';

export const planCommand: Command = {
  path: ['plan'],
  summary: 'show what apply would change, and why',
  maxPositionals: 1,
  options: { ...manifestFlags, ...waypointFlags, ...cloudFlags, ...formatFlag, 'retry-failed': { type: 'boolean' } },
  help: `Usage: pilot plan [DIR | --repo URL --ref REF] [--format text|json|markdown] [options]

Loads the manifests (DIR; or a repository at a ref; with neither, the manifest
repository of --config or PILOT_REPO_URL, else the current directory), resolves each app's source to a commit, compares with what runs and prints
one line per action: + create, ~ change, - destroy, ! needs attention.
With a Waypoint address it compares with the live server; without one, with the
state store's record of the last apply (and says so). Nothing is changed.

Options:
  --repo URL --ref REF       plan a manifest repository at a branch, tag or commit
  --format text|json|markdown
                             output (default text); json is one versioned object
                             (version: 1): outcome (planned or invalid), revision,
                             counts, actions, offline, or the problems of invalid
                             manifests; markdown is the pull request comment
                             (problems as file:line:col)
  --retry-failed             plan to redeploy apps whose last deployment failed
${stateHelp}

${waypointHelp}

${cloudHelp}

Exit codes: 0 planned; 1 invalid manifests, or a plan that needs a person (a
missing secret, a source that cannot be read, a cloud that could not be planned, a
plan refused for a protected database, a failed deployment not retried), or an error;
2 wrong usage.

Example:
  PILOT_WAYPOINT_ADDR=localhost:9701 PILOT_WAYPOINT_TOKEN=... pilot plan ./infra
`,
  async run(args, io) {
    const format = choiceOption(args, 'format', [...formats, 'markdown'] as const, 'text');
    const settings = settingsFrom(args, io);
    const input = await readManifestInput(args, io, settings.repository);
    if (!input.loaded.state) {
      if (format === 'markdown') printMarkdown(io, { outcome: 'invalid', revision: input.revision, problems: input.loaded.problems, notes: [] });
      else printProblems(io, input.loaded.problems);
      if (format === 'json') printJson(io, { version: 1, revision: input.revision, outcome: 'invalid', actions: [], problems: input.loaded.problems });
      io.stderr.write(`pilot plan: the manifests at ${input.revision} are invalid; nothing would be applied\n`);
      return exitCodes.failure;
    }
    const runtime = await openRuntime(settings, { command: 'pilot plan', waypoint: true }, io.env as NodeJS.ProcessEnv);
    try {
      const outcome = await reconcile(
        {
          loaded: input.loaded, revision: input.revision, trigger: 'cli-plan', source: runtime.source(), store: runtime.store, clouds: runtime.clouds,
          ...(runtime.waypoint ? { waypoint: runtime.waypoint } : {}), logger: silentLogger, retryFailed: args.values['retry-failed'] === true, readOnly: true,
        },
        { planOnly: true },
      );
      const plan = outcome.plan!;
      // A plan that cannot do all the manifests ask (anything needing a person) fails, as a pull request's check does.
      const failed = plan.actions.some((a) => attentionKinds.has(a.kind));
      const code = failed ? exitCodes.failure : exitCodes.ok;
      if (format === 'json') {
        printJson(io, { ...planJson(plan), outcome: 'planned', offline: outcome.offline });
        return code;
      }
      if (format === 'markdown') {
        const notes = outcome.offline ? [`Planned against the state store's record in ${runtime.store.describe}: no Waypoint address given, so live state was not checked.`] : [];
        printMarkdown(io, { outcome: 'planned', revision: input.revision, plan, problems: input.loaded.problems, notes });
        return code;
      }
      if (outcome.offline) io.stdout.write(`(planned against the state store's record in ${runtime.store.describe}: no Waypoint address given, so live state was not checked)\n`);
      io.stdout.write(formatPlan(plan));
      return code;
    } finally {
      await runtime.close();
    }
  },
};

/** The plan as the pull request comment shows it, without links (there is no repository URL here). */
function printMarkdown(io: Io, section: { outcome: 'planned' | 'invalid'; revision: string; plan?: Plan; problems: readonly Problem[]; notes: string[] }): void {
  const plan: PlanSection = {
    outcome: section.outcome, revision: section.revision, ...(section.plan ? { plan: section.plan } : {}), errors: [], notes: section.notes, plannedAt: new Date().toISOString(),
    problems: reportProblems(section.problems),
  };
  io.stdout.write(`${renderComment({ plan }).join('\n\n')}\n`);
}
