// A clone of a remote repository into a folder: the whole history, or the tip of one
// branch or tag (shallow), with the credentials and deadline of the git module.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openGit, type GitSetup } from './git.js';

export interface CloneOptions extends Omit<GitSetup, 'url' | 'cwd'> {
  /** The branch or tag to check out. Default: the remote's HEAD. */
  ref?: string;
  /** Only this many commits (1: the tip alone). Shallow clones need a URL, not a plain path. */
  depth?: number;
}

/** Clones `url` into `dir` (absent or empty); a failure is the git module's classified error. */
export async function cloneRepository(url: string, dir: string, options: CloneOptions = {}): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  await mkdir(parent, { recursive: true });
  const git = openGit({ ...options, url, cwd: parent });
  const args = ['clone', options.onProgress ? '--progress' : '--quiet', '--no-recurse-submodules'];
  if (options.depth !== undefined) args.push('--depth', String(options.depth));
  if (options.ref !== undefined) args.push('--branch', options.ref);
  await git.must([...args, '--', git.url, path.resolve(dir)], 'clone', options.ref);
}
