// `pilot init [DIR]`: scaffolds a manifest repository whose example validates.

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { builtInProviders } from '../../drivers/registry.js';
import { loadDesiredState } from '../../sources/manifests/load.js';
import { formatProblem, hasErrors } from '../../sources/manifests/problem.js';
import { schemaUrl } from '../../sources/manifests/schema.js';
import { choiceOption, stringOption, projectFlags, type Command } from '../command.js';
import { exitCodes, UserError } from '../errors.js';
import type { Io } from '../io.js';
import { formatFlag, formatOf, printJson } from '../output.js';

const templates = new URL('../../../templates/init/', import.meta.url);

/** A project name from a folder name: lower case, dashes, at most 30 characters. */
export function projectNameFrom(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 30)
    .replace(/-+$/, '');
  return name === '' ? 'my-project' : name;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

export const initCommand: Command = {
  path: ['init'],
  summary: 'scaffold a manifest repository with an example pilot.yaml',
  maxPositionals: 1,
  options: { ...projectFlags, ...formatFlag },
  help: `Usage: pilot init [DIR] [--name NAME] [--provider aws|gcp] [--region REGION] [--gcp-project ID]
                  [--format text|json]

Creates, in DIR (default: the current directory):
  pilot.yaml                 a commented example project (a static site, a
                             container service and a database) that validates
  README.md                  how to work in the manifest repository
  .gitignore
  .pilot/pilot.schema.json   the JSON Schema, for completion in your editor

Existing files are never overwritten: if any of these exists, nothing is written.

Options:
  --name NAME          project name (default: from the folder name)
  --provider aws|gcp   cloud of the example (default aws)
  --region REGION      default region (aws: us-east-1, gcp: us-central1)
  --gcp-project ID     GCP project id, for --provider gcp (default my-gcp-project)
  --format text|json   output (default text); json prints one object:
                       { "dir", "project", "provider", "files" }
  -h, --help           show this help

Exit codes: 0 created, 1 nothing written (a file exists, or the options give a
manifest that does not validate), 2 wrong usage.
`,
  async run(args, io: Io) {
    const format = formatOf(args);
    const dir = path.resolve(io.cwd, args.positionals[0] ?? '.');
    const provider = choiceOption(args, 'provider', builtInProviders.names, builtInProviders.names[0]!);
    const values = {
      project: stringOption(args, 'name') ?? projectNameFrom(path.basename(dir)),
      region: stringOption(args, 'region') ?? builtInProviders.get(provider).regions.default,
      gcpProject: stringOption(args, 'gcp-project') ?? 'my-gcp-project',
    };
    const manifest = fill(await readFile(new URL(`pilot.${provider}.yaml`, templates), 'utf8'), values);
    const files: [string, string][] = [
      ['pilot.yaml', manifest],
      ['README.md', fill(await readFile(new URL('README.md', templates), 'utf8'), values)],
      ['.gitignore', await readFile(new URL('gitignore', templates), 'utf8')],
      ['.pilot/pilot.schema.json', await readFile(schemaUrl, 'utf8')],
    ];

    const check = loadDesiredState([{ path: 'pilot.yaml', content: manifest }]);
    if (hasErrors(check.problems)) {
      const details = check.problems.map((p) => `  ${formatProblem(p)}`).join('\n');
      throw new UserError(`the options give a manifest that does not validate, so nothing was written:\n${details}`);
    }
    const taken = [];
    for (const [name] of files) if (await exists(path.join(dir, name))) taken.push(name);
    if (taken.length > 0) {
      throw new UserError(`${dir} already has ${taken.join(', ')}; nothing was written (pilot init never overwrites files)`);
    }

    for (const [name, content] of files) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content, { flag: 'wx' });
      if (format === 'text') io.stdout.write(`created ${path.join(dir, name)}\n`);
    }
    if (format === 'json') {
      printJson(io, { dir, project: values.project, provider, files: files.map(([name]) => path.join(dir, name)) });
      return exitCodes.ok;
    }
    const relative = path.relative(io.cwd, dir);
    const shown = relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
    io.stdout.write(
      `\nNext:\n  edit ${path.join(shown, 'pilot.yaml')} (your repositories, sizes, region)\n  pilot validate ${shown}\n  git init && git add -A && git commit -m "Pilot manifests"\n`,
    );
    return exitCodes.ok;
  },
};
