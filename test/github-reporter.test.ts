// The GitHub reporter sends from an outbox, after the run has moved on: what a report
// says (each action's duration) is taken when the run ends, not when the outbox gets to it.

import { afterEach, describe, expect, it } from 'vitest';
import { githubReporter } from '../src/daemon/reporters/github/github-reporter.js';
import { startGithubStandIn, type GithubStandIn } from '../src/dev/github-stand-in/index.js';
import type { Action } from '../src/reconciler/plan-types.js';
import { silentLogger } from '../src/reconciler/logger.js';
import { request } from '../src/reconciler/requests.js';
import { openGithubClient } from '../src/sources/github/api/client.js';

const repo = 'acme/infra';
const first = 'a'.repeat(40);
const second = 'b'.repeat(40);
let gh: GithubStandIn;

afterEach(async () => {
  await gh?.close();
});

describe('the GitHub reporter', () => {
  it('keeps a run’s durations when the next run begins before its report is sent', async () => {
    gh = await startGithubStandIn();
    gh.world.addRepo(repo, { defaultBranch: 'main' });
    gh.world.addCommit(repo, first, { branch: 'main' });
    gh.world.addCommit(repo, second);
    const client = openGithubClient({ apiUrl: gh.url, app: { id: gh.app.id, privateKey: gh.app.privateKey }, comments: true, deployments: false }, { logger: silentLogger, pacing: 'none' });
    const reporter = githubReporter({ client, repository: { repository: repo, htmlUrl: `${gh.webUrl}/${repo}` }, comments: true, deployments: false, logger: silentLogger });
    const branch = request('webhook');
    const action: Action = { id: 'deploy:shop/web', kind: 'deploy', symbol: '~', project: 'shop', name: 'web', target: 'shop/web', reasons: ['memory 512 -> 1024'], after: [], status: 'pending' };
    const result = { id: action.id, kind: action.kind, target: action.target, status: 'done' as const, reasons: action.reasons, urls: { release: 'https://web.example.com' } };
    reporter.started!(branch, first, new Date().toISOString());
    reporter.progress!(branch, first, { type: 'start', action, index: 0, total: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    reporter.progress!(branch, first, { type: 'end', action, result });
    const at = new Date().toISOString();
    await reporter.report({ request: branch, revision: first, outcome: 'converged', plan: { version: 1, revision: first, actions: [action] }, results: [result], jobsQueued: 1, startedAt: at, finishedAt: at, errors: [] });
    // The next run begins at once; the first run's report is still waiting in the outbox.
    reporter.started!(branch, second, new Date().toISOString());
    await reporter.idle();
    const summary = gh.world.checkRuns(repo, first).find((c) => c.name === 'pilot/apply')?.output.summary ?? '';
    expect(summary).toMatch(/\*\*shop\/web\*\* deploy: done in \d+ ms/);
    expect(gh.invalid()).toEqual([]);
    client.close();
  });
});
