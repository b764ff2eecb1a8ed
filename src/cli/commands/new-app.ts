// `pilot new app [DIR]`: appends an app to a project's `apps:` list, keeping the file as written.

import path from 'node:path';
import { builtInProviders } from '../../drivers/registry.js';
import type { Builder, Platform, Provider } from '../../reconciler/desired-state.js';
import { addApp } from '../../sources/manifests/edit.js';
import type { App } from '../../sources/manifests/manifest.gen.js';
import { stringOption, type Command, type ParsedArgs } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import { formatFlag, formatOf } from '../output.js';
import { check, need, patterns, prompterFor, providerChoices, requireFlags, type Prompter } from '../prompts.js';
import { newAppHelp } from './new-app-help.js';
import {
  describeProjects, edit, optionalChoice, printResult, readRepository, writeChecked,
  type ProjectRef, type Repository,
} from './new-shared.js';

/** static sites build with yarn, Lambda from a Dockerfile, containers with buildpacks. */
export function defaultBuilder(platform: Platform): Builder {
  return platform === 'static' ? 'yarn' : platform === 'lambda' ? 'docker' : 'pack';
}

/** How the `Run it on` prompt names a platform. */
const runsOn: Record<Platform, string> = {
  ecs: 'ECS Fargate (a container service)',
  lambda: 'Lambda (a function, built from a Dockerfile)',
  'cloud-run': 'Cloud Run (a container service)',
  static: 'a static site',
};

/** The provider a platform needs, when only one hosts it (static sites run on several). */
function onlyHost(platform: Platform): Provider | undefined {
  const hosts = builtInProviders.hosting(platform);
  return hosts.length === 1 ? hosts[0]!.name : undefined;
}

function numberFlag(args: ParsedArgs, flag: string): number | undefined {
  const text = stringOption(args, flag);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, not ${JSON.stringify(text)}`);
  return value;
}

async function chooseProject(repo: Repository, given: string | undefined, prompter: Prompter | undefined): Promise<ProjectRef> {
  const { projects } = repo;
  const name =
    given ??
    (projects.length === 1 ? projects[0]?.name : undefined) ??
    (await need('project', undefined, prompter, (p) =>
      p.select('Select a project', projects.map((x) => ({ value: x.name, description: `${x.file}:${x.line}` }))),
    ));
  const found = projects.find((p) => p.name === name);
  if (!found) throw new UserError(`no project ${name} under ${repo.dir}; the projects are: ${describeProjects(projects)}`);
  return found;
}

export const newAppCommand: Command = {
  path: ['new', 'app'],
  summary: "add an app to a project's pilot.yaml (comments and layout are kept)",
  maxPositionals: 1,
  options: {
    ...Object.fromEntries(
      ['project', 'name', 'platform', 'repo', 'ref', 'path', 'builder', 'provider', 'region', 'gcp-project', 'port', 'cpu', 'memory', 'domain', 'depends-on'].map(
        (flag) => [flag, { type: 'string' as const }],
      ),
    ),
    ...formatFlag,
  },
  help: newAppHelp,
  async run(args, io) {
    const format = formatOf(args);
    const dir = path.resolve(io.cwd, args.positionals[0] ?? '.');
    const flag = (name: string) => stringOption(args, name);
    const platformFlag = optionalChoice<Platform>(flag('platform'), 'platform', ['ecs', 'lambda', 'cloud-run', 'static']);
    const builder = optionalChoice<Builder>(flag('builder'), 'builder', ['pack', 'docker', 'yarn']);
    let provider = optionalChoice<Provider>(flag('provider'), 'provider', builtInProviders.names);
    const deploy = { port: numberFlag(args, 'port'), cpu: numberFlag(args, 'cpu'), memory: numberFlag(args, 'memory') };
    const dependsOn = flag('depends-on')?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const domain = flag('domain');

    const repo = await readRepository(dir);
    if (repo.projects.length === 0) throw new UserError(`no projects under ${dir}: add one with 'pilot new project' (or 'pilot init')`);
    const prompter = prompterFor(io);
    const missing = ['name', 'platform', 'repo'].filter((f) => flag(f) === undefined);
    const ambiguous = flag('project') === undefined && repo.projects.length > 1;
    const note = ambiguous ? `; the projects are: ${describeProjects(repo.projects)}` : '';
    requireFlags(prompter, [...(ambiguous ? ['project'] : []), ...missing], note);

    const project = await chooseProject(repo, flag('project'), prompter);
    const defaults = project.defaults;
    const noDefault = (key: string) => `project ${project.name} has no defaults.${key}`;
    if (!provider && !defaults.provider) {
      provider = (platformFlag && onlyHost(platformFlag)) || (await need('provider', undefined, prompter, (p) => p.select('Select a cloud provider', providerChoices()), noDefault('provider')));
    }
    const cloud = builtInProviders.find((provider ?? defaults.provider)!);
    if (!cloud) throw new UserError(`project ${project.name} has defaults.provider ${JSON.stringify(defaults.provider)}, which is not one of ${builtInProviders.names.join(', ')}: fix it first ('pilot validate')`);
    const name = await need('name', flag('name'), prompter, (p) => p.input('App name', { validate: check(patterns.name, 'use 1 to 30 lower case letters, digits and dashes, starting with a letter') }));
    let sourcePath = flag('path');
    if (prompter && missing.length > 0 && sourcePath === undefined) {
      // Asked only in a conversation, as the original generator did; scripts pass --path.
      const answer = await prompter.input('Source path (the app folder in its repository)', { default: '.' });
      sourcePath = answer === '.' || answer === '' ? undefined : answer;
    }
    const platform = await need('platform', platformFlag, prompter, async (p): Promise<Platform> => {
      if (await p.confirm('Frontend-only (static files)?', { default: false })) return 'static';
      const running = cloud.platforms.filter((x) => x !== 'static');
      if (running.length === 1) return running[0]!;
      return p.select('Run it on', running.map((value) => ({ value, name: runsOn[value] })));
    });
    let region = flag('region');
    if (region === undefined && !defaults.region) {
      region = await need('region', undefined, prompter, (p) =>
        p.input('Region (AWS) or Location (GCP)', { default: cloud.regions.default, validate: check(patterns.region, 'use a region such as us-east-1 or us-central1') }),
      noDefault('region'));
    }
    let gcpProject = flag('gcp-project');
    const account = cloud.account;
    if (account && gcpProject === undefined && !defaults.gcpProject) {
      gcpProject = await need('gcp-project', undefined, prompter, (p) => p.input(`${account.label} id`, { validate: check(account.pattern, account.hint) }), noDefault(account.field));
    }
    const repoUrl = await need('repo', flag('repo'), prompter, (p) => p.input('Git repository URL of the app', { validate: check(patterns.repo, 'use https://..., ssh://..., git@host:path or file:///...') }));

    const app: App = {
      name, provider, region, gcpProject,
      source: { repo: repoUrl, ref: flag('ref'), path: sourcePath },
      build: { builder: builder ?? defaultBuilder(platform) },
      deploy: { platform, ...deploy },
      release: domain === undefined ? undefined : { domain },
      dependsOn,
    };
    const file = project.file;
    const before = repo.discovery.files.find((f) => f.path === file)?.content ?? '';
    const after = edit(file, () => addApp(before, project.index, app));
    await writeChecked(repo, file, before, after, io);
    printResult(io, format, { file, project: project.name, app: name });
    return exitCodes.ok;
  },
};
