// Commit statuses: create one on a commit the repository has, list a ref's (newest
// first), and the combined status (the latest per context, folded into one state).

import { docs, refused } from './api-error.js';
import { checkDescription, commitOf } from './github-rules.js';
import { actor, listReply, repoOf, shapeContext, text, type Endpoint } from './handler-kit.js';
import { pageOf } from './pagination.js';
import { repoJson } from './shapes-accounts.js';
import { statusJson } from './shapes-records.js';
import type { StatusRecord } from './types.js';
import { isoNow, type RepoState } from './world.js';

/** Per sha and context; https://docs.github.com/rest/commits/statuses#create-a-commit-status */
const maxStatusesPerContext = 1000;

/** Newest first, the latest of each context only. */
export function latestStatuses(repo: RepoState, sha: string): StatusRecord[] {
  const newest = repo.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
  return newest.filter((s, i) => newest.findIndex((o) => o.context.toLowerCase() === s.context.toLowerCase()) === i);
}

/** https://docs.github.com/rest/commits/statuses#get-the-combined-status-for-a-specific-reference */
function combinedState(latest: StatusRecord[]): string {
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

export const statusEndpoints: Record<string, Endpoint> = {
  'repos/create-commit-status': {
    method: 'post',
    path: '/repos/{owner}/{repo}/statuses/{sha}',
    handle(ctx) {
      const repo = repoOf(ctx);
      const sha = String(ctx.params.sha);
      const where = `${docs.statuses}#create-a-commit-status`;
      // The path names a commit by its SHA; a branch name is not taken.
      if (!ctx.world.hasCommit(repo, sha)) throw refused(422, `No commit found for SHA: ${sha}`, { docs: where });
      checkDescription(ctx.body.description, 'Status', where);
      const context = text(ctx.body.context) ?? 'default';
      const same = repo.statuses.filter((s) => s.sha === sha && s.context.toLowerCase() === context.toLowerCase());
      if (same.length >= maxStatusesPerContext) throw refused(422, 'This SHA and context has reached the maximum number of statuses.', { docs: where });
      const status: StatusRecord = {
        id: ctx.world.nextId(), sha, state: ctx.body.state as StatusRecord['state'], context,
        description: text(ctx.body.description) ?? null, targetUrl: text(ctx.body.target_url) ?? null, creator: actor(ctx), createdAt: isoNow(),
      };
      repo.statuses.push(status);
      return { status: 201, body: statusJson(status, shapeContext(ctx, repo)) };
    },
  },
  'repos/list-commit-statuses-for-ref': {
    method: 'get',
    path: '/repos/{owner}/{repo}/commits/{ref}/statuses',
    handle(ctx) {
      const repo = repoOf(ctx);
      const sha = commitOf(ctx, repo, String(ctx.params.ref), `${docs.statuses}#list-commit-statuses-for-a-reference`);
      const newest = repo.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
      return listReply(ctx, newest, (s) => statusJson(s, shapeContext(ctx, repo)));
    },
  },
  'repos/get-combined-status-for-ref': {
    method: 'get',
    path: '/repos/{owner}/{repo}/commits/{ref}/status',
    handle(ctx) {
      const repo = repoOf(ctx);
      const sha = commitOf(ctx, repo, String(ctx.params.ref), `${docs.statuses}#get-the-combined-status-for-a-specific-reference`);
      const latest = latestStatuses(repo, sha);
      const page = pageOf(latest, ctx.params, ctx.url);
      const api = `${ctx.urls.api}/repos/${repo.fullName}`;
      const body = {
        state: combinedState(latest), sha, total_count: latest.length, statuses: page.items.map((s) => statusJson(s, shapeContext(ctx, repo))),
        repository: repoJson(repo, ctx.urls), commit_url: `${api}/commits/${sha}`, url: `${api}/commits/${sha}/status`,
      };
      return { status: 200, body, ...(page.link ? { headers: { link: page.link } } : {}) };
    },
  },
};
