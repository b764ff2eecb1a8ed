// Check runs: create and update (GitHub Apps only; annotations append, 50 per
// request), get one, list a commit's (latest per name unless filter=all), list a
// run's annotations.

import { docs, notFound, refused } from './api-error.js';
import { checkAnnotations, checkConclusion, commitOf, requireApp } from './github-rules.js';
import { intParam, listReply, optionalString, repoOf, shapeContext, text, type Endpoint, type HandlerContext } from './handler-kit.js';
import { pageOf } from './pagination.js';
import { annotationJson, checkRunJson } from './shapes-records.js';
import type { AnnotationRecord, CheckRunRecord } from './types.js';
import { isoNow, type RepoState } from './world.js';

type Output = { title?: string; summary?: string; text?: string; annotations?: AnnotationRecord[] };

function runOf(ctx: HandlerContext, repo: RepoState): CheckRunRecord {
  const id = intParam(ctx, 'check_run_id');
  const run = repo.checkRuns.find((r) => r.id === id);
  if (!run) throw notFound(docs.checkRuns);
  return run;
}

/** Applies the fields a create or update sends; a conclusion completes the run. */
function apply(run: CheckRunRecord, body: Record<string, unknown>): void {
  const output = (body.output ?? undefined) as Output | undefined;
  checkAnnotations(output?.annotations ?? []);
  if (typeof body.name === 'string') run.name = body.name;
  if (typeof body.details_url === 'string') run.detailsUrl = body.details_url;
  if (typeof body.external_id === 'string') run.externalId = body.external_id;
  if (typeof body.started_at === 'string') run.startedAt = body.started_at;
  if (typeof body.status === 'string') run.status = body.status;
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed') run.completedAt = text(body.completed_at) ?? run.completedAt ?? isoNow();
  if (output) {
    run.output = { title: output.title ?? run.output.title, summary: output.summary ?? null, text: output.text ?? null };
    run.annotations.push(...(output.annotations ?? []));
  }
}

export const checkEndpoints: Record<string, Endpoint> = {
  'checks/create': {
    method: 'post',
    path: '/repos/{owner}/{repo}/check-runs',
    handle(ctx) {
      requireApp(ctx);
      const repo = repoOf(ctx);
      checkConclusion(ctx.body);
      const headSha = commitOf(ctx, repo, String(ctx.body.head_sha), `${docs.checkRuns}#create-a-check-run`);
      const run: CheckRunRecord = {
        id: ctx.world.nextId(), name: String(ctx.body.name), headSha, status: 'queued', conclusion: null, startedAt: isoNow(),
        completedAt: null, detailsUrl: null, externalId: '', output: { title: null, summary: null, text: null }, annotations: [],
      };
      apply(run, ctx.body);
      repo.checkRuns.push(run);
      return { status: 201, body: checkRunJson(run, shapeContext(ctx, repo)) };
    },
  },
  'checks/update': {
    method: 'patch',
    path: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
    handle(ctx) {
      requireApp(ctx);
      const repo = repoOf(ctx);
      const run = runOf(ctx, repo);
      checkConclusion(ctx.body);
      // The description marks output.title "**Required**." in words, not in the schema.
      const output = ctx.body.output as Output | undefined;
      if (output && output.title === undefined) throw refused(422, 'Invalid request.\n\n"title" wasn\'t supplied.', { docs: `${docs.checkRuns}#update-a-check-run` });
      apply(run, ctx.body);
      return { status: 200, body: checkRunJson(run, shapeContext(ctx, repo)) };
    },
  },
  'checks/get': {
    method: 'get',
    path: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
    handle(ctx) {
      const repo = repoOf(ctx);
      return { status: 200, body: checkRunJson(runOf(ctx, repo), shapeContext(ctx, repo)) };
    },
  },
  'checks/list-for-ref': {
    method: 'get',
    path: '/repos/{owner}/{repo}/commits/{ref}/check-runs',
    handle(ctx) {
      const repo = repoOf(ctx);
      const sha = commitOf(ctx, repo, String(ctx.params.ref), `${docs.checkRuns}#list-check-runs-for-a-git-reference`);
      const name = optionalString(ctx, 'check_name');
      const status = optionalString(ctx, 'status');
      let runs = repo.checkRuns.filter((r) => r.headSha === sha && (!name || r.name === name) && (!status || r.status === status));
      runs = runs.sort((a, b) => b.id - a.id);
      if (optionalString(ctx, 'filter') !== 'all') runs = runs.filter((r, i) => runs.findIndex((o) => o.name === r.name) === i);
      const page = pageOf(runs, ctx.params, ctx.url);
      const body = { total_count: runs.length, check_runs: page.items.map((r) => checkRunJson(r, shapeContext(ctx, repo))) };
      return { status: 200, body, ...(page.link ? { headers: { link: page.link } } : {}) };
    },
  },
  'checks/list-annotations': {
    method: 'get',
    path: '/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
    handle(ctx) {
      const repo = repoOf(ctx);
      const run = runOf(ctx, repo);
      return listReply(ctx, run.annotations, (a) => annotationJson(a, run, shapeContext(ctx, repo)));
    },
  },
};
