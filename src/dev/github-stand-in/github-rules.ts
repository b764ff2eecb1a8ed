// Rules api.github.com enforces that its OpenAPI description does not say, each with
// the page it is known from. One rule is stricter than GitHub on purpose: only a
// comment's author may edit or delete it, so a test shows Pilot touches its own only.

import { docs, refused, validationFailed } from './api-error.js';
import type { HandlerContext } from './handler-kit.js';
import type { Account, CommentRecord } from './types.js';
import type { RepoState } from './world.js';

export const maxCommentLength = 65_536;
export const maxAnnotationsPerRequest = 50;
export const maxStatusDescription = 140;

/**
 * A comment body is not blank and at most 65,536 characters (counted here in UTF-16
 * units, never fewer than GitHub's count): https://docs.github.com/rest/issues/comments
 * (GitHub answers "Validation Failed" with the message in `errors`).
 */
export function checkCommentBody(body: string): void {
  if (body.trim() === '') throw validationFailed('IssueComment', 'body', 'Body cannot be blank', docs.comments);
  if (body.length > maxCommentLength) {
    throw validationFailed('IssueComment', 'body', `Body is too long (maximum is ${maxCommentLength} characters)`, docs.comments);
  }
}

/** Not GitHub's rule: GitHub lets repository admins edit anyone's comment. See the file comment. */
export function checkAuthor(comment: CommentRecord, caller: Account): void {
  if (comment.author.id !== caller.id) {
    const message = `The stand-in lets only a comment's author (${comment.author.login}) edit or delete it, not ${caller.login}`;
    throw refused(403, message, { docs: docs.comments });
  }
}

/**
 * Check runs are written only by GitHub Apps: "OAuth apps and personal access tokens
 * (classic) cannot use this endpoint." https://docs.github.com/rest/checks/runs#create-a-check-run
 * (reading them with a token is allowed).
 */
export function requireApp(ctx: HandlerContext): void {
  if (ctx.caller.kind !== 'installation') throw refused(403, 'You must authenticate via a GitHub App.', { docs: docs.checkRuns });
}

/**
 * At most 50 annotations per request; more go in later updates, which append:
 * https://docs.github.com/rest/checks/runs#update-a-check-run (also maxItems in the
 * description, checked here again for when the stand-in runs unvalidated).
 */
export function checkAnnotations(annotations: readonly { start_line: number; end_line: number; start_column?: number; end_column?: number }[]): void {
  if (annotations.length > maxAnnotationsPerRequest) {
    throw refused(422, `Invalid request.\n\nOnly ${maxAnnotationsPerRequest} annotations are allowed per request, not ${annotations.length}.`, { docs: docs.checkRuns });
  }
  // "Annotations only support start_column and end_column on the same line." (same page)
  const spread = annotations.findIndex((a) => (a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line);
  if (spread >= 0) {
    throw refused(422, `Invalid request.\n\nFor 'output/annotations/${spread}', start_column and end_column are only allowed when start_line equals end_line.`, { docs: docs.checkRuns });
  }
}

/**
 * A completed check run needs a conclusion: "Required if you provide completed_at or
 * a status of completed." https://docs.github.com/rest/checks/runs#create-a-check-run
 */
export function checkConclusion(body: Record<string, unknown>): void {
  const completing = body.status === 'completed' || body.completed_at !== undefined;
  if (completing && body.conclusion === undefined) {
    throw refused(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied: a completed check run needs one.', { docs: docs.checkRuns });
  }
}

/**
 * Statuses, check runs and deployments name a commit the repository has; GitHub answers
 * 422 "No commit found for SHA: …": https://docs.github.com/rest/commits/statuses#create-a-commit-status
 */
export function commitOf(ctx: HandlerContext, repo: RepoState, ref: string, documentationUrl: string): string {
  const sha = ctx.world.resolveRef(repo, ref);
  if (!sha) throw refused(422, `No commit found for SHA: ${ref}`, { docs: documentationUrl });
  return sha;
}

/**
 * A commit status's or deployment status's description is at most 140 characters:
 * https://docs.github.com/rest/deployments/statuses#create-a-deployment-status, and
 * GitHub refuses longer commit statuses with "description is too long (maximum is 140 characters)".
 */
export function checkDescription(description: unknown, resource: 'Status' | 'DeploymentStatus', documentationUrl: string): void {
  if (typeof description === 'string' && description.length > maxStatusDescription) {
    throw validationFailed(resource, 'description', `description is too long (maximum is ${maxStatusDescription} characters)`, documentationUrl);
  }
}
