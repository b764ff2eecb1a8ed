// The GitHub stand-in (src/dev/github-stand-in/) driven by a real Octokit: valid calls
// change its world and answer in GitHub's shapes (checkAnswers validates every answer
// against the OpenAPI description); each refusal GitHub would make is made, with its
// status, and recorded in gh.invalid().

import { generateKeyPairSync, sign } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { describe, expect, it, vi } from 'vitest';
import { startGithubStandIn, type GithubStandIn } from '../src/dev/github-stand-in/index.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const [mainSha, headSha, mergeSha, strangerSha] = ['a', 'b', 'c', 'd'].map((c) => c.repeat(40)) as [string, string, string, string];
const ref = { owner: 'acme', repo: 'infra' };

type Options = Parameters<typeof startGithubStandIn>[0];

/** A stand-in with alice and bob, acme/infra at mainSha and pull request #7 (feature/x at headSha); always closed. */
async function withGithub(test: (gh: GithubStandIn) => Promise<void>, options: Options = {}): Promise<void> {
  const gh = await startGithubStandIn({ checkAnswers: true, ...options });
  try {
    gh.world.addUser('alice', { token: 'alice-token' });
    gh.world.addUser('bob', { token: 'bob-token' });
    gh.world.addRepo('acme/infra');
    gh.world.addCommit('acme/infra', mainSha, { branch: 'main' });
    gh.world.addPullRequest('acme/infra', { number: 7, headSha, headRef: 'feature/x', baseRef: 'main', user: 'alice' });
    await test(gh);
  } finally {
    await gh.close();
  }
}

function client(gh: GithubStandIn, auth: string): Octokit {
  return new Octokit({ auth, baseUrl: gh.url, request: { retries: 0 }, log: quiet });
}

/** Octokit as the app: JWT, then an installation token, as Pilot's app mode does. */
function appClient(gh: GithubStandIn): Octokit {
  const auth = { appId: gh.app.id, privateKey: gh.app.privateKey, installationId: gh.app.installationId };
  return new Octokit({ authStrategy: createAppAuth, auth, baseUrl: gh.url, request: { retries: 0 }, log: quiet });
}

type Refusal = { status: number; message: string; response: { data: { message: string }; headers: Record<string, string> } };

async function refusal(call: Promise<unknown>): Promise<Refusal> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error as Refusal,
  );
  if (!outcome) throw new Error('the stand-in accepted a request it should refuse');
  return outcome;
}

function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), privateKey).toString('base64url')}`;
}

describe('the GitHub stand-in', () => {
  it('keeps comments with their author and edits, pages them with Link headers, deletes them', async () => {
    await withGithub(async (gh) => {
      const alice = client(gh, 'alice-token');
      for (const n of [1, 2, 3, 4, 5]) await alice.rest.issues.createComment({ ...ref, issue_number: 7, body: `comment ${n}` });
      const first = await alice.rest.issues.listComments({ ...ref, issue_number: 7, per_page: 2 });
      expect(first.headers.link).toMatch(/[?&]page=2[^>]*>; rel="next", <[^>]*[?&]page=3[^>]*>; rel="last"/);
      const all = await alice.paginate(alice.rest.issues.listComments, { ...ref, issue_number: 7, per_page: 2 });
      expect(all.map((c) => c.body)).toEqual(['comment 1', 'comment 2', 'comment 3', 'comment 4', 'comment 5']);
      expect(all[0]!.html_url).toBe(`${gh.webUrl}/acme/infra/pull/7#issuecomment-${all[0]!.id}`);
      await alice.rest.issues.updateComment({ ...ref, comment_id: all[0]!.id, body: 'edited' });
      await alice.rest.issues.deleteComment({ ...ref, comment_id: all[1]!.id });
      const kept = gh.world.comments('acme/infra', 7);
      expect(kept.map((c) => [c.author.login, c.body])).toEqual([['alice', 'edited'], ['alice', 'comment 3'], ['alice', 'comment 4'], ['alice', 'comment 5']]);
      expect(kept[0]!.history.map((h) => h.body)).toEqual(['comment 1', 'edited']);
      expect(gh.requests[0]!.headers.authorization).toBe('token');
      expect(gh.invalid()).toEqual([]);
    });
  });

  it('refuses bodies and parameters that break the OpenAPI description with 422', async () => {
    await withGithub(async (gh) => {
      const alice = client(gh, 'alice-token');
      // A route typed as plain string lets wrong types through to the stand-in.
      const send = (route: string, params: Record<string, unknown>) => alice.request(route, { ...ref, ...params });
      const comments = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
      const calls = [
        send(`POST ${comments}`, { issue_number: 7, body: 42 }),
        send(`POST ${comments}`, { issue_number: 7 }),
        send(`POST ${comments}`, { issue_number: 7, body: 'x', bdy: 'typo' }),
        send(`GET ${comments}`, { issue_number: 'seven' }),
        send(`GET ${comments}`, { issue_number: 7, per_page: 'many' }),
        send('POST /repos/{owner}/{repo}/statuses/{sha}', { sha: headSha, state: 'green' }),
      ];
      const refusals = await Promise.all(calls.map(refusal));
      expect(refusals.map((r) => r.status)).toEqual([422, 422, 422, 422, 422, 422]);
      expect(refusals.map((r) => r.response.data.message.split('\n\n')[1])).toEqual([
        "For 'body', 42 must be string.",
        '"body" wasn\'t supplied.',
        '"bdy" is not a permitted key.',
        'For \'issue_number\' in the path, "seven" must be integer.',
        'For \'per_page\' in the query, "many" must be integer.',
        'For \'state\', "green" must be equal to one of the allowed values: ["error","failure","pending","success"].',
      ]);
      expect(gh.invalid()).toHaveLength(6);
      expect(gh.world.comments('acme/infra', 7)).toEqual([]);
    });
  });

  it('accepts null where the description says nullable', async () => {
    await withGithub(async (gh) => {
      const alice = client(gh, 'alice-token');
      const status = await alice.rest.repos.createCommitStatus({ ...ref, sha: headSha, state: 'pending', target_url: null, description: null });
      expect(status.data).toMatchObject({ state: 'pending', target_url: null, description: null, context: 'default' });
      const deployment = await alice.rest.repos.createDeployment({ ...ref, ref: 'main', description: null, required_contexts: [] });
      expect(deployment.status).toBe(201);
      expect(gh.invalid()).toEqual([]);
    });
  });

  it("refuses a comment over 65,536 characters and edits of someone else's comment", async () => {
    await withGithub(async (gh) => {
      const [alice, bob] = [client(gh, 'alice-token'), client(gh, 'bob-token')];
      const longest = await alice.rest.issues.createComment({ ...ref, issue_number: 7, body: 'x'.repeat(65_536) });
      const tooLong = await refusal(alice.rest.issues.createComment({ ...ref, issue_number: 7, body: 'x'.repeat(65_537) }));
      expect([tooLong.status, tooLong.message]).toEqual([422, expect.stringContaining('Body is too long (maximum is 65536 characters)')]);
      const blank = await refusal(alice.rest.issues.updateComment({ ...ref, comment_id: longest.data.id, body: ' \n' }));
      expect([blank.status, blank.message]).toEqual([422, expect.stringContaining('Body cannot be blank')]);
      const edit = await refusal(bob.rest.issues.updateComment({ ...ref, comment_id: longest.data.id, body: 'mine now' }));
      const removal = await refusal(bob.rest.issues.deleteComment({ ...ref, comment_id: longest.data.id }));
      expect([edit.status, removal.status]).toEqual([403, 403]);
      expect(gh.world.comments('acme/infra', 7).map((c) => c.body.length)).toEqual([65_536]);
      expect(gh.invalid().map((r) => [r.method, r.status])).toEqual([['POST', 422], ['PATCH', 422], ['PATCH', 403], ['DELETE', 403]]);
    });
  });

  it('answers 404 for paths GitHub does not have and 501 for ones the stand-in does not implement', async () => {
    await withGithub(async (gh) => {
      const alice = client(gh, 'alice-token');
      const missing = await refusal(alice.request('GET /repos/{owner}/{repo}/no-such-thing', ref));
      expect([missing.status, missing.response.data]).toEqual([404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }]);
      const branch = await refusal(alice.rest.repos.getBranch({ ...ref, branch: 'main' }));
      expect([branch.status, branch.response.data.message]).toEqual([501, expect.stringContaining('GET /repos/{owner}/{repo}/branches/{branch} (repos/get-branch)')]);
      expect(gh.invalid().map((r) => r.status)).toEqual([404, 501]);
    });
  });

  it('wants credentials on every request, and the JWT only on the app endpoints', async () => {
    await withGithub(async (gh) => {
      const appJwt = jwt(gh.app.privateKey, { iss: gh.app.id, iat: Math.floor(Date.now() / 1000) - 30, exp: Math.floor(Date.now() / 1000) + 540 });
      const anonymous = new Octokit({ baseUrl: gh.url, request: { retries: 0 }, log: quiet });
      const answers = await Promise.all([
        refusal(anonymous.rest.users.getAuthenticated()),
        refusal(client(gh, 'stolen-token').rest.users.getAuthenticated()),
        refusal(client(gh, 'alice-token').rest.apps.getAuthenticated()),
        refusal(client(gh, appJwt).rest.issues.listComments({ ...ref, issue_number: 7 })),
      ]);
      expect(answers.map((a) => [a.status, a.response.data.message])).toEqual([
        [401, 'Requires authentication'],
        [401, 'Bad credentials'],
        [401, 'A JSON web token could not be decoded'],
        [401, expect.stringContaining('JWT is accepted only on the app')],
      ]);
      expect((await client(gh, appJwt).rest.apps.getAuthenticated()).data).toMatchObject({ id: gh.app.id, slug: gh.app.slug });
      expect((await client(gh, 'alice-token').rest.users.getAuthenticated()).data).toMatchObject({ login: 'alice', type: 'User' });
      expect(gh.invalid()).toHaveLength(4);
    });
  });

  it("checks the JWT's signature and claims and says which one is wrong", async () => {
    await withGithub(async (gh) => {
      const now = Math.floor(Date.now() / 1000);
      const good = { iss: String(gh.app.id), iat: now - 30, exp: now + 570 };
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const tokens = [
        jwt(otherKey, good),
        jwt(gh.app.privateKey, { ...good, iss: 1 }),
        jwt(gh.app.privateKey, { ...good, exp: now - 1 }),
        jwt(gh.app.privateKey, { ...good, iat: now + 120, exp: now + 500 }),
        jwt(gh.app.privateKey, { ...good, iat: now - 30, exp: now + 700 }),
      ];
      const answers = await Promise.all(tokens.map((token) => refusal(client(gh, token).rest.apps.getAuthenticated())));
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
      expect(answers.map((a) => a.response.data.message)).toEqual([
        expect.stringContaining('signature does not verify'),
        expect.stringContaining("'Issuer' claim ('iss') must be the app's id"),
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
        "'Expiration time' claim ('exp') is too far in the future",
      ]);
      expect((await client(gh, jwt(gh.app.privateKey, good)).rest.apps.getAuthenticated()).status).toBe(200);
      expect(gh.invalid()).toHaveLength(5);
    });
  });

  it('goes from the JWT to an installation token to a comment by the bot, and refuses check runs to a personal token', async () => {
    await withGithub(async (gh) => {
      const app = appClient(gh);
      const comment = await app.rest.issues.createComment({ ...ref, issue_number: 7, body: 'plan' });
      expect(comment.data.user).toMatchObject({ login: `${gh.app.slug}[bot]`, type: 'Bot' });
      expect(gh.requests.map((r) => r.operationId)).toEqual(['apps/create-installation-access-token', 'issues/create-comment']);
      expect(gh.requests[0]!.headers.authorization).toBe('bearer');
      const installation = await client(gh, jwt(gh.app.privateKey, { iss: gh.app.id, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 }))
        .rest.apps.getRepoInstallation(ref);
      expect(installation.data).toMatchObject({ id: gh.app.installationId, app_id: gh.app.id });
      const byToken = await refusal(client(gh, 'alice-token').rest.checks.create({ ...ref, name: 'pilot/plan', head_sha: headSha }));
      expect([byToken.status, byToken.response.data.message]).toEqual([403, 'You must authenticate via a GitHub App.']);
      const asBot = await refusal(app.rest.users.getAuthenticated());
      expect([asBot.status, asBot.response.data.message]).toEqual([403, 'Resource not accessible by integration']);
      expect(gh.invalid().map((r) => r.operationId)).toEqual(['checks/create', 'users/get-authenticated']);
    });
  });

  it('refuses an installation token once it expired, and takes a new one', async () => {
    await withGithub(
      async (gh) => {
        const appJwt = jwt(gh.app.privateKey, { iss: gh.app.id, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 });
        const mint = async () => (await client(gh, appJwt).rest.apps.createInstallationAccessToken({ installation_id: gh.app.installationId })).data;
        const first = await mint();
        expect(first.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
        expect(Date.parse(first.expires_at)).toBeLessThanOrEqual(Date.now() + 300);
        expect((await client(gh, first.token).rest.issues.listComments({ ...ref, issue_number: 7 })).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 350));
        const expired = await refusal(client(gh, first.token).rest.issues.listComments({ ...ref, issue_number: 7 }));
        expect([expired.status, expired.response.data.message]).toEqual([401, 'Bad credentials']);
        expect(gh.invalid()[0]!.invalid![0]).toMatch(/^installation token expired at /);
        const second = await mint();
        expect((await client(gh, second.token).rest.issues.listComments({ ...ref, issue_number: 7 })).status).toBe(200);
      },
      { installationTokenTtlMs: 300 },
    );
  });

  it('keeps check runs: 50 annotations a request, appended on update, listed per commit and name', async () => {
    await withGithub(async (gh) => {
      const app = appClient(gh);
      const note = (line: number) => ({ path: 'pilot.yaml', start_line: line, end_line: line, annotation_level: 'failure' as const, message: `bad ${line}` });
      const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => note(from + i));
      const output = (count: number, from = 1) => ({ title: 'Plan', summary: 'Problems', annotations: lines(from, count) });
      const run = await app.rest.checks.create({ ...ref, name: 'pilot/plan', head_sha: headSha, status: 'in_progress', output: output(50) });
      await app.rest.checks.update({ ...ref, check_run_id: run.data.id, conclusion: 'failure', output: output(20, 51) });
      await app.rest.checks.create({ ...ref, name: 'pilot/apply', head_sha: headSha, conclusion: 'success', output: { title: 'Applied', summary: 'ok' } });
      const tooMany = await refusal(app.rest.checks.create({ ...ref, name: 'pilot/plan', head_sha: headSha, output: output(51) }));
      const noCommit = await refusal(app.rest.checks.create({ ...ref, name: 'pilot/plan', head_sha: strangerSha }));
      const noConclusion = await refusal(app.rest.checks.create({ ...ref, name: 'pilot/plan', head_sha: headSha, status: 'completed' }));
      const spread = { ...note(3), end_line: 4, start_column: 1, end_column: 5 };
      const columns = await refusal(app.rest.checks.update({ ...ref, check_run_id: run.data.id, output: { title: 'Plan', summary: 'x', annotations: [spread] } }));
      expect([tooMany.status, noCommit.status, noConclusion.status, columns.status]).toEqual([422, 422, 422, 422]);
      expect(noCommit.response.data.message).toBe(`No commit found for SHA: ${strangerSha}`);
      const stored = gh.world.checkRuns('acme/infra', headSha);
      expect(stored.map((r) => [r.name, r.status, r.conclusion, r.annotations.length])).toEqual([['pilot/plan', 'completed', 'failure', 70], ['pilot/apply', 'completed', 'success', 0]]);
      const listed = await app.rest.checks.listForRef({ ...ref, ref: headSha, check_name: 'pilot/plan' });
      expect([listed.data.total_count, listed.data.check_runs[0]!.output.annotations_count]).toEqual([1, 70]);
      const notes = await app.paginate(app.rest.checks.listAnnotations, { ...ref, check_run_id: run.data.id, per_page: 30 });
      expect(notes.map((n) => n.start_line)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
      expect(gh.invalid().map((r) => r.status)).toEqual([422, 422, 422, 422]);
    });
  });

  it('keeps commit statuses on commits the repository has, folded into a combined state per ref', async () => {
    await withGithub(async (gh) => {
      const alice = client(gh, 'alice-token');
      await alice.rest.repos.createCommitStatus({ ...ref, sha: headSha, state: 'pending', context: 'pilot/plan' });
      await alice.rest.repos.createCommitStatus({ ...ref, sha: headSha, state: 'success', context: 'pilot/plan', description: 'No changes' });
      await alice.rest.repos.createCommitStatus({ ...ref, sha: headSha, state: 'failure', context: 'ci' });
      // Octokit sends feature/x as feature%2Fx; a literal slash must route the same (x-multi-segment).
      const combined = await alice.rest.repos.getCombinedStatusForRef({ ...ref, ref: 'feature/x' });
      expect([combined.data.state, combined.data.total_count, combined.data.sha]).toEqual(['failure', 2, headSha]);
      const raw = await fetch(`${gh.url}/repos/acme/infra/commits/feature/x/statuses`, { headers: { authorization: 'token alice-token' } });
      expect(((await raw.json()) as unknown[]).length).toBe(3);
      const unknown = await refusal(alice.rest.repos.createCommitStatus({ ...ref, sha: strangerSha, state: 'success' }));
      const long = await refusal(alice.rest.repos.createCommitStatus({ ...ref, sha: headSha, state: 'success', description: 'x'.repeat(141) }));
      expect([unknown.status, unknown.response.data.message, long.status]).toEqual([422, `No commit found for SHA: ${strangerSha}`, 422]);
      expect(long.message).toContain('description is too long (maximum is 140 characters)');
      expect(gh.world.statuses('acme/infra', headSha)).toHaveLength(3);
      expect(gh.invalid()).toHaveLength(2);
    });
  });

  it('deploys only when every status and check on the ref passes, unless required_contexts says otherwise', async () => {
    await withGithub(async (gh) => {
      const alice = client(gh, 'alice-token');
      await alice.rest.repos.createCommitStatus({ ...ref, sha: mainSha, state: 'success', context: 'pilot/plan' });
      await alice.rest.repos.createCommitStatus({ ...ref, sha: mainSha, state: 'pending', context: 'ci' });
      const blocked = await refusal(alice.rest.repos.createDeployment({ ...ref, ref: 'main', environment: 'acme/web' }));
      expect([blocked.status, blocked.response.data.message]).toEqual([409, 'Conflict: Commit status checks failed for main.']);
      const onPlan = await alice.rest.repos.createDeployment({ ...ref, ref: 'main', environment: 'acme/web', required_contexts: ['pilot/plan'], production_environment: false });
      const id = (onPlan.data as { id: number }).id;
      await alice.rest.repos.createDeploymentStatus({ ...ref, deployment_id: id, state: 'success', environment_url: 'https://web.example' });
      const later = await alice.rest.repos.createDeployment({ ...ref, ref: mainSha, environment: 'acme/web', required_contexts: [], production_environment: false });
      await alice.rest.repos.createDeploymentStatus({ ...ref, deployment_id: (later.data as { id: number }).id, state: 'success' });
      const gone = await refusal(alice.rest.repos.createDeploymentStatus({ ...ref, deployment_id: 999_999, state: 'success' }));
      expect(gone.status).toBe(404);
      const listed = await alice.rest.repos.listDeployments({ ...ref, environment: 'acme/web', sha: mainSha });
      expect(listed.data.map((d) => d.id)).toEqual([(later.data as { id: number }).id, id]);
      const statuses = await alice.rest.repos.listDeploymentStatuses({ ...ref, deployment_id: id });
      expect(statuses.data.map((s) => s.state)).toEqual(['inactive', 'success']);
      expect(gh.world.deployments('acme/infra').map((d) => d.statuses.length)).toEqual([2, 1]);
      expect(gh.invalid().map((r) => r.status)).toEqual([409, 404]);
    });
  });

  it('finds pull requests by number and by their head or merge commit', async () => {
    await withGithub(async (gh) => {
      gh.world.addPullRequest('acme/infra', { number: 8, headSha: 'e'.repeat(40), headRef: 'patch-1', baseRef: 'main', headRepo: 'mallory/infra', user: 'mallory' });
      gh.world.mergePullRequest('acme/infra', 7, mergeSha);
      const alice = client(gh, 'alice-token');
      const merged = await alice.rest.repos.listPullRequestsAssociatedWithCommit({ ...ref, commit_sha: mergeSha });
      expect(merged.data.map((pr) => [pr.number, pr.merge_commit_sha, pr.state])).toEqual([[7, mergeSha, 'closed']]);
      const fork = await alice.rest.pulls.get({ ...ref, pull_number: 8 });
      expect([fork.data.head.repo?.full_name, fork.data.head.label, fork.data.merged]).toEqual(['mallory/infra', 'mallory:patch-1', false]);
      expect((await alice.rest.repos.get(ref)).data.default_branch).toBe('main');
      expect(gh.invalid()).toEqual([]);
    });
  });

  it('sends rate-limit headers on every answer and refuses as GitHub does when asked, which throttling clients wait out', async () => {
    await withGithub(async (gh) => {
      const alice = client(gh, 'alice-token');
      const ok = await alice.rest.repos.get(ref);
      const limits = ['limit', 'remaining', 'used', 'resource'].map((name) => ok.headers[`x-ratelimit-${name}`]);
      expect(limits).toEqual(['5000', '4999', '1', 'core']);
      gh.rateLimit(1, 'secondary');
      const secondary = await refusal(alice.rest.repos.get(ref));
      expect([secondary.status, secondary.response.headers['retry-after'], secondary.response.data.message]).toEqual([
        403, '1', 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      ]);
      gh.rateLimit(1, 'primary');
      const primary = await refusal(alice.rest.repos.get(ref));
      const reset = Number(primary.response.headers['x-ratelimit-reset']);
      expect([primary.status, primary.response.headers['x-ratelimit-remaining']]).toEqual([403, '0']);
      expect(reset - Date.now() / 1000).toBeGreaterThan(-1);
      expect(reset - Date.now() / 1000).toBeLessThanOrEqual(1);
      expect(primary.response.data.message).toMatch(/^API rate limit exceeded for user ID \d+\.$/);

      const Throttled = Octokit.plugin(throttling);
      const waits: string[] = [];
      const throttle = { onRateLimit: () => (waits.push('primary'), true), onSecondaryRateLimit: () => (waits.push('secondary'), true) };
      const patient = new Throttled({ auth: 'alice-token', baseUrl: gh.url, request: { retries: 0 }, log: quiet, throttle });
      gh.rateLimit(1, 'secondary');
      gh.rateLimit(1, 'primary');
      expect((await patient.rest.repos.get(ref)).status).toBe(200);
      expect(waits).toEqual(['secondary', 'primary']);
      expect(gh.requests.map((r) => r.rateLimited ?? r.status)).toEqual([200, 'secondary', 'primary', 'secondary', 'primary', 200]);
      expect(gh.invalid()).toEqual([]);
    });
  }, 15_000);

  it('acts as GitHub Enterprise Server under /api/v3', async () => {
    await withGithub(
      async (gh) => {
        expect(gh.url).toBe(`${gh.webUrl}/api/v3`);
        const app = appClient(gh);
        for (const body of ['one', 'two', 'three']) await app.rest.issues.createComment({ ...ref, issue_number: 7, body });
        const page = await app.rest.issues.listComments({ ...ref, issue_number: 7, per_page: 2 });
        expect(page.headers.link).toContain(`<${gh.url}/repos/acme/infra/issues/7/comments?per_page=2&page=2>; rel="next"`);
        expect(page.data[0]).toMatchObject({ url: `${gh.url}/repos/acme/infra/issues/comments/${page.data[0]!.id}`, user: { type: 'Bot' } });
        const all = await app.paginate(app.rest.issues.listComments, { ...ref, issue_number: 7, per_page: 2 });
        expect(all.map((c) => c.body)).toEqual(['one', 'two', 'three']);
        const outside = await fetch(`${gh.webUrl}/repos/acme/infra`, { headers: { authorization: 'token alice-token' } });
        expect(outside.status).toBe(404);
        expect(gh.requests[0]!.path).toBe(`/api/v3/app/installations/${gh.app.installationId}/access_tokens`);
        expect(gh.invalid().map((r) => r.path)).toEqual(['/repos/acme/infra']);
      },
      { pathPrefix: '/api/v3' },
    );
  });

  it('shows the world on a read-only page for the demo: escaped, without credentials, not recorded', async () => {
    await withGithub(async (gh) => {
      const body = '<script>alert(1)</script> & "plan"';
      await appClient(gh).rest.issues.createComment({ ...ref, issue_number: 7, body });
      await appClient(gh).rest.checks.create({ ...ref, name: 'pilot/plan', head_sha: headSha, conclusion: 'success', output: { title: '<b>ok</b>', summary: 'fine' } });
      const recorded = gh.requests.length;
      const html = await (await fetch(`${gh.webUrl}/_stand-in/`)).text();
      expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;plan&#34;');
      expect(html).toContain('&#60;b&#62;ok&#60;/b&#62;');
      expect(html).not.toMatch(/<script|<b>ok/);
      const state = (await (await fetch(`${gh.webUrl}/_stand-in/state.json`)).json()) as {
        repositories: { fullName: string; pullRequests: { comments: { author: string; body: string }[] }[]; checkRuns: { name: string }[] }[];
      };
      expect(state.repositories[0]!.pullRequests[0]!.comments).toMatchObject([{ author: `${gh.app.slug}[bot]`, body }]);
      expect(state.repositories[0]!.checkRuns.map((r) => r.name)).toEqual(['pilot/plan']);
      expect(gh.requests).toHaveLength(recorded);
    });
  });

  it("will not start without GitHub's OpenAPI description unless told to run unvalidated, and then says so", async () => {
    vi.resetModules();
    vi.doMock('../src/dev/github-stand-in/openapi-document.js', async (load) => ({ ...(await load<object>()), loadOpenApi: () => undefined }));
    try {
      const fresh = await import('../src/dev/github-stand-in/index.js');
      await expect(fresh.startGithubStandIn()).rejects.toThrow(/@octokit\/openapi.*openapi: 'if-installed'/);
      const gh = await fresh.startGithubStandIn({ openapi: 'if-installed' });
      try {
        expect(gh.validating).toBe(false);
        gh.world.addUser('alice', { token: 'alice-token' });
        gh.world.addRepo('acme/infra');
        gh.world.addPullRequest('acme/infra', { number: 7, headSha, headRef: 'feature/x', baseRef: 'main' });
        const alice = client(gh, 'alice-token');
        const loose = await alice.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...ref, issue_number: 7, body: 'hi', bdy: 'typo' });
        expect(loose.status).toBe(201);
        const tooLong = await refusal(alice.rest.issues.createComment({ ...ref, issue_number: 7, body: 'x'.repeat(65_537) }));
        expect(tooLong.status).toBe(422);
        expect(gh.invalid()).toHaveLength(1);
      } finally {
        await gh.close();
      }
    } finally {
      vi.doUnmock('../src/dev/github-stand-in/openapi-document.js');
      vi.resetModules();
    }
  });
});
