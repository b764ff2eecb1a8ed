// `pilot plan --repo` of a private repository over HTTPS: the clone uses
// PILOT_REPO_TOKEN, and without it the command says what to set, with no stack trace.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { startGitHttpServer, type GitHttpServer } from './support/git-http-server.js';
import { createSourceRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { selfSignedCertificate } from './support/tls.js';

const token = 'ghs_privateManifests91';
let server: GitHttpServer;
let url: string;
let manifestCommit: string;
let trust: Record<string, string>;

beforeAll(async () => {
  const certificate = await selfSignedCertificate();
  trust = { GIT_SSL_CAINFO: certificate.certFile };
  const manifests = await createSourceRepo('manifests', {
    'acme/pilot.yaml': `apiVersion: pilot.dev/v1\nkind: Project\nname: acme\ndefaults: { provider: aws, region: us-east-1 }\napps:\n  - name: web\n    source: { repo: "https://github.com/acme/web.git", ref: "${'a'.repeat(40)}" }\n    build: { builder: pack }\n    deploy: { platform: ecs }\n`,
  });
  manifestCommit = manifests.first;
  server = await startGitHttpServer({ root: path.dirname(manifests.bare), username: 'x-access-token', token, tls: certificate });
  url = server.url('manifests.git');
});

afterAll(async () => {
  await server.close();
  await removeTemporaryFolders();
});

const plan = async (env: Record<string, string>) =>
  cli(['plan', '--repo', url, '--ref', 'main', '--format', 'json'], { env: { PILOT_HOME: await temporaryFolder('pilot-home-'), PILOT_CLOUDS: 'off', ...trust, ...env } });

describe('pilot plan --repo of a private repository', () => {
  it('clones it with PILOT_REPO_TOKEN, and plans its commit', async () => {
    const result = await plan({ PILOT_REPO_TOKEN: token });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { actions: { id: string }[] };
    expect(json.actions.map((a) => a.id)).toContain('deploy:acme/web');
    expect(result.stdout).not.toContain(token);
    expect(server.attempts.authorized).toBeGreaterThan(0);
    expect(JSON.stringify(json)).toContain(manifestCommit);
  });

  it('fails clearly without the token, or with a wrong one, and never shows it', async () => {
    for (const env of [{}, { PILOT_REPO_TOKEN: `${token}-revoked` }] as Record<string, string>[]) {
      const result = await plan(env);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^pilot plan: cannot clone https:\/\/127\.0\.0\.1:\d+\/manifests\.git: it refused access .*PILOT_REPO_TOKEN\n$/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain(token);
    }
  });
});
