// `pilot render [DIR]`: the waypoint.hcl Pilot would hand to Waypoint for every app,
// written to disk for review. Nothing is deployed and no cloud is asked.

import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import { loadDesiredStateFromDirectory } from '../../sources/manifests/load.js';
import { formatProblem } from '../../sources/manifests/problem.js';
import { renderState } from '../../waypoint/render/project.js';
import type { RenderOptions } from '../../waypoint/render/options.js';
import { stringOption, type Command } from '../command.js';
import { exitCodes, UserError } from '../errors.js';
import { paint, useColour, type Io } from '../io.js';
import { formatFlag, formatOf, printJson } from '../output.js';

const defaultOut = path.join('.pilot', 'render');

/** A ref that is already a full commit pins the image tag; branches and tags render `latest`. */
function optionsFor(app: DesiredApp): RenderOptions {
  return /^[0-9a-f]{40}$/.test(app.source.ref) ? { commit: app.source.ref } : {};
}

function shown(io: Io, file: string): string {
  const relative = path.relative(io.cwd, file);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export const renderCommand: Command = {
  path: ['render'],
  summary: "write each app's waypoint.hcl, as Pilot would queue it",
  maxPositionals: 1,
  options: { out: { type: 'string' }, ...formatFlag },
  help: `Usage: pilot render [DIR] [--out OUT] [--format text|json]

Loads and validates the manifests under DIR (default: the current directory) and
writes the waypoint.hcl of every app to OUT/<project>/<app>/waypoint.hcl, existing
files replaced. Only plain env values appear in the files: secrets, database values
and external secrets reach apps through Waypoint's config store at deploy time.
Image tags are the commit when source.ref is a full commit id, else "latest";
cloud wiring (subnets, VPC connector, bucket, CDN) uses Pilot's default names.
If any manifest is invalid the problems are printed and nothing is written.

Options:
  --out OUT           where to write (default: .pilot/render under the current directory)
  --format text|json  output format (default text); json prints {"files":[{project,app,path}]}
  -h, --help          show this help

Exit codes: 0 written, 1 invalid manifests (or none found, or a write failed), 2 wrong usage.

Example:
  pilot render . --out /tmp/render && cat /tmp/render/shop/api/waypoint.hcl
`,
  async run(args, io) {
    const format = formatOf(args);
    const root = path.resolve(io.cwd, args.positionals[0] ?? '.');
    const out = path.resolve(io.cwd, stringOption(args, 'out') ?? defaultOut);
    const info = await stat(root).catch(() => undefined);
    if (!info?.isDirectory()) throw new UserError(`${root}: no such directory`);

    const result = await loadDesiredStateFromDirectory(root);
    const errors = result.problems.filter((p) => p.severity === 'error');
    const p = paint(useColour(io));
    const print = (text: string) => {
      if (format === 'text') io.stdout.write(`${text}\n`);
    };
    for (const problem of result.problems) print(problem.severity === 'error' ? formatProblem(problem) : p.yellow(formatProblem(problem)));
    if (!result.state || errors.length > 0 || result.files === 0) {
      if (format === 'json') {
        printJson(io, { files: [], errors: errors.map(({ severity: _s, ...rest }) => rest) });
      } else if (result.files === 0 && errors.length === 0) {
        io.stderr.write(`${p.red('no manifests')} under ${root}: manifests are files named pilot.yaml or *.pilot.yaml\n`);
      } else {
        print(`${p.red('invalid')}: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing written`);
      }
      return exitCodes.failure;
    }

    // Render everything before writing anything: a failure leaves no half-written set.
    const rendered = renderState(result.state, optionsFor);
    const files: { project: string; app: string; path: string }[] = [];
    for (const { project, app, text } of rendered) {
      const file = path.join(out, project, app, 'waypoint.hcl');
      await mkdir(path.dirname(file), { recursive: true })
        .then(() => writeFile(file, text))
        .catch((error: NodeJS.ErrnoException) => {
          throw new UserError(`${file}: cannot write it (${error.code ?? error.message})`);
        });
      files.push({ project, app, path: file });
      print(`wrote ${shown(io, file)}`);
    }
    if (format === 'json') {
      printJson(io, { files });
      return exitCodes.ok;
    }
    const projects = new Set(files.map((f) => f.project)).size;
    const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    print(`${p.green('rendered')} ${count(files.length, 'app')} of ${count(projects, 'project')} into ${shown(io, out)}`);
    return exitCodes.ok;
  },
};
