// Repositories on this machine in webhook matching: file:// URLs and absolute paths
// normalize to one key, so a delivery naming file:///srv/git/infra.git reaches the
// manifest repository and the apps configured with any spelling of that path.

import { describe, expect, it } from 'vitest';
import { requestFor } from '../src/daemon/triggers/webhooks.js';
import type { WebhookEvent } from '../src/sources/github/events.js';
import { normalizeRepoUrl, repoMatches } from '../src/sources/github/repo-url.js';

describe('normalizeRepoUrl, for repositories on this machine', () => {
  it.each([
    ['file:///srv/git/infra.git', 'file:///srv/git/infra'],
    ['file:///srv/git/infra', 'file:///srv/git/infra'],
    ['file:///srv/git/infra.git/', 'file:///srv/git/infra'],
    ['file://localhost/srv/git/infra.git', 'file:///srv/git/infra'],
    ['FILE:///srv/git/infra.git', 'file:///srv/git/infra'],
    ['  file:///srv/git/infra.git  ', 'file:///srv/git/infra'],
    ['file:///srv//git/./old/../infra.git', 'file:///srv/git/infra'],
    ['file:///srv/git/my%20infra.git', 'file:///srv/git/my infra'],
    ['/srv/git/infra.git', 'file:///srv/git/infra'],
    ['/srv/git/infra/', 'file:///srv/git/infra'],
    ['/srv/git/my infra.git', 'file:///srv/git/my infra'],
    // Paths are case-sensitive here, unlike GitHub's owner and repository names.
    ['file:///srv/git/Infra.git', 'file:///srv/git/Infra'],
    ['file://build-host/srv/git/infra.git', undefined],
    ['file:///', undefined],
    ['file:///.git', undefined],
    ['/', undefined],
    ['srv/git/infra.git', undefined],
  ])('%s -> %s', (url, key) => {
    expect(normalizeRepoUrl(url)).toBe(key);
  });

  it('keeps remote URLs as they were, and apart from local ones, even on a host named "file"', () => {
    expect(normalizeRepoUrl('https://github.com/Acme/Infra.git')).toBe('github.com/acme/infra');
    expect(normalizeRepoUrl('git@github.com:acme/infra.git')).toBe('github.com/acme/infra');
    expect(normalizeRepoUrl('git@file:srv/git/infra.git')).toBe('file/srv/git/infra');
    expect(normalizeRepoUrl('https://file/srv/git/infra')).toBe('file/srv/git/infra');
  });

  it('matches every spelling of one local repository, and nothing else', () => {
    const delivered = ['file:///srv/git/infra.git', 'file:///srv/git/infra'];
    for (const configured of ['file:///srv/git/infra.git', 'file:///srv/git/infra', '/srv/git/infra.git', 'file://localhost/srv/git/infra/']) {
      expect(repoMatches(configured, delivered), configured).toBe(true);
    }
    for (const other of ['file:///srv/git/infra2.git', 'file:///srv/infra.git', 'file:///srv/git/Infra.git', 'https://github.com/srv/git/infra', 'git@file:srv/git/infra.git', 'ssh://file/srv/git/infra.git']) {
      expect(repoMatches(other, delivered), other).toBe(false);
    }
  });
});

describe('requestFor, with repositories on this machine', () => {
  const settings = { repository: { url: 'file:///srv/git/infra', branch: 'main' } };
  const apps = [
    { key: 'shop/web', repo: '/srv/git/web.git', ref: 'main' },
    { key: 'shop/api', repo: 'file:///srv/git/api.git', ref: 'stable' },
  ];
  const urls = (path: string) => [`file://${path}.git`, `file://${path}`];
  const push = (path: string, ref: string): WebhookEvent =>
    ({ kind: 'push', repoUrls: urls(path), fullName: 'git/x', ref, before: '0'.repeat(40), after: 'a'.repeat(40), deleted: false, forced: false, changedPaths: [] });

  it('reconciles on a push to the tracked branch of a file:// manifest repository', () => {
    expect(requestFor(push('/srv/git/infra', 'refs/heads/main'), settings, apps)).toMatchObject({ kind: 'branch', triggers: ['webhook'], apps: [] });
    expect(requestFor(push('/srv/git/infra', 'refs/heads/feature'), settings, apps)).toBeUndefined();
    expect(requestFor(push('/srv/git/other', 'refs/heads/main'), settings, apps)).toBeUndefined();
  });

  it('plans a pull request against the tracked branch of a file:// manifest repository', () => {
    const pr = (path: string, baseRef: string): WebhookEvent => ({
      kind: 'pull_request', action: 'opened', number: 3, headSha: 'b'.repeat(40), headRef: 'more-memory', baseRef,
      repoUrls: urls(path), fullName: 'git/infra', htmlUrl: `file://${path}`, headRepo: 'git/infra', merged: false,
    });
    expect(requestFor(pr('/srv/git/infra', 'main'), settings, apps)).toMatchObject({ kind: 'pull-request', repository: 'git/infra', number: 3, headSha: 'b'.repeat(40), headRef: 'more-memory', baseRef: 'main' });
    expect(requestFor(pr('/srv/git/infra', 'release'), settings, apps)).toBeUndefined();
    expect(requestFor(pr('/srv/git/web', 'main'), settings, apps)).toBeUndefined();
  });

  it('redeploys the apps whose source is a local repository, on a push or a release', () => {
    expect(requestFor(push('/srv/git/web', 'refs/heads/main'), settings, apps)).toMatchObject({ kind: 'branch', apps: ['shop/web'] });
    expect(requestFor(push('/srv/git/api', 'refs/heads/stable'), settings, apps)).toMatchObject({ kind: 'branch', apps: ['shop/api'] });
    expect(requestFor(push('/srv/git/api', 'refs/heads/main'), settings, apps)).toBeUndefined();
    const release: WebhookEvent = { kind: 'release', repoUrls: urls('/srv/git/api'), fullName: 'git/api', tag: 'v2', target: 'stable' };
    expect(requestFor(release, settings, apps)).toMatchObject({ kind: 'branch', apps: ['shop/api'], refs: { 'shop/api': 'v2' } });
  });
});
