// owner/name of a repository, split for Octokit's parameters.

export interface RepoRef {
  owner: string;
  repo: string;
}

export function repoRef(fullName: string): RepoRef {
  const [owner, repo, ...rest] = fullName.split('/');
  if (!owner || !repo || rest.length) throw new Error(`${JSON.stringify(fullName)} is not owner/name`);
  return { owner, repo };
}
