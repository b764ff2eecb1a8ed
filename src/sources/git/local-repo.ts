// Repositories Pilot makes itself (the demo's manifest and app repositories, tests):
// a bare repository, a commit of everything in a work tree under a fixed identity,
// and a push of it.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openGit } from './git.js';

export interface Identity {
  name: string;
  email: string;
}

export const pilotIdentity: Identity = { name: 'Pilot', email: 'pilot@pilot.invalid' };

/** A bare repository whose first branch is `branch`; returns its file:// URL. */
export async function initBareRepository(dir: string, branch = 'main'): Promise<string> {
  const bare = path.resolve(dir);
  await mkdir(bare, { recursive: true });
  await openGit({ cwd: bare, url: bare }).must(['init', '--quiet', '--bare', `--initial-branch=${branch}`], 'create a repository at');
  return pathToFileURL(bare).href;
}

/** Commits every change of the work tree (an empty commit when there is none); returns the commit. */
export async function commitAll(dir: string, message: string, identity: Identity = pilotIdentity): Promise<string> {
  const git = openGit({ cwd: dir, url: dir });
  await git.must(['add', '--all'], 'add the files of');
  const as = ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`, '-c', 'commit.gpgsign=false'];
  await git.must([...as, 'commit', '--quiet', '--allow-empty', '--no-verify', '-m', message], 'commit in');
  return (await git.must(['rev-parse', 'HEAD'], 'read the commit of')).trim();
}

/** Pushes the checked-out commit to `branch` of `remote`. */
export async function pushBranch(dir: string, branch = 'main', remote = 'origin'): Promise<void> {
  await openGit({ cwd: dir, url: dir }).must(['push', '--quiet', remote, `HEAD:refs/heads/${branch}`], `push ${branch} from`);
}
