// Comments, check runs, annotations, commit statuses and deployments in GitHub's
// response shapes, every required field of the OpenAPI description present.

import type { AppIdentity } from './app-identity.js';
import { appJson, nodeId, userJson, type Urls } from './shapes-accounts.js';
import type { RepoState } from './world.js';
import type { AnnotationRecord, CheckRunRecord, CommentRecord, DeploymentRecord, DeploymentStatusRecord, StatusRecord } from './types.js';

export interface ShapeContext {
  repo: RepoState;
  app: AppIdentity;
  urls: Urls;
}

const repoApi = ({ repo, urls }: ShapeContext) => `${urls.api}/repos/${repo.fullName}`;
const viaApp = (ctx: ShapeContext, type: string) => (type === 'Bot' ? appJson(ctx.app, ctx.repo.createdAt, ctx.urls) : null);

export function commentJson(comment: CommentRecord, ctx: ShapeContext): Record<string, unknown> {
  const url = `${repoApi(ctx)}/issues/comments/${comment.id}`;
  return {
    id: comment.id, node_id: nodeId('IC', comment.id), url, body: comment.body, user: userJson(comment.author, ctx.urls),
    html_url: `${ctx.urls.web}/${ctx.repo.fullName}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repoApi(ctx)}/issues/${comment.issueNumber}`, created_at: comment.createdAt, updated_at: comment.updatedAt,
    author_association: comment.author.id === ctx.repo.owner.id ? 'OWNER' : 'NONE', performed_via_github_app: viaApp(ctx, comment.author.type),
  };
}

export function checkRunJson(run: CheckRunRecord, ctx: ShapeContext): Record<string, unknown> {
  const url = `${repoApi(ctx)}/check-runs/${run.id}`;
  const pulls = [...ctx.repo.pulls.values()].filter((pr) => pr.state === 'open' && !pr.headRepo && pr.headSha === run.headSha);
  const repoRef = { id: ctx.repo.id, url: repoApi(ctx), name: ctx.repo.name };
  return {
    id: run.id, head_sha: run.headSha, node_id: nodeId('CR', run.id), external_id: run.externalId, url,
    html_url: `${ctx.urls.web}/${ctx.repo.fullName}/runs/${run.id}`, details_url: run.detailsUrl, status: run.status,
    conclusion: run.conclusion, started_at: run.startedAt, completed_at: run.completedAt, name: run.name,
    output: { ...run.output, annotations_count: run.annotations.length, annotations_url: `${url}/annotations` },
    check_suite: { id: suiteId(run.headSha, ctx.repo.id) }, app: appJson(ctx.app, ctx.repo.createdAt, ctx.urls),
    pull_requests: pulls.map((pr) => ({
      id: pr.id, number: pr.number, url: `${repoApi(ctx)}/pulls/${pr.number}`,
      head: { ref: pr.headRef, sha: pr.headSha, repo: repoRef },
      base: { ref: pr.baseRef, sha: ctx.repo.branches.get(pr.baseRef) ?? pr.headSha, repo: repoRef },
    })),
  };
}

/** One check suite per commit, as for a single app. */
function suiteId(sha: string, repoId: number): number {
  return (Number.parseInt(sha.slice(0, 7), 16) || 0) + repoId;
}

export function annotationJson(annotation: AnnotationRecord, run: CheckRunRecord, ctx: ShapeContext): Record<string, unknown> {
  return {
    path: annotation.path, blob_href: `${ctx.urls.web}/${ctx.repo.fullName}/blob/${run.headSha}/${annotation.path}`,
    start_line: annotation.start_line, end_line: annotation.end_line, start_column: annotation.start_column ?? null,
    end_column: annotation.end_column ?? null, annotation_level: annotation.annotation_level, title: annotation.title ?? null,
    message: annotation.message, raw_details: annotation.raw_details ?? null,
  };
}

export function statusJson(status: StatusRecord, ctx: ShapeContext): Record<string, unknown> {
  return {
    url: `${repoApi(ctx)}/statuses/${status.sha}`, avatar_url: `${ctx.urls.web}/avatars/${status.creator.id}`, id: status.id,
    node_id: nodeId('SC', status.id), state: status.state, description: status.description, target_url: status.targetUrl,
    context: status.context, created_at: status.createdAt, updated_at: status.createdAt, creator: userJson(status.creator, ctx.urls),
  };
}

export function deploymentJson(deployment: DeploymentRecord, ctx: ShapeContext): Record<string, unknown> {
  const url = `${repoApi(ctx)}/deployments/${deployment.id}`;
  return {
    url, id: deployment.id, node_id: nodeId('DE', deployment.id), sha: deployment.sha, ref: deployment.ref, task: deployment.task,
    payload: deployment.payload, original_environment: deployment.originalEnvironment, environment: deployment.environment,
    description: deployment.description, creator: userJson(deployment.creator, ctx.urls), created_at: deployment.createdAt,
    updated_at: deployment.statuses.at(-1)?.createdAt ?? deployment.createdAt, statuses_url: `${url}/statuses`,
    repository_url: repoApi(ctx), transient_environment: deployment.transient, production_environment: deployment.production,
    performed_via_github_app: viaApp(ctx, deployment.creator.type),
  };
}

export function deploymentStatusJson(status: DeploymentStatusRecord, deployment: DeploymentRecord, ctx: ShapeContext): Record<string, unknown> {
  const deploymentUrl = `${repoApi(ctx)}/deployments/${deployment.id}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`, id: status.id, node_id: nodeId('DES', status.id), state: status.state,
    creator: userJson(status.creator, ctx.urls), description: status.description, environment: status.environment,
    target_url: status.targetUrl, log_url: status.logUrl, environment_url: status.environmentUrl, created_at: status.createdAt,
    updated_at: status.createdAt, deployment_url: deploymentUrl, repository_url: repoApi(ctx), performed_via_github_app: viaApp(ctx, status.creator.type),
  };
}
