// A pull request in GitHub's pull-request shape (a superset of pull-request-simple),
// with head and base repositories; a fork's repository is described from its name.

import { nodeId, repoJson, userJson } from './shapes-accounts.js';
import type { ShapeContext } from './shapes-records.js';
import type { Account, PullRequestRecord } from './types.js';

export function pullJson(pr: PullRequestRecord, ctx: ShapeContext, forkOwner: (login: string) => Account): Record<string, unknown> {
  const { repo, urls } = ctx;
  const api = `${urls.api}/repos/${repo.fullName}`;
  const url = `${api}/pulls/${pr.number}`;
  const html = `${urls.web}/${repo.fullName}/pull/${pr.number}`;
  const baseRepo = repoJson(repo, urls);
  let headRepo = baseRepo;
  if (pr.headRepo) {
    const [login = '', name = ''] = pr.headRepo.split('/');
    const owner = forkOwner(login);
    headRepo = repoJson({ id: repo.id + owner.id, owner, name, fullName: pr.headRepo, defaultBranch: repo.defaultBranch, createdAt: repo.createdAt }, urls);
  }
  const headOwner = pr.headRepo ? forkOwner(pr.headRepo.split('/')[0] ?? '') : repo.owner;
  const comments = repo.comments.filter((c) => c.issueNumber === pr.number).length;
  const link = (href: string) => ({ href });
  return {
    url, id: pr.id, node_id: nodeId('PR', pr.id), html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pr.number}`, commits_url: `${url}/commits`, review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`, comments_url: `${api}/issues/${pr.number}/comments`,
    statuses_url: `${api}/statuses/${pr.headSha}`, number: pr.number, state: pr.state, locked: false, title: pr.title,
    user: userJson(pr.user, urls), body: null, labels: [], milestone: null, active_lock_reason: null,
    created_at: pr.createdAt, updated_at: pr.updatedAt, closed_at: pr.closedAt, merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha, assignee: null, assignees: [], requested_reviewers: [], requested_teams: [],
    head: { label: `${headOwner.login}:${pr.headRef}`, ref: pr.headRef, sha: pr.headSha, user: userJson(headOwner, urls), repo: headRepo },
    base: {
      label: `${repo.owner.login}:${pr.baseRef}`, ref: pr.baseRef, sha: repo.branches.get(pr.baseRef) ?? pr.headSha,
      user: userJson(repo.owner, urls), repo: baseRepo,
    },
    _links: {
      self: link(url), html: link(html), issue: link(`${api}/issues/${pr.number}`), comments: link(`${api}/issues/${pr.number}/comments`),
      review_comments: link(`${url}/comments`), review_comment: link(`${api}/pulls/comments{/number}`), commits: link(`${url}/commits`),
      statuses: link(`${api}/statuses/${pr.headSha}`),
    },
    author_association: 'CONTRIBUTOR', auto_merge: null, draft: false, merged: pr.merged, mergeable: pr.state === 'open' ? true : null,
    rebaseable: null, mergeable_state: pr.state === 'open' ? 'clean' : 'unknown', merged_by: pr.merged ? userJson(repo.owner, urls) : null,
    comments, review_comments: 0, maintainer_can_modify: false, commits: 1, additions: 0, deletions: 0, changed_files: 0,
  };
}
