// The sample deliveries of `pilot dev webhook`, without a daemon: the body verifies
// under the secret, the headers are GitHub's, and the payload, from GitHub's examples
// or the built-in fallback, says what was asked in the fields Pilot reads.

import { verify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { requestFor } from '../src/daemon/triggers/webhooks.js';
import { examplePayload, type SampleEvent } from '../src/dev/webhook-examples.js';
import { samplePayload, type SampleChange } from '../src/dev/webhook-payload.js';
import { sampleRepository } from '../src/dev/webhook-repository.js';
import { signDelivery } from '../src/dev/webhook-send.js';
import { parseEvent } from '../src/sources/github/events.js';

const secret = 'whsec-dev-webhook-tests-6c1d';
const sha = 'c0ffee'.padEnd(40, '0');
const opened: Extract<SampleChange, { event: 'pull_request' }> = { event: 'pull_request', action: 'opened', number: 12, merged: false, base: 'main', headRef: 'more-memory', headSha: sha };
const changes: Record<SampleEvent, SampleChange> = {
  push: { event: 'push', ref: 'refs/heads/main', sha },
  pull_request: opened,
  release: { event: 'release', tag: 'v1.2.0', target: 'main' },
};

describe('signDelivery', () => {
  it('signs the exact body it sends, which verifies under the secret and no other', async () => {
    const payload = samplePayload(examplePayload('push').payload, sampleRepository('file:///srv/git/infra.git')!, changes.push);
    const delivery = signDelivery('push', payload, secret, 42);
    const body = delivery.body.toString('utf8');
    expect(JSON.parse(body)).toEqual(payload);
    expect(await verify(secret, body, delivery.headers['x-hub-signature-256']!)).toBe(true);
    expect(await verify('another-secret', body, delivery.headers['x-hub-signature-256']!)).toBe(false);
    expect(delivery.headers).toMatchObject({
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': delivery.id,
      'x-github-hook-id': expect.stringMatching(/^\d+$/),
      'x-github-hook-installation-target-id': '42',
      'user-agent': expect.stringMatching(/^GitHub-Hookshot\//),
    });
    expect(delivery.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(signDelivery('push', payload, secret).id).not.toBe(delivery.id);
  });
});

describe('sampleRepository', () => {
  it.each([
    ['https://github.com/acme/infra.git', { clone_url: 'https://github.com/acme/infra.git', html_url: 'https://github.com/acme/infra', ssh_url: 'git@github.com:acme/infra.git', git_url: 'git://github.com/acme/infra.git', full_name: 'acme/infra', name: 'infra', owner: 'acme' }],
    ['git@github.com:acme/infra', { clone_url: 'https://github.com/acme/infra.git', ssh_url: 'git@github.com:acme/infra.git', full_name: 'acme/infra' }],
    ['https://x-access-token:t0ken@ghe.example:8443/acme/infra', { clone_url: 'https://ghe.example:8443/acme/infra.git', ssh_url: 'git@ghe.example:acme/infra.git' }],
    ['file:///srv/git/infra.git', { clone_url: 'file:///srv/git/infra.git', html_url: 'file:///srv/git/infra', ssh_url: '/srv/git/infra.git', full_name: 'git/infra', owner: 'git', localPath: '/srv/git/infra.git' }],
    ['/srv/git/infra', { clone_url: 'file:///srv/git/infra', full_name: 'git/infra', localPath: '/srv/git/infra' }],
  ])('%s', (url, fields) => {
    expect(sampleRepository(url)).toMatchObject(fields);
    expect(JSON.stringify(sampleRepository(url))).not.toContain('t0ken');
  });

  it('refuses what is not a git URL', () => {
    for (const url of ['infra', 'https://github.com/acme', 'file://', '']) expect(sampleRepository(url), url).toBeUndefined();
  });
});

describe.each([false, true])('samplePayload (built-in payloads: %s)', (builtIn) => {
  const repository = sampleRepository('file:///srv/git/infra.git')!;
  const settings = { repository: { url: 'file:///srv/git/infra', branch: 'main' } };
  const apps = [{ key: 'acme/infra-app', repo: '/srv/git/infra.git', ref: 'main' }];
  const sample = (event: SampleEvent, change: SampleChange = changes[event]) => {
    const example = examplePayload(event, { builtIn, ...(change.event === 'pull_request' ? { action: change.action } : {}) });
    expect(example.from).toBe(builtIn ? 'built-in' : 'octokit');
    return parseEvent(event, JSON.parse(JSON.stringify(samplePayload(example.payload, repository, change))));
  };

  it('a push of the ref and commit asked for, which queues a reconcile of the manifest repository', () => {
    const event = sample('push');
    expect(event).toMatchObject({ kind: 'push', ref: 'refs/heads/main', after: sha, deleted: false, fullName: 'git/infra' });
    expect(event?.kind === 'push' && event.repoUrls).toEqual(['file:///srv/git/infra.git', 'file:///srv/git/infra', '/srv/git/infra.git']);
    expect(requestFor(event!, settings, apps)).toMatchObject({ kind: 'branch', triggers: ['webhook'] });
  });

  it('a pull request of the head asked for, against the base asked for, which queues a plan', () => {
    expect(sample('pull_request')).toMatchObject({ kind: 'pull_request', action: 'opened', number: 12, headSha: sha, headRef: 'more-memory', baseRef: 'main', fullName: 'git/infra' });
    expect(requestFor(sample('pull_request')!, settings, apps)).toMatchObject({ kind: 'pull-request', number: 12, headSha: sha, repository: 'git/infra' });
    const merged = sample('pull_request', { ...opened, action: 'closed', merged: true });
    expect(merged).toMatchObject({ action: 'closed', merged: true });
  });

  it('a published release of the tag asked for, which redeploys the app tracking its branch', () => {
    const event = sample('release');
    expect(event).toMatchObject({ kind: 'release', tag: 'v1.2.0', target: 'main' });
    expect(requestFor(event!, settings, apps)).toMatchObject({ kind: 'branch', apps: ['acme/infra-app'], refs: { 'acme/infra-app': 'v1.2.0' } });
  });
});
