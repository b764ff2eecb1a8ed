// Scenarios of the daemon tests: manifest repositories as bare git remotes (file:// or
// behind `git http-backend`), app source repositories GitHub can name, and the jobs the
// emulator received per project.

import path from 'node:path';
import { startGitHttpServer, type GitHttpServer } from './git-http-server.js';
import { createSourceRepo, git, temporaryFolder, type SourceRepo } from './git-repos.js';
import { githubAlias } from './daemon-harness.js';
import { summarizeJob, type QueuedJob } from './reconcile-harness.js';
import { manifestFiles, type AppOptions, type ProjectOptions } from './reconcile-manifests.js';
import type { Emulator } from '../../src/dev/waypoint-emulator/index.js';

export const repoToken = 'ghp_daemonTestsRepoToken0123456789abcd';

/** The `up` jobs the emulator received for `project`. */
export function upsOf(emulator: Emulator, project: string): QueuedJob[] {
  return emulator.queuedJobs.map(summarizeJob).filter((j) => j.project === project && j.operation === 'up');
}

/** An app source repository under https://github.test/acme/<name>.git (git reads the local bare one). */
export async function githubSource(name: string): Promise<SourceRepo & { first: string; https: string; fullName: string }> {
  const repo = await createSourceRepo(name);
  const fullName = `acme/${name}`;
  return { ...repo, fullName, https: githubAlias(process.env, fullName, repo.bare) };
}

/** Adds a branch pointing at main in a source repository. */
export async function branch(repo: SourceRepo, name: string): Promise<void> {
  await git(repo.bare, ['branch', name, 'refs/heads/main']);
}

/** A bare manifest repository holding `projects`, committed and pushed on main. */
export interface ManifestRemote extends SourceRepo {
  first: string;
  /** Replaces the projects' manifests and pushes; returns the commit. */
  push(...projects: ProjectOptions[]): Promise<string>;
}

export async function manifestRemote(...projects: ProjectOptions[]): Promise<ManifestRemote> {
  const repo = await createSourceRepo('manifests', manifestFiles(...projects));
  return { ...repo, push: (...next) => repo.commit(manifestFiles(...next)) };
}

/** A `git http-backend` server (HTTP Basic, token `repoToken`) serving one manifest repository. */
export async function servedManifests(...projects: ProjectOptions[]): Promise<{ remote: ManifestRemote; server: GitHttpServer; url: string }> {
  const remote = await manifestRemote(...projects);
  const server = await startGitHttpServer({ root: path.dirname(remote.bare), username: 'x-access-token', token: repoToken });
  return { remote, server, url: server.url(path.basename(remote.bare)) };
}

export function app(name: string, repo: string, extra: Partial<AppOptions> = {}): AppOptions {
  return { name, repo, platform: 'ecs', cpu: 0.25, memory: 512, ...extra };
}

export { temporaryFolder };
