// Where a command's manifests come from: a folder (the revision is its git HEAD) or
// a repository at a ref (cloned shallowly into a temporary folder).

import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadDesiredStateFromDirectory, type LoadResult } from '../sources/manifests/load.js';
import { redactUrl } from '../sources/git/resolve-commit.js';
import { stringOption, type Options, type ParsedArgs } from './command.js';
import { UsageError, UserError } from './errors.js';
import type { Io } from './io.js';

const git = promisify(execFile);

export const manifestFlags: Options = { repo: { type: 'string' }, ref: { type: 'string' } };

export interface ManifestInput {
  loaded: LoadResult;
  revision: string;
  root: string;
}

async function revisionOf(dir: string): Promise<string> {
  try {
    const { stdout } = await git('git', ['-C', dir, 'rev-parse', 'HEAD']);
    const { stdout: dirty } = await git('git', ['-C', dir, 'status', '--porcelain']);
    return `${stdout.trim()}${dirty.trim() ? '-dirty' : ''}`;
  } catch {
    return 'local';
  }
}

export async function readManifestInput(args: ParsedArgs, io: Io): Promise<ManifestInput> {
  const repo = stringOption(args, 'repo');
  if (repo) {
    if (args.positionals[0]) throw new UsageError('give either DIR or --repo, not both');
    const ref = stringOption(args, 'ref') ?? 'main';
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-manifests-'));
    try {
      await git('git', ['clone', '--quiet', '--depth', '1', '--branch', ref, repo, dir], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, timeout: 120_000 });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      const why = String((error as { stderr?: string }).stderr ?? '').trim().split('\n').at(-1)?.replaceAll(repo, redactUrl(repo));
      throw new UserError(`cannot clone ${redactUrl(repo)} at ${ref}: ${why || 'git clone failed'}`);
    }
    try {
      return { loaded: await loadDesiredStateFromDirectory(dir), revision: await revisionOf(dir), root: redactUrl(repo) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const dir = path.resolve(io.cwd, args.positionals[0] ?? '.');
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`${dir}: no such directory`);
  return { loaded: await loadDesiredStateFromDirectory(dir), revision: await revisionOf(dir), root: dir };
}
