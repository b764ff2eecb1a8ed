// Credentials for app sources go only to the host they were given for.

import { describe, expect, it } from 'vitest';
import { gitEnvironment } from '../src/sources/git/git-auth.js';
import { gitAuthFor, jobAuthFor, resolveSourceCredentials } from '../src/sources/git/source-credentials.js';

const readKey = (file: string) => `PEM of ${file}`;

describe('source credentials', () => {
  const https = resolveSourceCredentials({ host: 'github.com', token: 'ghs_abc' }, readKey)!;
  const ssh = resolveSourceCredentials({ host: 'github.com', sshKeyFile: '/keys/deploy' }, readKey)!;

  it.each([
    ['https://github.com/acme/api.git', https, { username: 'x-access-token', password: 'ghs_abc' }],
    ['https://GitHub.com/acme/api.git', https, { username: 'x-access-token', password: 'ghs_abc' }],
    ['https://evil.example.com/acme/api.git', https, undefined],
    ['https://github.com.evil.example/api.git', https, undefined],
    ['file:///tmp/api.git', https, undefined],
    ['git@github.com:acme/api.git', ssh, { sshKeyPem: 'PEM of /keys/deploy', user: 'git' }],
    ['ssh://deploy@github.com/acme/api.git', ssh, { sshKeyPem: 'PEM of /keys/deploy', user: 'deploy' }],
    ['git@github.com:acme/api.git', https, undefined],
  ])('%s', (repo, credentials, expected) => {
    expect(jobAuthFor(credentials, repo)).toEqual(expected);
  });

  it('defaults to the manifest repository, for its host only', () => {
    const repository = { url: 'https://git.acme.dev/infra/manifests.git', token: 'manifest-token' };
    expect(resolveSourceCredentials({ repository }, readKey)).toEqual({ host: 'git.acme.dev', token: 'manifest-token' });
    expect(resolveSourceCredentials({ host: 'github.com', repository }, readKey)).toBeUndefined();
  });

  it("gives git the token as a header for the repository's origin, not on a command line", () => {
    const repo = 'https://github.com/acme/api.git';
    const env = gitEnvironment(gitAuthFor(https, repo), repo, { GIT_CONFIG_COUNT: '1' });
    const count = Number(env.GIT_CONFIG_COUNT);
    const config = Object.fromEntries(Array.from({ length: count - 1 }, (_, i) => [env[`GIT_CONFIG_KEY_${i + 1}`], env[`GIT_CONFIG_VALUE_${i + 1}`]]));
    // Appended after what the environment already held.
    expect(env.GIT_CONFIG_KEY_0).toBeUndefined();
    expect(config['http.https://github.com/.extraHeader']).toBe(`Authorization: Basic ${Buffer.from('x-access-token:ghs_abc').toString('base64')}`);
    expect(Object.values(env).join('\n')).not.toContain('ghs_abc');
    expect(gitAuthFor(https, 'https://other.dev/x.git')).toBeUndefined();
    expect(gitAuthFor(ssh, 'git@github.com:acme/api.git')).toEqual({ sshKeyFile: '/keys/deploy' });
    const other = gitEnvironment(gitAuthFor(https, 'https://other.dev/x.git'), 'https://other.dev/x.git', {});
    expect(Object.keys(other).filter((key) => other[key]?.includes('Authorization'))).toEqual([]);
  });
});
