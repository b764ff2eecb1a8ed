// Which pull request a commit of the tracked branch merged, so its comment can say
// what the apply did.

import type { GithubClient } from './client.js';
import { repoRef } from './repository.js';

export interface MergedPullRequest {
  number: number;
  htmlUrl: string;
}

export async function mergedPullRequestOf(client: GithubClient, repository: string, sha: string): Promise<MergedPullRequest | undefined> {
  const { data } = await client.octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repoRef(repository), commit_sha: sha });
  const merged = data.find((pr) => pr.merge_commit_sha === sha && pr.merged_at);
  return merged ? { number: merged.number, htmlUrl: merged.html_url } : undefined;
}
