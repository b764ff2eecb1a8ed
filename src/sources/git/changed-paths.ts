// What changed between two commits of the manifest repository, and which projects
// that touches. A rewritten history gives no trustworthy list: everything changed.

import { PilotError } from '../../reconciler/errors.js';
import type { RepoGit } from './manifest-cache.js';

export interface Changes {
  /** Paths that differ, or 'all' when `from` is unknown or not an ancestor of `to`. */
  paths: string[] | 'all';
  /** `from` is not an ancestor of `to`: history was rewritten (a force-push). */
  forced: boolean;
}

/** A commit id as Pilot passes it around; anything else is never handed to git. */
export function isCommitId(text: string): boolean {
  return /^[0-9a-f]{4,64}$/i.test(text);
}

export async function changesBetween(git: RepoGit, from: string, to: string): Promise<Changes> {
  if (from === to) return { paths: [], forced: false };
  if (!isCommitId(from) || (await git(['cat-file', '-e', `${from}^{commit}`])).code !== 0) return { paths: 'all', forced: true };
  const ancestry = await git(['merge-base', '--is-ancestor', from, to]);
  if (ancestry.code !== 0) return { paths: 'all', forced: true };
  // diff-tree (plumbing) ignores diff settings of the machine; without renames a moved
  // manifest shows both its old and its new path.
  const diff = await git(['diff-tree', '-r', '--name-only', '--no-renames', '-z', from, to]);
  if (diff.code !== 0) throw new PilotError('transient', 'source.cache', `could not compare ${from} with ${to} in the manifest cache: ${diff.stderr.trim()}`);
  return { paths: diff.stdout.split('\0').filter(Boolean), forced: false };
}

export interface ProjectFile {
  project: string;
  /** The manifest file, relative to the repository root, with forward slashes. */
  file: string;
}

/** A project is touched when its manifest file is among the changed paths. */
export function projectsTouched(changed: string[] | 'all', files: readonly ProjectFile[]): Set<string> | 'all' {
  if (changed === 'all') return 'all';
  const normalize = (file: string) => file.replace(/^(\.\/)+/, '');
  const paths = new Set(changed.map(normalize));
  return new Set(files.filter((entry) => paths.has(normalize(entry.file))).map((entry) => entry.project));
}
