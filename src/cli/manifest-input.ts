// Where a command's manifests come from: a folder, a repository at a ref (cloned
// shallowly into a temporary folder with the repository's credentials), or, with
// neither given, the manifest repository the settings name (the daemon's). All get
// the revision id the daemon gives the same files (see folder-revision).

import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isPilotError } from '../reconciler/errors.js';
import { cloneRepository } from '../sources/git/clone.js';
import { folderRevision } from '../sources/git/folder-revision.js';
import type { GitAuth } from '../sources/git/git.js';
import { redactUrl } from '../sources/git/resolve-commit.js';
import { discoverManifests } from '../sources/manifests/discover.js';
import { loadDesiredState, type LoadResult } from '../sources/manifests/load.js';
import { stringOption, type Options, type ParsedArgs } from './command.js';
import { UsageError, UserError } from './errors.js';
import type { Io } from './io.js';

export const manifestFlags: Options = { repo: { type: 'string' }, ref: { type: 'string' } };

export interface ManifestInput {
  loaded: LoadResult;
  revision: string;
  root: string;
}

/** The manifest repository as the settings give it (pilot.config.yaml, PILOT_REPO_*). */
export interface RepositorySettings {
  url: string;
  branch: string;
  token?: string;
  sshKeyFile?: string;
}

/** The settings' repository credentials (PILOT_REPO_TOKEN or repository.token), sent only to the cloned URL's own origin. */
function authOf(repository: RepositorySettings | undefined): GitAuth {
  return { ...(repository?.token ? { token: repository.token } : {}), ...(repository?.sshKeyFile ? { sshKeyFile: repository.sshKeyFile } : {}) };
}

async function readFolder(dir: string): Promise<{ loaded: LoadResult; revision: string }> {
  const discovery = await discoverManifests(dir);
  return { loaded: loadDesiredState(discovery.files, discovery.problems), revision: await folderRevision(dir, discovery.files) };
}

async function readRepository(repo: string, ref: string, io: Io, auth: GitAuth): Promise<ManifestInput> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-manifests-'));
  try {
    const credentials = 'PILOT_REPO_TOKEN';
    await cloneRepository(repo, path.join(dir, 'repo'), { ref, depth: 1, auth, credentials, base: { ...process.env, ...io.env } });
    return { ...(await readFolder(path.join(dir, 'repo'))), root: redactUrl(repo) };
  } catch (error) {
    if (isPilotError(error)) throw new UserError(error.message);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** DIR, else --repo at --ref, else the settings' repository at its branch, else the working folder. */
export async function readManifestInput(args: ParsedArgs, io: Io, repository?: RepositorySettings): Promise<ManifestInput> {
  const repo = stringOption(args, 'repo');
  if (repo && args.positionals[0]) throw new UsageError('give either DIR or --repo, not both');
  if (repo) return readRepository(repo, stringOption(args, 'ref') ?? repository?.branch ?? 'main', io, authOf(repository));
  if (!args.positionals[0] && repository) return readRepository(repository.url, stringOption(args, 'ref') ?? repository.branch, io, authOf(repository));
  const dir = path.resolve(io.cwd, args.positionals[0] ?? '.');
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`${dir}: no such directory`);
  return { ...(await readFolder(dir)), root: dir };
}
