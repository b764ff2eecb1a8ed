// A sample delivery's payload: an example payload (webhook-examples.ts) made to say
// what the user asked for: this repository, this ref and commit, this pull request
// or release. Fields Pilot never reads (API URLs, the sender) keep the example's values.

import type { Payload } from './webhook-examples.js';
import type { SampleRepository } from './webhook-repository.js';

export const pullRequestActions = ['opened', 'synchronize', 'reopened', 'edited', 'closed'] as const;
export type PullRequestAction = (typeof pullRequestActions)[number];

export type SampleChange =
  /** ref: refs/heads/B or refs/tags/T; sha: the commit it now points at. */
  | { event: 'push'; ref: string; sha: string }
  | { event: 'pull_request'; action: PullRequestAction; number: number; merged: boolean; base: string; baseSha?: string; headRef: string; headSha: string }
  /** target: the branch the release was cut from. */
  | { event: 'release'; tag: string; target: string };

const zeros = '0'.repeat(40);

/** Edits `example` in place for `repository` and `change`, and returns it. */
export function samplePayload(example: Payload, repository: SampleRepository, change: SampleChange): Payload {
  setRepository(example.repository, repository);
  if (change.event === 'push') return push(example, repository, change.ref, change.sha);
  if (change.event === 'release') return release(example, change.tag, change.target);
  return pullRequest(example, repository, change);
}

function setRepository(target: Payload, repository: SampleRepository): void {
  const { clone_url, html_url, ssh_url, git_url, full_name, name, owner } = repository;
  Object.assign(target, { clone_url, html_url, ssh_url, git_url, full_name, name });
  target.owner = { ...target.owner, login: owner, name: owner };
}

/**
 * The previous commit of the ref is not known here, so the push reads as the ref's
 * creation (before: zeros); Pilot reads neither, and finds what changed with git.
 */
function push(payload: Payload, repository: SampleRepository, ref: string, sha: string): Payload {
  const commit = { ...(payload.head_commit ?? {}), id: sha, tree_id: payload.head_commit?.tree_id ?? zeros, url: `${repository.html_url}/commit/${sha}`, added: [], removed: [], modified: [] };
  Object.assign(payload, { ref, before: zeros, after: sha, created: true, deleted: false, forced: false, base_ref: null, commits: [commit], head_commit: commit });
  payload.compare = `${repository.html_url}/compare/${ref.replace(/^refs\/(heads|tags)\//, '')}`;
  return payload;
}

function release(payload: Payload, tag: string, target: string): Payload {
  payload.action = 'published';
  Object.assign(payload.release, { tag_name: tag, target_commitish: target, draft: false, prerelease: false });
  return payload;
}

function pullRequest(payload: Payload, repository: SampleRepository, change: Extract<SampleChange, { event: 'pull_request' }>): Payload {
  const pr = payload.pull_request;
  const closed = change.action === 'closed';
  const now = new Date().toISOString();
  payload.action = change.action;
  payload.number = change.number;
  Object.assign(pr, {
    number: change.number,
    state: closed ? 'closed' : 'open',
    closed_at: closed ? now : null,
    merged: closed && change.merged,
    merged_at: closed && change.merged ? now : null,
    html_url: `${repository.html_url}/pull/${change.number}`,
  });
  // A pull request between two branches of the same repository, as most are.
  const side = (target: Payload, ref: string, sha: string | undefined) => {
    Object.assign(target, { label: `${repository.owner}:${ref}`, ref, ...(sha === undefined ? {} : { sha }) });
    if (target.repo) setRepository(target.repo, repository);
  };
  side(pr.head, change.headRef, change.headSha);
  side(pr.base, change.base, change.baseSha);
  return payload;
}
