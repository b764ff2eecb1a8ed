// The pull request loop end to end, through the daemon and the GitHub stand-in (every
// request checked against GitHub's OpenAPI description): a pull request that adds an app
// and breaks another file gets one comment and a failing check annotated on the broken
// line; a fix updates the same comment and passes; the merge applies through the
// Waypoint emulator, the comment gains the results, pilot/apply passes on the merge
// commit and each app deployed has a GitHub deployment with a success status and its URL.

import { describe, expect, it } from 'vitest';
import { projectYaml } from './support/reconcile-manifests.js';
import { convergedAt, statusWhere, waitFor, waypointToken, webhookSecret } from './support/daemon-harness.js';
import { app, githubSource, repoToken, servedManifests } from './support/daemon-scenario.js';
import { pullRequestPayload, pushPayload } from './support/daemon-webhooks.js';
import { githubRig } from './support/github-daemon.js';
import { githubRepository, lineOf, mergePullRequest, pushPullRequestHead } from './support/pull-request-flow.js';

const repo = 'acme/manifests';
const rig = githubRig(repo);
const { send } = rig;

const completed = (name: string, sha: string) => () => rig.gh().world.checkRuns(repo, sha).find((c) => c.name === name && c.status === 'completed');

describe('a pull request, from opened to merged', () => {
  it('keeps one comment and a check up to date, then reports the apply with deployments', async () => {
    const gh = await rig.startGithub();
    const web = await githubSource('web');
    const api = await githubSource('api');
    const shop = { name: 'shop', apps: [app('web', web.https)] };
    const other = { name: 'other', apps: [app('worker', web.https)] };
    const { remote, server, url } = await servedManifests(shop, other);
    rig.servers.push(server);
    githubRepository(gh, repo, remote.first);
    const { d, reporter } = await rig.daemon(url);
    await statusWhere(d, convergedAt(remote.first, ['shop/web', 'other/worker']), 'main converged');
    await waitFor(completed('pilot/apply', remote.first), 'the first apply reported');

    // Opened: adds shop/api, and breaks other/pilot.yaml.
    const broken = projectYaml(other).replace('memory: 512', 'memory: lots');
    const head = await pushPullRequestHead(remote.bare, 5, { 'shop/pilot.yaml': projectYaml({ ...shop, apps: [...shop.apps, app('api', api.https)] }), 'other/pilot.yaml': broken });
    gh.world.addCommit(repo, head);
    gh.world.addPullRequest(repo, { number: 5, headSha: head, headRef: 'add-api', baseRef: 'main' });
    const htmlUrl = url.replace(/\.git$/, '');
    await send(d, 'pull_request', pullRequestPayload(url, repo, { action: 'opened', number: 5, headSha: head, headRef: 'add-api', base: 'main' }));
    const failing = await waitFor(completed('pilot/plan', head), 'the plan check of the broken head');
    await reporter().idle();

    const line = lineOf(broken, 'memory: lots');
    expect(failing.conclusion).toBe('failure');
    expect(failing.annotations).toEqual([expect.objectContaining({ path: 'other/pilot.yaml', start_line: line, annotation_level: 'failure' })]);
    let comments = gh.world.comments(repo, 5);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.author.login).toBe(`${gh.app.slug}[bot]`);
    expect(comments[0]!.body).toContain(`](${htmlUrl}/blob/${head}/other/pilot.yaml#L${line})`);
    expect(comments[0]!.body).toMatch(/invalid/i);

    // Synchronize: the fix. The same comment now holds the plan; the new head's check passes.
    const fixed = await pushPullRequestHead(remote.bare, 5, { 'other/pilot.yaml': projectYaml(other) }, head);
    gh.world.addCommit(repo, fixed);
    await send(d, 'pull_request', pullRequestPayload(url, repo, { action: 'synchronize', number: 5, headSha: fixed, headRef: 'add-api', base: 'main' }));
    expect(await waitFor(completed('pilot/plan', fixed), 'the plan check of the fixed head')).toMatchObject({ conclusion: 'success' });
    await reporter().idle();
    comments = gh.world.comments(repo, 5);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.history).toHaveLength(2);
    expect(comments[0]!.body).toContain('shop/api');
    expect(comments[0]!.body).toMatch(/1 app to deploy/);
    expect(comments[0]!.body).not.toContain('other/pilot.yaml#L');

    // Merged: the push to main applies, and GitHub hears how it went.
    const merge = await mergePullRequest(remote.bare, 5);
    gh.world.addCommit(repo, merge, { branch: 'main' });
    gh.world.mergePullRequest(repo, 5, merge);
    await send(d, 'pull_request', pullRequestPayload(url, repo, { action: 'closed', number: 5, headSha: fixed, headRef: 'add-api', base: 'main', merged: true }));
    await send(d, 'push', pushPayload(url, repo, 'main', merge, ['shop/pilot.yaml']));
    const status = await statusWhere(d, convergedAt(merge, ['shop/web', 'shop/api', 'other/worker']), 'the merge converged');
    expect(await waitFor(completed('pilot/apply', merge), 'the apply check of the merge')).toMatchObject({ conclusion: 'success' });
    await reporter().idle();

    const body = gh.world.comments(repo, 5)[0]!.body;
    expect(gh.world.comments(repo, 5)).toHaveLength(1);
    expect(body).toContain(`Applied in`);
    expect(body).toContain(merge.slice(0, 7));
    const apiUrl = status.apps.find((a) => a.app === 'api')?.url;
    expect(apiUrl).toMatch(/^https?:\/\//);
    expect(body).toContain(apiUrl!);
    const deployed = gh.world.deployments(repo).filter((dep) => dep.sha === merge);
    expect(deployed.map((dep) => dep.environment)).toEqual(['shop/api']);
    expect(deployed[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(deployed[0]!.statuses[1]!.environmentUrl).toBe(apiUrl);
    const merged = await statusWhere(d, (s) => s.merges.some((m) => m.revision === merge), 'the status page links the merge to its pull request');
    expect(merged.merges[0]).toMatchObject({ revision: merge, number: 5 });
    expect(merged.pullRequests.find((p) => p.number === 5)).toBeUndefined();

    // Every request was one GitHub accepts, and none carried a secret.
    expect(gh.invalid()).toEqual([]);
    const sent = JSON.stringify(gh.requests.map((r) => [r.headers, r.rawBody]));
    for (const secret of [repoToken, waypointToken, webhookSecret, gh.app.privateKey.split('\n')[1]!]) expect(sent).not.toContain(secret);
  });
});
