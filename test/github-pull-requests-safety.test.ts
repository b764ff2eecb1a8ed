// What a pull request may and may not make Pilot do on GitHub: a fork's head is planned
// without credentials; a manifest's text is rendered inert and Pilot's secrets never
// leave; a closed, unmerged pull request's comment is marked outdated; rate limits are
// waited out with nothing dropped; a token (not an App) gets commit statuses; App
// installation tokens are made again before they expire.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../src/app/settings.js';
import type { GithubReporter } from '../src/daemon/reporters/github/github-reporter.js';
import type { GithubStandIn } from '../src/dev/github-stand-in/index.js';
import { convergedAt, statusWhere, waitFor, waypointToken, webhookSecret, type TestDaemon } from './support/daemon-harness.js';
import { app, githubSource, repoToken, servedManifests } from './support/daemon-scenario.js';
import { deliver, pullRequestPayload, signed } from './support/daemon-webhooks.js';
import { startGitHttpServer } from './support/git-http-server.js';
import { createSourceRepo, git, temporaryFolder } from './support/git-repos.js';
import { githubRig } from './support/github-daemon.js';
import { githubRepository, pushPullRequestHead } from './support/pull-request-flow.js';
import { projectYaml, type ProjectOptions } from './support/reconcile-manifests.js';
import { selfSignedCertificate } from './support/tls.js';

const repo = 'acme/manifests';
const rig = githubRig(repo);
let gh: GithubStandIn;
const userToken = 'ghp_pilotSafetyTestsUserToken0123456789';
const sourceToken = 'ghs_pilotSafetyTestsSourceToken42';

/** A private app repository on an HTTPS git server wanting `sourceToken`; git here trusts its certificate. */
async function privateAppRepository(): Promise<{ url: string }> {
  const certificate = await selfSignedCertificate();
  const root = await temporaryFolder('pilot-private-');
  const origin = await createSourceRepo('private-app');
  await git(root, ['clone', '--quiet', '--bare', origin.bare, path.join(root, 'web.git')]);
  const server = await startGitHttpServer({ root, username: 'x-access-token', token: sourceToken, tls: certificate });
  rig.servers.push(server);
  process.env.GIT_SSL_CAINFO = certificate.certFile;
  return { url: server.url('web.git') };
}
interface Setup {
  d: TestDaemon;
  reporter: () => GithubReporter;
  url: string;
  bare: string;
  first: string;
  /** Pushes `files` as pull request `number` and says so to the daemon (opened, or `action`). */
  open(number: number, files: Record<string, string>, options?: { fork?: string; action?: string }): Promise<string>;
}

async function setUp(projects: ProjectOptions[], github?: (gh: GithubStandIn) => NonNullable<Settings['github']>, config: Partial<Settings> = {}): Promise<Setup> {
  const placeholder = await servedManifests();
  rig.servers.push(placeholder.server);
  const first = await placeholder.remote.push(...projects);
  githubRepository(gh, repo, first);
  const { d, reporter } = await rig.daemon(placeholder.url, { ...(github ? { github } : {}), config });
  await statusWhere(d, (s) => s.revision === first && s.running === undefined, 'main applied');
  const { url } = placeholder;
  return {
    d, reporter, url, bare: placeholder.remote.bare, first,
    async open(number, files, options = {}) {
      const head = await pushPullRequestHead(placeholder.remote.bare, number, files);
      gh.world.addCommit(repo, head);
      if ((options.action ?? 'opened') === 'opened') gh.world.addPullRequest(repo, { number, headSha: head, headRef: `change-${number}`, baseRef: 'main', ...(options.fork ? { headRepo: options.fork } : {}) });
      const payload = pullRequestPayload(url, repo, { action: options.action ?? 'opened', number, headSha: head, headRef: `change-${number}`, base: 'main', ...(options.fork ? { fork: options.fork } : {}) });
      await rig.send(d, 'pull_request', payload);
      return head;
    },
  };
}

const planned = (name: string, sha: string) => () => gh.world.checkRuns(repo, sha).find((c) => c.name === name && c.status === 'completed');

describe('pull requests on GitHub, safely', () => {
  it('plans a fork head without the source credentials, and says so', async () => {
    gh = await rig.startGithub();
    // The app's code is private, on an HTTPS git server that wants the source token.
    const { url: privateUrl } = await privateAppRepository();
    const s = await setUp([{ name: 'shop', apps: [app('web', privateUrl)] }], undefined, { sources: { host: '127.0.0.1', token: sourceToken } });
    await statusWhere(s.d, convergedAt(s.first, ['shop/web']), 'main converged with the token');
    const changed = projectYaml({ name: 'shop', apps: [app('web', privateUrl, { memory: 1024 })] });

    const own = await s.open(1, { 'shop/pilot.yaml': changed });
    await waitFor(planned('pilot/plan', own), 'the plan of a branch of the repository');
    const fork = await s.open(2, { 'shop/pilot.yaml': changed }, { fork: 'mallory/manifests' });
    await waitFor(planned('pilot/plan', fork), 'the plan of the fork');
    await s.reporter().idle();

    const ownBody = gh.world.comments(repo, 1)[0]!.body;
    const forkBody = gh.world.comments(repo, 2)[0]!.body;
    expect(ownBody).toContain('memory');
    expect(ownBody).not.toMatch(/fork/i);
    expect(forkBody).toMatch(/From a fork: planned without source credentials/);
    // Without the token the app's repository cannot be read: the plan says so and deploys nothing.
    expect(forkBody).toMatch(/shop\/web/);
    expect(forkBody).toMatch(/source not resolved .*cannot read https:\/\/127\.0\.0\.1:\d+\/web\.git: it refused access/);
    expect(gh.world.checkRuns(repo, own)[0]).toMatchObject({ conclusion: 'success' });
    expect(gh.world.checkRuns(repo, fork)[0]).toMatchObject({ conclusion: 'neutral' });
    expect(s.d.requests.filter((r) => r.kind === 'pull-request').map((r) => r.kind === 'pull-request' && r.fork)).toEqual([false, true]);
  });

  it('renders a manifest text inert and keeps every secret of Pilot out of GitHub', async () => {
    gh = await rig.startGithub();
    const web = await githubSource('web');
    const s = await setUp([{ name: 'shop', apps: [app('web', web.https)] }]);
    const nasty = `**bold** <img src=x onerror=alert(1)> @octocat #1 [x](javascript:alert(1)) ${repoToken} ${webhookSecret} ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    const yaml = projectYaml({ name: 'shop', apps: [app('web', web.https)] }).replace('memory: 512', `memory: ${JSON.stringify(nasty)}`);
    const head = await s.open(3, { 'shop/pilot.yaml': yaml });
    await waitFor(planned('pilot/plan', head), 'the plan check');
    await s.reporter().idle();

    const body = gh.world.comments(repo, 3)[0]!.body;
    expect(body).toContain('invalid');
    for (const live of ['**bold**', '<img', '@octocat', '](javascript:', ' #1 ']) expect(body).not.toContain(live);
    expect(body).toContain('[redacted]');
    const check = gh.world.checkRuns(repo, head)[0]!;
    expect(check.annotations[0]!.message).not.toContain(repoToken);
    const sent = JSON.stringify(gh.requests.map((r) => [r.headers, r.rawBody]));
    for (const secret of [repoToken, webhookSecret, waypointToken, gh.app.privateKey.split('\n')[1]!]) expect(sent).not.toContain(secret);
    expect(gh.invalid()).toEqual([]);
  });

  it('marks the comment of a pull request closed without merging as outdated, and drops it from the status page', async () => {
    gh = await rig.startGithub();
    const web = await githubSource('web');
    const s = await setUp([{ name: 'shop', apps: [app('web', web.https)] }]);
    const head = await s.open(4, { 'shop/pilot.yaml': projectYaml({ name: 'shop', apps: [app('web', web.https, { memory: 1024 })] }) });
    await waitFor(planned('pilot/plan', head), 'the plan check');
    await statusWhere(s.d, (st) => st.pullRequests.some((p) => p.number === 4), 'the plan on the status page');
    gh.world.closePullRequest(repo, 4);
    const payload = pullRequestPayload(s.url, repo, { action: 'closed', number: 4, headSha: head, headRef: 'change-4', base: 'main', merged: false });
    expect(await deliver(s.d.url, await signed('pull_request', payload, { secret: webhookSecret }))).toMatchObject({ status: 202 });
    await statusWhere(s.d, (st) => !st.pullRequests.some((p) => p.number === 4), 'the plan gone from the status page');
    await waitFor(() => /Outdated/.test(gh.world.comments(repo, 4)[0]?.body ?? ''), 'the comment marked outdated');
    expect(gh.world.comments(repo, 4)).toHaveLength(1);
    expect(gh.world.comments(repo, 4)[0]!.body).toContain('memory');
  });

  it('waits out rate limits and drops nothing', async () => {
    gh = await rig.startGithub();
    const web = await githubSource('web');
    const s = await setUp([{ name: 'shop', apps: [app('web', web.https)] }]);
    await s.reporter().idle();
    gh.rateLimit(2, 'secondary');
    const head = await s.open(5, { 'shop/pilot.yaml': projectYaml({ name: 'shop', apps: [app('web', web.https, { memory: 1024 })] }) });
    await waitFor(planned('pilot/plan', head), 'the plan check, after the rate limit');
    gh.rateLimit(1, 'primary');
    const next = await s.open(5, { 'shop/pilot.yaml': projectYaml({ name: 'shop', apps: [app('web', web.https, { memory: 2048 })] }) }, { action: 'synchronize' });
    await waitFor(planned('pilot/plan', next), 'the second plan check, after the primary limit');
    await s.reporter().idle();
    expect(gh.requests.filter((r) => r.status === 403)).toHaveLength(3);
    expect(gh.world.comments(repo, 5)).toHaveLength(1);
    expect(gh.world.comments(repo, 5)[0]!.body).toContain('2048');
    expect(s.d.logs.text()).toMatch(/secondary rate limit: waiting/);
    expect(s.d.logs.text()).toMatch(/primary rate limit: waiting/);
  });

  it('posts commit statuses, not check runs, with a token', async () => {
    gh = await rig.startGithub();
    gh.world.addUser('pilot-bot', { token: userToken });
    const web = await githubSource('web');
    const s = await setUp([{ name: 'shop', apps: [app('web', web.https)] }], (standIn) => ({ apiUrl: standIn.url, token: userToken, repository: repo, comments: true, deployments: true }));
    const head = await s.open(6, { 'shop/pilot.yaml': projectYaml({ name: 'shop', apps: [app('web', web.https, { memory: 1024 })] }) });
    await waitFor(() => gh.world.statuses(repo, head).find((st) => st.context === 'pilot/plan' && st.state === 'success'), 'a success status');
    await s.reporter().idle();
    expect(gh.world.statuses(repo, head).map((st) => st.state)).toEqual(['pending', 'success']);
    expect(gh.world.checkRuns(repo)).toEqual([]);
    expect(gh.world.comments(repo, 6)[0]!.author.login).toBe('pilot-bot');
    expect(gh.world.statuses(repo, s.first).map((st) => st.state)).toEqual(['pending', 'success']);
    expect(gh.invalid()).toEqual([]);
  });

  it('makes a new installation token before the old one expires', async () => {
    // Five minutes and a second: the first token is fresh enough once, then due for renewal.
    gh = await rig.startGithub({ installationTokenTtlMs: 5 * 60_000 + 1_000 });
    const web = await githubSource('web');
    const s = await setUp([{ name: 'shop', apps: [app('web', web.https)] }]);
    await s.reporter().idle();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const head = await s.open(7, { 'shop/pilot.yaml': projectYaml({ name: 'shop', apps: [app('web', web.https, { memory: 1024 })] }) });
    await waitFor(planned('pilot/plan', head), 'the plan check');
    await s.reporter().idle();
    const made = gh.requests.filter((r) => r.method === 'POST' && /\/app\/installations\/\d+\/access_tokens$/.test(r.path));
    expect(made.length).toBeGreaterThanOrEqual(2);
    expect(gh.requests.filter((r) => r.status === 401)).toEqual([]);
  });
});
