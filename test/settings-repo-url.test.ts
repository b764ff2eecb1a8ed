// The manifest repository's URL never carries credentials: they would be kept in
// Pilot's state and shown in process lists. The token has its own settings.

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/app/setting-values.js';
import { resolveSettings } from '../src/app/settings.js';

const secret = 'ghp_0123456789abcdefSECRET';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError, but the settings were accepted');
}

describe('the manifest repository URL', () => {
  it.each([
    `https://x-access-token:${secret}@github.com/acme/infra.git`,
    `http://deploy:${secret}@git.example.com/acme/infra.git`,
    'https://deploy@github.com/acme/infra.git',
    `ssh://git:${secret}@git.example.com/acme/infra.git`,
  ])('refuses %s, naming the key and the token settings, without repeating it', (url) => {
    const message = refusal(() => resolveSettings({ repository: { url } }, {}));
    expect(message).toMatch(/^repository\.url: the URL carries a user name or password/);
    expect(message).toContain('PILOT_REPO_TOKEN');
    expect(message).toContain('repository.token');
    expect(message).not.toContain(secret);
    expect(message).not.toContain('deploy');
  });

  it('names the variable or the flag the URL came from', () => {
    const url = `https://x:${secret}@github.com/acme/infra.git`;
    expect(refusal(() => resolveSettings({}, { PILOT_REPO_URL: url }))).toMatch(/^PILOT_REPO_URL: /);
    expect(refusal(() => resolveSettings({}, {}, { repoUrl: url }))).toMatch(/^--repo: /);
  });

  it.each([
    'https://github.com/acme/infra.git',
    'git@github.com:acme/infra.git',
    'ssh://git@git.example.com/acme/infra.git',
    'file:///srv/git/infra.git',
    '/srv/git/infra.git',
  ])('accepts %s', (url) => {
    expect(resolveSettings({ repository: { url } }, {}).repository?.url).toBe(url);
  });
});
