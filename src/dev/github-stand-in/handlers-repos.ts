// A repository, its pull requests, and the pull requests a commit belongs to (as the
// merge commit or the head), which is how Pilot finds the pull request it applied.

import { docs, notFound, refused } from './api-error.js';
import { intParam, listReply, repoOf, shapeContext, type Endpoint, type HandlerContext } from './handler-kit.js';
import { repoJson } from './shapes-accounts.js';
import { pullJson } from './shapes-pulls.js';
import type { Account } from './types.js';

/** The world made an account for every fork owner when the pull request was added. */
function forkOwner(ctx: HandlerContext): (login: string) => Account {
  return (login) => ctx.world.accountByLogin(login) ?? { login, id: 0, type: 'User' };
}

export const repoEndpoints: Record<string, Endpoint> = {
  'repos/get': {
    method: 'get',
    path: '/repos/{owner}/{repo}',
    handle: (ctx) => ({ status: 200, body: repoJson(repoOf(ctx), ctx.urls) }),
  },
  'pulls/get': {
    method: 'get',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handle(ctx) {
      const repo = repoOf(ctx);
      const pr = repo.pulls.get(intParam(ctx, 'pull_number'));
      if (!pr) throw notFound('https://docs.github.com/rest/pulls/pulls#get-a-pull-request');
      return { status: 200, body: pullJson(pr, shapeContext(ctx, repo), forkOwner(ctx)) };
    },
  },
  'repos/list-pull-requests-associated-with-commit': {
    method: 'get',
    path: '/repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    handle(ctx) {
      const repo = repoOf(ctx);
      const sha = ctx.world.resolveRef(repo, String(ctx.params.commit_sha));
      if (!sha) throw refused(422, `No commit found for SHA: ${String(ctx.params.commit_sha)}`, { docs: `${docs.rest}/commits/commits#list-pull-requests-associated-with-a-commit` });
      const pulls = [...repo.pulls.values()].filter((pr) => pr.mergeCommitSha === sha || pr.headSha === sha);
      return listReply(ctx, pulls, (pr) => pullJson(pr, shapeContext(ctx, repo), forkOwner(ctx)));
    },
  },
};
