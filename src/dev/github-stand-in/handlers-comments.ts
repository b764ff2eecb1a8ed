// Issue comments on pull requests: list (paginated), create, get, edit, delete. Each
// comment keeps every body it had, for tests that check what Pilot changed and when.

import { notFound } from './api-error.js';
import { checkAuthor, checkCommentBody } from './github-rules.js';
import { actor, intParam, listReply, optionalString, repoOf, shapeContext, text, type Endpoint, type HandlerContext } from './handler-kit.js';
import { commentJson } from './shapes-records.js';
import type { CommentRecord } from './types.js';
import { isoNow, type RepoState } from './world.js';

const commentsDocs = 'https://docs.github.com/rest/issues/comments';

function issueOf(ctx: HandlerContext, repo: RepoState): number {
  const number = intParam(ctx, 'issue_number');
  // The world holds pull requests only; every pull request is an issue.
  if (!repo.pulls.has(number)) throw notFound(commentsDocs);
  return number;
}

function commentOf(ctx: HandlerContext, repo: RepoState): CommentRecord {
  const id = intParam(ctx, 'comment_id');
  const comment = repo.comments.find((c) => c.id === id);
  if (!comment) throw notFound(commentsDocs);
  return comment;
}

export const commentEndpoints: Record<string, Endpoint> = {
  'issues/list-comments': {
    method: 'get',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handle(ctx) {
      const repo = repoOf(ctx);
      const number = issueOf(ctx, repo);
      const since = optionalString(ctx, 'since');
      const comments = repo.comments.filter((c) => c.issueNumber === number && (!since || Date.parse(c.updatedAt) >= Date.parse(since)));
      return listReply(ctx, comments, (c) => commentJson(c, shapeContext(ctx, repo)));
    },
  },
  'issues/create-comment': {
    method: 'post',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handle(ctx) {
      const repo = repoOf(ctx);
      const number = issueOf(ctx, repo);
      const body = text(ctx.body.body) ?? '';
      checkCommentBody(body);
      const author = actor(ctx);
      const now = isoNow();
      const comment: CommentRecord = {
        id: ctx.world.nextId(), issueNumber: number, author, body, createdAt: now, updatedAt: now, history: [{ body, at: now, by: author.login }],
      };
      repo.comments.push(comment);
      const json = commentJson(comment, shapeContext(ctx, repo));
      return { status: 201, body: json, headers: { location: String(json.url) } };
    },
  },
  'issues/get-comment': {
    method: 'get',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handle(ctx) {
      const repo = repoOf(ctx);
      return { status: 200, body: commentJson(commentOf(ctx, repo), shapeContext(ctx, repo)) };
    },
  },
  'issues/update-comment': {
    method: 'patch',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handle(ctx) {
      const repo = repoOf(ctx);
      const comment = commentOf(ctx, repo);
      const editor = actor(ctx);
      checkAuthor(comment, editor);
      const body = text(ctx.body.body) ?? '';
      checkCommentBody(body);
      const now = isoNow();
      Object.assign(comment, { body, updatedAt: now });
      comment.history.push({ body, at: now, by: editor.login });
      return { status: 200, body: commentJson(comment, shapeContext(ctx, repo)) };
    },
  },
  'issues/delete-comment': {
    method: 'delete',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handle(ctx) {
      const repo = repoOf(ctx);
      const comment = commentOf(ctx, repo);
      checkAuthor(comment, actor(ctx));
      repo.comments.splice(repo.comments.indexOf(comment), 1);
      return { status: 204 };
    },
  },
};
