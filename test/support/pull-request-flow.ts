// Pull requests against a test manifest repository, made as GitHub makes them: a head
// pushed to refs/pull/N/head, a merge commit pushed to main; and the GitHub stand-in's
// world told about each commit and pull request, so it accepts checks and deployments.

import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { GithubStandIn } from '../../src/dev/github-stand-in/index.js';
import { git, temporaryFolder } from './git-repos.js';

const identity = ['-c', 'user.name=T', '-c', 'user.email=t@t.invalid'];

async function workClone(bare: string): Promise<string> {
  const work = path.join(await temporaryFolder('pilot-pr-flow-'), 'work');
  await git(path.dirname(work), ['clone', '--quiet', bare, work]);
  return work;
}

async function writeFiles(work: string, files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true });
    await writeFile(path.join(work, file), content);
  }
}

/** Commits `files` on top of `base` (default main) and pushes the commit to refs/pull/<number>/head. */
export async function pushPullRequestHead(bare: string, number: number, files: Record<string, string>, base?: string): Promise<string> {
  const work = await workClone(bare);
  if (base) {
    await git(work, ['fetch', '--quiet', 'origin', base]);
    await git(work, ['checkout', '--quiet', 'FETCH_HEAD']);
  }
  await writeFiles(work, files);
  await git(work, [...identity, 'commit', '--quiet', '-am', `change for #${number}`]);
  await git(work, ['push', '--quiet', '--force', 'origin', `HEAD:refs/pull/${number}/head`]);
  return git(work, ['rev-parse', 'HEAD']);
}

/** Merges refs/pull/<number>/head into main with a merge commit, as GitHub's merge button does. */
export async function mergePullRequest(bare: string, number: number): Promise<string> {
  const work = await workClone(bare);
  await git(work, ['fetch', '--quiet', 'origin', `refs/pull/${number}/head`]);
  await git(work, [...identity, 'merge', '--quiet', '--no-ff', '-m', `Merge pull request #${number}`, 'FETCH_HEAD']);
  await git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
  return git(work, ['rev-parse', 'HEAD']);
}

/** Lines are 1-based, as annotations and links count them. */
export function lineOf(content: string, text: string): number {
  const index = content.split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${JSON.stringify(text)} is not in the file`);
  return index + 1;
}

/** The stand-in's repository for the manifests, with its first commit on main. */
export function githubRepository(gh: GithubStandIn, fullName: string, first: string): void {
  gh.world.addRepo(fullName, { defaultBranch: 'main' });
  gh.world.addCommit(fullName, first, { branch: 'main' });
}
