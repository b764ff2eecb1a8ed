import { describe, expect, it } from 'vitest';
import { resolveSettings as resolveConfig } from '../src/app/settings.js';
import { readConfigFile } from '../src/app/settings-file.js';
import { drain, Lanes } from '../src/daemon/lanes.js';
import { requestFor } from '../src/daemon/triggers/webhooks.js';
import { request, type PullRequestPlan, type Request } from '../src/reconciler/requests.js';

const appsOf = (r: Request | undefined) => (r?.kind === 'branch' ? r.apps : undefined);
import { fileURLToPath } from 'node:url';

describe('the reconcile lanes', () => {
  it('merges requests that arrive while one runs into a single pending request', async () => {
    const queue = new Lanes();
    queue.push(request('poll'));
    queue.push(request('webhook', { apps: ['acme/web'] }));
    queue.push(request('drift', { full: true }));
    queue.push(request('webhook', { apps: ['acme/api', 'acme/web'] }));
    expect(queue.size).toBe(1);
    expect(await queue.apply.take()).toEqual({ kind: 'branch', triggers: ['poll', 'webhook', 'drift'], full: true, apps: ['acme/api', 'acme/web'], refs: {} });
    expect(queue.size).toBe(0);
  });

  it('wakes a waiting taker, and ends it on close', async () => {
    const queue = new Lanes();
    const waiting = queue.apply.take();
    queue.push(request('sync', { full: true }));
    expect((await waiting)?.triggers).toEqual(['sync']);
    const last = queue.apply.take();
    queue.close();
    expect(await last).toBeUndefined();
  });

  const plan = (number: number, headSha: string): PullRequestPlan => ({ kind: 'pull-request', action: 'plan', repository: 'acme/infra', number, headSha, headRef: 'feature', baseRef: 'main', fork: false });

  it('keeps the newest head of each pull request in the plan lane, never merged into the apply lane', async () => {
    const lanes = new Lanes();
    lanes.push(plan(7, 'a'.repeat(40)));
    lanes.push(request('poll'));
    lanes.push(plan(8, 'b'.repeat(40)));
    lanes.push(plan(7, 'c'.repeat(40)));
    expect(lanes.apply.size).toBe(1);
    expect(lanes.plan.size).toBe(2);
    expect((await lanes.plan.take())?.headSha).toBe('b'.repeat(40));
    expect((await lanes.plan.take())?.headSha).toBe('c'.repeat(40));
  });

  it('plans a pull request while an apply is still running: each lane has its own worker', async () => {
    const lanes = new Lanes();
    let finishApply = () => {};
    const applying = new Promise<void>((resolve) => (finishApply = resolve));
    const done: string[] = [];
    const applyWorker = drain(lanes.apply, async () => {
      await applying;
      done.push('apply');
    }, () => {});
    const planWorker = drain(lanes.plan, async (next) => {
      done.push(`plan ${next.number}`);
    }, () => {});
    lanes.push(request('webhook'));
    lanes.push(plan(12, 'd'.repeat(40)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(done).toEqual(['plan 12']);
    finishApply();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(done).toEqual(['plan 12', 'apply']);
    lanes.close();
    await Promise.all([applyWorker, planWorker]);
  });
});

describe('webhook deliveries -> requests', () => {
  const config = resolveConfig({ repository: { url: 'https://github.com/acme/infra.git', branch: 'main' } }, {});
  const apps = [
    { key: 'acme/web', repo: 'git@github.com:acme/web.git', ref: 'main' },
    { key: 'acme/api', repo: 'https://github.com/acme/api', ref: 'main' },
    { key: 'shop/web', repo: 'https://github.com/acme/web.git', ref: 'stable' },
  ];
  const push = (url: string, ref: string) => ({ kind: 'push' as const, repoUrls: [url], fullName: 'x/y', ref, before: '0', after: '1', deleted: false, forced: false, changedPaths: [] });

  it('reconciles on a push to the tracked branch of the manifest repository, and ignores other branches', () => {
    expect(requestFor(push('https://github.com/acme/infra.git', 'refs/heads/main'), config, apps)).toMatchObject({ triggers: ['webhook'], apps: [] });
    expect(requestFor(push('https://github.com/acme/infra.git', 'refs/heads/feature'), config, apps)).toBeUndefined();
  });

  it('redeploys only the apps that track the pushed repository and branch', () => {
    expect(appsOf(requestFor(push('https://github.com/acme/web.git', 'refs/heads/main'), config, apps))).toEqual(['acme/web']);
    expect(appsOf(requestFor(push('https://github.com/acme/web.git', 'refs/heads/stable'), config, apps))).toEqual(['shop/web']);
    expect(requestFor(push('https://github.com/acme/other.git', 'refs/heads/main'), config, apps)).toBeUndefined();
  });

  it('deploys a published release to the apps tracking the branch it was cut from, or the tag itself; pings queue nothing', () => {
    const release = (tag: string, target?: string) => ({ kind: 'release' as const, repoUrls: ['https://github.com/acme/web'], fullName: 'acme/web', tag, ...(target ? { target } : {}) });
    expect(requestFor(release('v1', 'main'), config, apps)).toMatchObject({ apps: ['acme/web'], refs: { 'acme/web': 'v1' } });
    expect(requestFor(release('v1', 'stable'), config, apps)).toMatchObject({ apps: ['shop/web'], refs: { 'shop/web': 'v1' } });
    const onTag = [...apps, { key: 'shop/pinned', repo: 'https://github.com/acme/web', ref: 'v2' }];
    expect(requestFor(release('v2', 'main'), config, onTag)).toEqual({ kind: 'branch', triggers: ['webhook'], full: false, apps: ['shop/pinned', 'acme/web'], refs: { 'acme/web': 'v2' } });
    expect(requestFor(release('v1', 'develop'), config, apps)).toBeUndefined();
    expect(requestFor(release('v1'), config, apps)).toBeUndefined();
    expect(requestFor({ kind: 'ping' }, config, apps)).toBeUndefined();
  });

  it('plans a pull request against the tracked branch of the manifest repository, in the plan lane', () => {
    const pr = (action: string, baseRef = 'main', url = 'https://github.com/acme/infra', headRepo: string | undefined = 'acme/infra', merged = false) =>
      ({ kind: 'pull_request' as const, action, number: 12, headSha: 'f'.repeat(40), headRef: 'more-memory', baseRef, repoUrls: [url], fullName: 'acme/infra', htmlUrl: 'https://github.com/acme/infra', headRepo, merged });
    expect(requestFor(pr('opened'), config, apps)).toEqual({
      kind: 'pull-request', action: 'plan', repository: 'acme/infra', htmlUrl: 'https://github.com/acme/infra', number: 12, headSha: 'f'.repeat(40), headRef: 'more-memory', baseRef: 'main', fork: false,
    });
    for (const action of ['synchronize', 'reopened', 'edited']) expect(requestFor(pr(action), config, apps)).toMatchObject({ kind: 'pull-request', action: 'plan' });
    expect(requestFor(pr('closed', 'main', undefined, undefined, true), config, apps)).toMatchObject({ action: 'closed', merged: true });
    expect(requestFor(pr('closed'), config, apps)).toMatchObject({ action: 'closed', merged: false });
    expect(requestFor(pr('labeled'), config, apps)).toBeUndefined();
    expect(requestFor(pr('opened', 'release'), config, apps)).toBeUndefined();
    expect(requestFor(pr('opened', 'main', 'https://github.com/acme/web'), config, apps)).toBeUndefined();
  });

  it('takes a head in another repository, or in a deleted one, for a fork', () => {
    const pr = (headRepo: string | undefined) =>
      ({ kind: 'pull_request' as const, action: 'opened', number: 3, headSha: 'e'.repeat(40), headRef: 'patch-1', baseRef: 'main', repoUrls: ['https://github.com/acme/infra'], fullName: 'acme/infra', htmlUrl: 'https://github.com/acme/infra', headRepo, merged: false });
    expect(requestFor(pr('mallory/infra'), config, apps)).toMatchObject({ fork: true });
    expect(requestFor(pr(undefined), config, apps)).toMatchObject({ fork: true });
    expect(requestFor(pr('ACME/Infra'), config, apps)).toMatchObject({ fork: false });
  });
});

describe('examples/pilot.config.yaml', () => {
  it('is a valid daemon config', () => {
    const raw = readConfigFile(fileURLToPath(new URL('../examples/pilot.config.yaml', import.meta.url)));
    expect(raw).toMatchObject({ pollInterval: '60s', waypoint: { tls: 'skip-verify' } });
  });
});
