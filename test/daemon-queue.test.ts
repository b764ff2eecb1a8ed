import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/daemon/config.js';
import { ReconcileQueue, request } from '../src/daemon/queue.js';
import { requestFor } from '../src/daemon/webhooks.js';
import { readConfigFile } from '../src/daemon/config.js';
import { fileURLToPath } from 'node:url';

describe('the reconcile queue', () => {
  it('merges requests that arrive while one runs into a single pending request', async () => {
    const queue = new ReconcileQueue();
    queue.push(request('poll'));
    queue.push(request('webhook', { apps: ['acme/web'] }));
    queue.push(request('drift', { full: true }));
    queue.push(request('webhook', { apps: ['acme/api', 'acme/web'] }));
    expect(queue.size).toBe(1);
    expect(await queue.take()).toEqual({ triggers: ['poll', 'webhook', 'drift'], full: true, apps: ['acme/api', 'acme/web'], refs: {} });
    expect(queue.size).toBe(0);
  });

  it('wakes a waiting taker, and ends it on close', async () => {
    const queue = new ReconcileQueue();
    const waiting = queue.take();
    queue.push(request('sync', { full: true }));
    expect((await waiting)?.triggers).toEqual(['sync']);
    const last = queue.take();
    queue.close();
    expect(await last).toBeUndefined();
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
    expect(requestFor(push('https://github.com/acme/web.git', 'refs/heads/main'), config, apps)?.apps).toEqual(['acme/web']);
    expect(requestFor(push('https://github.com/acme/web.git', 'refs/heads/stable'), config, apps)?.apps).toEqual(['shop/web']);
    expect(requestFor(push('https://github.com/acme/other.git', 'refs/heads/main'), config, apps)).toBeUndefined();
  });

  it('deploys a published release to the apps tracking the branch it was cut from, or the tag itself; pings queue nothing', () => {
    const release = (tag: string, target?: string) => ({ kind: 'release' as const, repoUrls: ['https://github.com/acme/web'], fullName: 'acme/web', tag, ...(target ? { target } : {}) });
    expect(requestFor(release('v1', 'main'), config, apps)).toMatchObject({ apps: ['acme/web'], refs: { 'acme/web': 'v1' } });
    expect(requestFor(release('v1', 'stable'), config, apps)).toMatchObject({ apps: ['shop/web'], refs: { 'shop/web': 'v1' } });
    const onTag = [...apps, { key: 'shop/pinned', repo: 'https://github.com/acme/web', ref: 'v2' }];
    expect(requestFor(release('v2', 'main'), config, onTag)).toEqual({ triggers: ['webhook'], full: false, apps: ['shop/pinned', 'acme/web'], refs: { 'acme/web': 'v2' } });
    expect(requestFor(release('v1', 'develop'), config, apps)).toBeUndefined();
    expect(requestFor(release('v1'), config, apps)).toBeUndefined();
    expect(requestFor({ kind: 'ping' }, config, apps)).toBeUndefined();
  });
});

describe('examples/pilot.config.yaml', () => {
  it('is a valid daemon config', () => {
    const raw = readConfigFile(fileURLToPath(new URL('../examples/pilot.config.yaml', import.meta.url)));
    expect(raw).toMatchObject({ pollInterval: '60s', waypoint: { tls: 'skip-verify' } });
  });
});
