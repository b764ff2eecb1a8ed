// `pilot validate [DIR|FILE]`: every problem in the manifests, with file, line and column.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describeSummary } from '../../reconciler/desired-state.js';
import { fileTooLarge } from '../../sources/manifests/limits.js';
import { loadDesiredState, loadDesiredStateFromDirectory, type LoadResult } from '../../sources/manifests/load.js';
import { formatProblem } from '../../sources/manifests/problem.js';
import { readManifestFile } from '../../sources/manifests/read-manifest.js';
import type { Command } from '../command.js';
import { exitCodes, UserError } from '../errors.js';
import { paint, useColour } from '../io.js';
import { formatFlag, formatOf, printJson } from '../output.js';

async function loadTarget(target: string): Promise<LoadResult> {
  const info = await stat(target).catch(() => {
    throw new UserError(`${target}: no such file or directory`);
  });
  if (info.isDirectory()) return loadDesiredStateFromDirectory(target);
  // A single file is checked on its own, named relative to its folder.
  const name = path.basename(target);
  const read = await readManifestFile(target).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`${target}: cannot read it (${error.code ?? error.message})`);
  });
  if (read.kind === 'not-regular') throw new UserError(`${target}: this is ${read.what}, not a regular file: give pilot validate a manifest file or a folder`);
  if (read.kind === 'too-large') {
    return loadDesiredState([], [{ severity: 'error', file: name, line: 1, col: 1, path: '', message: fileTooLarge(read.bytes), rule: 'limits.file-size' }]);
  }
  return loadDesiredState([{ path: name, content: read.content }]);
}

export const validateCommand: Command = {
  path: ['validate'],
  summary: 'check pilot.yaml files and report every problem',
  maxPositionals: 1,
  options: { ...formatFlag },
  help: `Usage: pilot validate [DIR | FILE] [--format text|json]

Checks every manifest (pilot.yaml and *.pilot.yaml, outside dot-directories and
node_modules) under DIR (default: the current directory) against the pilot.yaml
contract, and prints every problem as

  path/to/pilot.yaml:LINE:COL: json.path: what is wrong and what to do

Options:
  --format text|json  output format (default text); json prints one object
  -h, --help          show this help

Exit codes: 0 valid, 1 any error (or no manifests found), 2 wrong usage.
`,
  async run(args, io) {
    const format = formatOf(args);
    const target = path.resolve(io.cwd, args.positionals[0] ?? '.');
    const result = await loadTarget(target);
    const errors = result.problems.filter((p) => p.severity === 'error');
    const warnings = result.problems.filter((p) => p.severity === 'warning');
    // No manifests at all is almost always the wrong folder; refused files are errors instead.
    const empty = result.files === 0 && errors.length === 0;
    const valid = errors.length === 0 && !empty;

    if (format === 'json') {
      const strip = ({ severity: _s, ...rest }: (typeof errors)[number]) => rest;
      printJson(io, { valid, root: target, files: result.files, summary: result.summary, errors: errors.map(strip), warnings: warnings.map(strip) });
      return valid ? exitCodes.ok : exitCodes.failure;
    }

    const p = paint(useColour(io));
    for (const problem of result.problems) {
      const line = formatProblem(problem);
      io.stdout.write(`${problem.severity === 'error' ? line : p.yellow(line)}\n`);
    }
    const summary = describeSummary(result.summary);
    const files = `${result.files} file${result.files === 1 ? '' : 's'}`;
    if (empty) {
      io.stderr.write(
        `${p.red('no manifests')} under ${target}: manifests are files named pilot.yaml or *.pilot.yaml (run 'pilot init' to create one)\n`,
      );
      return exitCodes.failure;
    }
    const warned = warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : '';
    if (!valid) {
      io.stdout.write(
        `${p.red('invalid')}: ${errors.length} error${errors.length === 1 ? '' : 's'}${warned} in ${files} (${summary} declared); nothing from this revision would be applied\n`,
      );
      return exitCodes.failure;
    }
    io.stdout.write(`${p.green('valid')}: ${summary} in ${files}${warned}\n`);
    return exitCodes.ok;
  },
};
