// Git URLs as the manifest checks read them: which carry credentials, which hand git or
// ssh something it would take for an option, and that no message repeats a credential.

import { describe, expect, it } from 'vitest';
import { carriesCredentials, optionLikePart } from '../src/sources/manifests/git-url.js';
import { loadDesiredState } from '../src/sources/manifests/load.js';

describe('carriesCredentials', () => {
  it.each([
    ['https://x-access-token:tok@github.com/acme/web.git', true],
    ['https://deploy@github.com/acme/web.git', true],
    ['HTTP://u:p@host/x.git', true],
    ['https://:tok@github.com/acme/web.git', true],
    ['ssh://git:pw@host/acme/web.git', true],
    ['ssh://git@host/acme/web.git', false],
    ['git@github.com:acme/web.git', false],
    ['https://github.com/acme/web@v2.git', false],
    ['https://[::1]:8443/acme/web.git', false],
    ['file:///srv/git/user:pw@web.git', false],
    ['/srv/git/web.git', false],
  ])('%s: %s', (url, expected) => {
    expect(carriesCredentials(url)).toBe(expected);
  });
});

describe('optionLikePart', () => {
  it.each([
    ['ssh://-oProxyCommand=x/acme/web.git', 'host'],
    ['ssh://-oProxyCommand=x@host/acme/web.git', 'user'],
    ['git@-oProxyCommand=x:acme/web.git', 'host'],
    ['git@github.com:-acme/web.git', 'path'],
    ['ssh://git@host/-acme/web.git', undefined],
    ['git@github.com:acme/-web.git', undefined],
    ['https://github.com/-acme/web.git', undefined],
    ['file:///-srv/web.git', undefined],
  ])('%s: %s', (url, expected) => {
    expect(optionLikePart(url)).toBe(expected);
  });
});

describe('messages about source.repo', () => {
  const manifest = (repo: string) =>
    `apiVersion: pilot.dev/v1\nkind: Project\nname: acme\ndefaults: { provider: aws, region: us-east-1 }\napps:\n  - name: web\n    source: { repo: "${repo}" }\n    build: { builder: pack }\n    deploy: { platform: ecs }\n`;

  it.each([
    'http://deploy:s3cr3t-token@git.example.com/acme/web.git',
    'https://deploy:s3cr3t-token@git.example.com/acme/web.git',
    'ftp://deploy:s3cr3t-token@git.example.com/acme/web.git',
  ])('never repeat a credential: %s', (repo) => {
    const { problems } = loadDesiredState([{ path: 'pilot.yaml', content: manifest(repo) }]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.line === 7 && p.col === 21)).toBe(true);
    expect(JSON.stringify(problems)).not.toContain('s3cr3t-token');
  });
});
