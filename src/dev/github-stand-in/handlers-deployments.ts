// Deployments and their statuses. Creating one checks the commit's statuses and check
// runs as GitHub does: all of them when required_contexts is omitted, the listed ones
// otherwise, none for []; a context that is not success refuses it with 409.
// https://docs.github.com/rest/deployments/deployments#create-a-deployment

import { docs, refused } from './api-error.js';
import { checkDescription } from './github-rules.js';
import { actor, intParam, listReply, optionalString, repoOf, shapeContext, text, type Endpoint, type HandlerContext } from './handler-kit.js';
import { latestStatuses } from './handlers-statuses.js';
import { deploymentJson, deploymentStatusJson } from './shapes-records.js';
import type { DeploymentRecord, DeploymentStatusRecord } from './types.js';
import { isoNow, type RepoState } from './world.js';

/** Each context on the commit with its state: the latest status, the latest check run (its conclusion). */
function contextsOn(repo: RepoState, sha: string): Map<string, string> {
  const states = new Map(latestStatuses(repo, sha).map((s) => [s.context, s.state as string]));
  for (const run of repo.checkRuns.filter((r) => r.headSha === sha).sort((a, b) => a.id - b.id)) {
    states.set(run.name, run.conclusion ?? run.status);
  }
  return states;
}

function checkContexts(repo: RepoState, sha: string, ref: string, required: unknown): void {
  const states = contextsOn(repo, sha);
  const names = Array.isArray(required) ? required.map(String) : [...states.keys()];
  // Stricter than GitHub may be: a neutral or skipped check run counts as not success here.
  const failing = names.filter((name) => states.get(name) !== 'success').map((context) => ({ context, state: states.get(context) ?? 'missing' }));
  if (failing.length === 0) return;
  const errors = [{ contexts: failing, resource: 'Deployment', field: 'required_contexts', code: 'invalid' }];
  throw refused(409, `Conflict: Commit status checks failed for ${ref}.`, { docs: `${docs.deployments}#create-a-deployment`, extra: { errors } });
}

function deploymentOf(ctx: HandlerContext, repo: RepoState): DeploymentRecord {
  const id = intParam(ctx, 'deployment_id');
  const deployment = repo.deployments.find((d) => d.id === id);
  // Listed among the rules: a status for a deployment that does not exist is a client bug.
  if (!deployment) throw refused(404, 'Not Found', { docs: docs.deploymentStatuses, detail: `no deployment ${id} in ${repo.fullName}` });
  return deployment;
}

/** auto_inactive: earlier successful non-transient, non-production deployments of the environment become inactive. */
function deactivateEarlier(repo: RepoState, current: DeploymentRecord, status: DeploymentStatusRecord, nextId: () => number): void {
  for (const earlier of repo.deployments) {
    if (earlier === current || earlier.environment !== current.environment || earlier.transient || earlier.production) continue;
    if (earlier.statuses.at(-1)?.state !== 'success') continue;
    earlier.statuses.push({ ...status, id: nextId(), state: 'inactive', description: '' });
  }
}

export const deploymentEndpoints: Record<string, Endpoint> = {
  'repos/create-deployment': {
    method: 'post',
    path: '/repos/{owner}/{repo}/deployments',
    handle(ctx) {
      const repo = repoOf(ctx);
      const ref = String(ctx.body.ref);
      const sha = ctx.world.resolveRef(repo, ref);
      const where = `${docs.deployments}#create-a-deployment`;
      if (!sha) throw refused(422, /^[0-9a-f]{7,40}$/i.test(ref) ? `No commit found for SHA: ${ref}` : `No ref found for: ${ref}`, { docs: where });
      checkContexts(repo, sha, ref, ctx.body.required_contexts);
      const environment = text(ctx.body.environment) ?? 'production';
      const deployment: DeploymentRecord = {
        id: ctx.world.nextId(), sha, ref, task: text(ctx.body.task) ?? 'deploy', payload: ctx.body.payload ?? {}, environment,
        originalEnvironment: environment, description: ctx.body.description === undefined ? '' : (text(ctx.body.description) ?? null),
        transient: ctx.body.transient_environment === true,
        production: typeof ctx.body.production_environment === 'boolean' ? ctx.body.production_environment : environment === 'production',
        creator: actor(ctx), createdAt: isoNow(), statuses: [],
      };
      repo.deployments.push(deployment);
      return { status: 201, body: deploymentJson(deployment, shapeContext(ctx, repo)) };
    },
  },
  'repos/list-deployments': {
    method: 'get',
    path: '/repos/{owner}/{repo}/deployments',
    handle(ctx) {
      const repo = repoOf(ctx);
      const [sha, ref, task, environment] = ['sha', 'ref', 'task', 'environment'].map((name) => optionalString(ctx, name));
      const matches = repo.deployments.filter(
        (d) => (!sha || d.sha === sha) && (!ref || d.ref === ref) && (!task || d.task === task) && (!environment || d.environment === environment),
      );
      return listReply(ctx, [...matches].reverse(), (d) => deploymentJson(d, shapeContext(ctx, repo)));
    },
  },
  'repos/get-deployment': {
    method: 'get',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}',
    handle(ctx) {
      const repo = repoOf(ctx);
      return { status: 200, body: deploymentJson(deploymentOf(ctx, repo), shapeContext(ctx, repo)) };
    },
  },
  'repos/create-deployment-status': {
    method: 'post',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    handle(ctx) {
      const repo = repoOf(ctx);
      const deployment = deploymentOf(ctx, repo);
      checkDescription(ctx.body.description, 'DeploymentStatus', `${docs.deploymentStatuses}#create-a-deployment-status`);
      const logUrl = text(ctx.body.log_url) ?? text(ctx.body.target_url) ?? '';
      const environment = text(ctx.body.environment) ?? deployment.statuses.at(-1)?.environment ?? deployment.environment;
      deployment.environment = environment;
      const status: DeploymentStatusRecord = {
        id: ctx.world.nextId(), state: String(ctx.body.state), description: text(ctx.body.description) ?? '', environment,
        targetUrl: logUrl, logUrl, environmentUrl: text(ctx.body.environment_url) ?? '', creator: actor(ctx), createdAt: isoNow(),
      };
      deployment.statuses.push(status);
      if (status.state === 'success' && ctx.body.auto_inactive !== false) deactivateEarlier(repo, deployment, status, () => ctx.world.nextId());
      return { status: 201, body: deploymentStatusJson(status, deployment, shapeContext(ctx, repo)) };
    },
  },
  'repos/list-deployment-statuses': {
    method: 'get',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    handle(ctx) {
      const repo = repoOf(ctx);
      const deployment = deploymentOf(ctx, repo);
      return listReply(ctx, [...deployment.statuses].reverse(), (s) => deploymentStatusJson(s, deployment, shapeContext(ctx, repo)));
    },
  },
};
