// Pilot's plan comment on a pull request: found by its hidden marker among the
// comments the bot itself wrote (never anyone else's), edited in place, one comment
// per part, parts no longer needed deleted. A body that did not change is not sent.

import { commentMarker, partOf } from '../comment/index.js';
import type { GithubClient } from './client.js';
import { repoRef } from './repository.js';

export interface OwnComment {
  id: number;
  part: number;
  body: string;
  url: string;
}

export interface UpsertResult {
  /** The first part's page address. */
  url?: string;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** The bot's plan comments on pull request `number`, by part. */
export async function ownPlanComments(client: GithubClient, repository: string, number: number): Promise<OwnComment[]> {
  const login = await client.login();
  const { octokit } = client;
  const all = await octokit.paginate(octokit.rest.issues.listComments, { ...repoRef(repository), issue_number: number, per_page: 100 });
  return all
    .filter((c) => c.user?.login === login && (c.body ?? '').startsWith(commentMarker))
    .map((c) => ({ id: c.id, part: partOf(c.body ?? '') ?? 1, body: c.body ?? '', url: c.html_url }))
    .sort((a, b) => a.part - b.part || a.id - b.id);
}

export async function upsertPlanComment(client: GithubClient, repository: string, number: number, bodies: readonly string[]): Promise<UpsertResult> {
  const { octokit } = client;
  const ref = repoRef(repository);
  const existing = await ownPlanComments(client, repository, number);
  const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  const byPart = new Map<number, OwnComment>();
  const extra: OwnComment[] = [];
  for (const comment of existing) {
    if (byPart.has(comment.part)) extra.push(comment);
    else byPart.set(comment.part, comment);
  }
  for (const [index, body] of bodies.entries()) {
    const old = byPart.get(index + 1);
    byPart.delete(index + 1);
    let url: string;
    if (!old) {
      url = (await octokit.rest.issues.createComment({ ...ref, issue_number: number, body })).data.html_url;
      result.created += 1;
    } else if (old.body !== body) {
      url = (await octokit.rest.issues.updateComment({ ...ref, comment_id: old.id, body })).data.html_url;
      result.updated += 1;
    } else {
      url = old.url;
      result.unchanged += 1;
    }
    if (index === 0) result.url = url;
  }
  for (const stale of [...byPart.values(), ...extra]) {
    await octokit.rest.issues.deleteComment({ ...ref, comment_id: stale.id });
    result.deleted += 1;
  }
  return result;
}

/** Said at the top of a plan comment whose pull request closed without merging. */
export const outdatedLine = '**Outdated:** the pull request was closed without merging; this plan no longer applies.';

/**
 * Marks the bot's plan comment outdated when its plan is no longer known (the daemon
 * restarted since): the line goes under the marker of part 1, once.
 */
export async function markPlanCommentOutdated(client: GithubClient, repository: string, number: number): Promise<boolean> {
  const first = (await ownPlanComments(client, repository, number))[0];
  if (!first || first.body.includes(outdatedLine)) return false;
  const [marker, ...rest] = first.body.split('\n');
  const body = [marker, '', outdatedLine, ...rest].join('\n');
  await client.octokit.rest.issues.updateComment({ ...repoRef(repository), comment_id: first.id, body });
  return true;
}
