// Pilot's GitHub verbs against the stand-in (GitHub's OpenAPI description checks each
// request): the plan comment is found among the bot's own comments only, edited in place,
// split and joined again; an identical check is not sent twice, and annotations past 50
// go in later updates; GitHub Enterprise's /api/v3 works; secrets never leave.

import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/reconciler/logger.js';
import { startGithubStandIn, type GithubStandIn } from '../src/dev/github-stand-in/index.js';
import { checks, type CheckReport } from '../src/sources/github/api/checks.js';
import { openGithubClient, type GithubClient } from '../src/sources/github/api/client.js';
import { markPlanCommentOutdated, outdatedLine, upsertPlanComment } from '../src/sources/github/api/comments.js';

const repo = 'acme/infra';
const head = 'a'.repeat(40);
let gh: GithubStandIn;
let client: GithubClient | undefined;

afterEach(async () => {
  client?.close();
  await gh?.close();
});

async function standIn(pathPrefix = ''): Promise<GithubClient> {
  gh = await startGithubStandIn({ pathPrefix });
  gh.world.addRepo(repo, { defaultBranch: 'main' });
  gh.world.addCommit(repo, head, { branch: 'main' });
  gh.world.addPullRequest(repo, { number: 1, headSha: head, headRef: 'feature', baseRef: 'main' });
  client = openGithubClient({ apiUrl: gh.url, app: { id: gh.app.id, privateKey: gh.app.privateKey }, comments: true, deployments: true }, { logger: silentLogger, pacing: 'none', secrets: ['hunter2-secret'] });
  return client;
}

describe('the plan comment', () => {
  it('is the bot’s own: a look-alike by someone else is left alone', async () => {
    const api = await standIn();
    gh.world.addUser('mallory', { token: 'ghp_mallory' });
    const { Octokit } = await import('@octokit/rest');
    const mallory = new Octokit({ auth: 'ghp_mallory', baseUrl: gh.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
    await mallory.rest.issues.createComment({ owner: 'acme', repo: 'infra', issue_number: 1, body: '<!-- pilot:plan part=1 -->\nfake plan' });

    expect(await upsertPlanComment(api, repo, 1, ['<!-- pilot:plan part=1 -->\nplan one'])).toMatchObject({ created: 1, updated: 0 });
    expect(await upsertPlanComment(api, repo, 1, ['<!-- pilot:plan part=1 -->\nplan two'])).toMatchObject({ created: 0, updated: 1 });
    expect(await upsertPlanComment(api, repo, 1, ['<!-- pilot:plan part=1 -->\nplan two'])).toMatchObject({ unchanged: 1, updated: 0 });
    const comments = gh.world.comments(repo, 1);
    expect(comments.map((c) => [c.author.login, c.body])).toEqual([
      ['mallory', '<!-- pilot:plan part=1 -->\nfake plan'],
      [`${gh.app.slug}[bot]`, '<!-- pilot:plan part=1 -->\nplan two'],
    ]);
    expect(comments[0]!.history).toHaveLength(1);
    expect(gh.invalid()).toEqual([]);
  });

  it('grows into parts and shrinks back, deleting the part no longer needed', async () => {
    const api = await standIn();
    const parts = ['<!-- pilot:plan part=1 -->\none', '<!-- pilot:plan part=2 -->\ntwo'];
    expect(await upsertPlanComment(api, repo, 1, parts)).toMatchObject({ created: 2 });
    expect(await upsertPlanComment(api, repo, 1, ['<!-- pilot:plan part=1 -->\nall in one'])).toMatchObject({ updated: 1, deleted: 1 });
    expect(gh.world.comments(repo, 1).map((c) => c.body)).toEqual(['<!-- pilot:plan part=1 -->\nall in one']);
  });

  it('is marked outdated once, when its plan is no longer known', async () => {
    const api = await standIn();
    expect(await markPlanCommentOutdated(api, repo, 1)).toBe(false);
    await upsertPlanComment(api, repo, 1, ['<!-- pilot:plan part=1 -->\n### Pilot plan: planned']);
    expect(await markPlanCommentOutdated(api, repo, 1)).toBe(true);
    expect(await markPlanCommentOutdated(api, repo, 1)).toBe(false);
    expect(gh.world.comments(repo, 1).map((c) => c.body)).toEqual([`<!-- pilot:plan part=1 -->\n\n${outdatedLine}\n### Pilot plan: planned`]);
  });

  it('never carries a secret Pilot holds', async () => {
    const api = await standIn();
    await upsertPlanComment(api, repo, 1, ['<!-- pilot:plan part=1 -->\nerror: token hunter2-secret refused']);
    expect(gh.world.comments(repo, 1)[0]!.body).toBe('<!-- pilot:plan part=1 -->\nerror: token [redacted] refused');
    expect(JSON.stringify(gh.requests.map((r) => r.rawBody))).not.toContain('hunter2-secret');
  });
});

describe('checks', () => {
  const report = (extra: Partial<CheckReport> = {}): CheckReport => ({ name: 'pilot/plan', sha: head, status: 'completed', conclusion: 'failure', title: 'Invalid', summary: 'two errors', ...extra });

  it('sends an identical report once, and annotations past 50 in later updates', async () => {
    const api = await standIn();
    const published = checks(api);
    const annotations = Array.from({ length: 120 }, (_, i) => ({ path: 'a/pilot.yaml', line: i + 1, col: 3, level: 'failure' as const, message: `problem ${i}` }));
    expect(await published.publish(repo, report({ status: 'in_progress', title: 'Planning' }))).toBe('sent');
    expect(await published.publish(repo, report({ annotations }))).toBe('sent');
    const before = gh.requests.length;
    expect(await published.publish(repo, report({ annotations }))).toBe('unchanged');
    expect(gh.requests).toHaveLength(before);
    const runs = gh.world.checkRuns(repo, head);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.annotations.map((a) => a.start_line)).toEqual(annotations.map((a) => a.line));
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
    expect(gh.invalid()).toEqual([]);
  });

  it('works under GitHub Enterprise’s /api/v3', async () => {
    const api = await standIn('/api/v3');
    expect(gh.url).toMatch(/\/api\/v3$/);
    await checks(api).publish(repo, report());
    expect(gh.requests.map((r) => r.path)).toContain('/api/v3/repos/acme/infra/check-runs');
    expect(gh.world.checkRuns(repo, head)).toHaveLength(1);
  });
});
