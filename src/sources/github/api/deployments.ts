// A GitHub deployment per app and environment on the manifest repository, at the
// commit applied: created when the app's deploy starts (in_progress), then success
// with the app's URL or failure with what went wrong. The repository's Environments
// page and the pull request's timeline then show what is live.

import type { GithubClient } from './client.js';
import { repoRef } from './repository.js';

export interface DeploymentStart {
  /** The manifest commit applied. */
  sha: string;
  /** e.g. acme/web. */
  environment: string;
  description: string;
  /** The status page, where the job's log is. */
  logUrl?: string;
}

export interface DeploymentEnd {
  state: 'success' | 'failure' | 'error';
  description: string;
  environmentUrl?: string;
  logUrl?: string;
}

const short = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

export async function startDeployment(client: GithubClient, repository: string, start: DeploymentStart): Promise<number> {
  const { octokit } = client;
  const ref = repoRef(repository);
  const created = await octokit.rest.repos.createDeployment({
    ...ref, ref: start.sha, environment: start.environment, description: short(start.description),
    // Pilot applied the commit already: GitHub must neither merge the default branch into it nor wait for checks.
    auto_merge: false, required_contexts: [], production_environment: true, transient_environment: false,
  });
  if (!('id' in created.data)) throw new Error(`GitHub created no deployment for ${start.environment}: ${created.data.message ?? created.status}`);
  const id = created.data.id;
  await octokit.rest.repos.createDeploymentStatus({ ...ref, deployment_id: id, state: 'in_progress', description: short(start.description), ...(start.logUrl ? { log_url: start.logUrl } : {}) });
  return id;
}

export async function finishDeployment(client: GithubClient, repository: string, id: number, end: DeploymentEnd): Promise<void> {
  await client.octokit.rest.repos.createDeploymentStatus({
    ...repoRef(repository), deployment_id: id, state: end.state, description: short(end.description),
    ...(end.environmentUrl ? { environment_url: end.environmentUrl } : {}), ...(end.logUrl ? { log_url: end.logUrl } : {}),
    auto_inactive: true,
  });
}
