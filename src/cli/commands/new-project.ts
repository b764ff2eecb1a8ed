// `pilot new project [DIR]`: appends a Project document to a manifest, keeping the file as written.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { builtInProviders } from '../../drivers/registry.js';
import type { Provider } from '../../reconciler/desired-state.js';
import { addProject } from '../../sources/manifests/edit.js';
import type { ProjectManifest } from '../../sources/manifests/manifest.gen.js';
import { stringOption, projectFlags, type Command } from '../command.js';
import { exitCodes, UserError } from '../errors.js';
import { formatFlag, formatOf } from '../output.js';
import { check, need, prompterFor, patterns, providerChoices } from '../prompts.js';
import { edit, manifestPath, optionalChoice, printResult, readRepository, writeChecked } from './new-shared.js';

export const newProjectCommand: Command = {
  path: ['new', 'project'],
  summary: 'add a project to a pilot.yaml (comments and layout are kept)',
  maxPositionals: 1,
  options: {
    ...projectFlags,
    file: { type: 'string' },
    ...formatFlag,
  },
  help: `Usage: pilot new project [DIR] --name NAME [--provider aws|gcp] [--region REGION]
                         [--gcp-project ID] [--file FILE] [--format text|json]

Appends a Project document (after a --- line) to DIR/pilot.yaml, creating the
file if it is missing. Everything already in the file stays as written. The
project's defaults (provider, region, GCP project) are written only when given.

Nothing is written when a project of that name exists anywhere under DIR, or
when the repository, with the change, would not validate ('pilot validate').

When --name is missing and stdin is a terminal, pilot asks for it, and then
for the provider, region and GCP project that were not given.

Options:
  --name NAME          project name: lower case letters, digits, dashes (required)
  --provider aws|gcp   defaults.provider (default: not set)
  --region REGION      defaults.region, e.g. us-east-1 or us-central1 (default: not set)
  --gcp-project ID     defaults.gcpProject, for gcp (default: not set)
  --file FILE          manifest to append to, relative to DIR (default pilot.yaml);
                       must be named pilot.yaml or NAME.pilot.yaml
  --format text|json   output (default text); json prints { "file", "project" }
  -h, --help           show this help

Exit codes: 0 added, 1 not added (name taken, invalid result), 2 wrong usage
(including a missing --name when stdin is not a terminal).

Example:
  pilot new project . --name shop --provider gcp --region europe-west1 --gcp-project shop-prod
`,
  async run(args, io) {
    const format = formatOf(args);
    const dir = path.resolve(io.cwd, args.positionals[0] ?? '.');
    const file = manifestPath(dir, stringOption(args, 'file') ?? 'pilot.yaml');
    let provider = optionalChoice<Provider>(stringOption(args, 'provider'), 'provider', builtInProviders.names);
    let region = stringOption(args, 'region');
    let gcpProject = stringOption(args, 'gcp-project');
    const repo = await readRepository(dir);
    const prompter = prompterFor(io);
    const given = stringOption(args, 'name');

    const name = await need('name', given, prompter, (p) =>
      p.input('Project name', { validate: check(patterns.name, 'use 1 to 30 lower case letters, digits and dashes, starting with a letter') }),
    );
    const taken = repo.projects.find((p) => p.name === name);
    if (taken) throw new UserError(`project ${name} already exists at ${taken.file}:${taken.line}; nothing was written (project names are unique in a repository)`);

    if (prompter && given === undefined) {
      provider ??= await prompter.select('Select a cloud provider', providerChoices());
      const facts = builtInProviders.get(provider);
      region ??= await prompter.input('Region (AWS) or location (GCP)', {
        default: facts.regions.default,
        validate: check(patterns.region, 'use a region such as us-east-1 (AWS) or us-central1 (GCP)'),
      });
      if (facts.account) gcpProject ??= await prompter.input(`${facts.account.label} id`, { validate: check(facts.account.pattern, facts.account.hint) });
    }

    const defaults = provider ?? region ?? gcpProject ? { provider, region, gcpProject } : undefined;
    const project: ProjectManifest = { apiVersion: 'pilot.dev/v1', kind: 'Project', name, defaults };
    const listed = repo.discovery.files.find((f) => f.path === file);
    const before = listed?.content ?? (await readFile(path.join(dir, file), 'utf8').catch(() => undefined));
    if (before !== undefined && !listed) throw new UserError(`${file} exists but is not read as a manifest ('pilot validate ${dir}' says why); nothing was written`);
    const after = edit(file, () => addProject(before ?? '', project));
    await writeChecked(repo, file, before, after, io);
    printResult(io, format, { file, project: project.name });
    return exitCodes.ok;
  },
};
