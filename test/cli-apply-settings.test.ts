// `pilot apply` and the composition root: it reads pilot.config.yaml exactly as the
// daemon does (every section it needs: repository, waypoint, stateDir, clouds,
// sources, concurrency), takes secrets only from the file's references or variables,
// and refuses to run beside a daemon on the same state directory.

import { chmod, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startTestDaemon, stopAllDaemons } from './support/daemon-harness.js';
import { repoToken, servedManifests } from './support/daemon-scenario.js';
import { startGitHttpServer } from './support/git-http-server.js';
import { createSourceRepo, git, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { finalJson, scenarioOf, startRig, token, type ApplyJson } from './support/reconcile-harness.js';
import { cli } from './support/cli.js';
import { selfSignedCertificate } from './support/tls.js';

afterAll(async () => {
  await stopAllDaemons();
  await removeTemporaryFolders();
});

describe('pilot apply and the state lock', () => {
  it('refuses to run while a daemon holds the same state directory, and runs once it stops', async () => {
    const rig = await startRig();
    try {
      const s = await scenarioOf(rig, [{ name: 'lk', apps: [{ name: 'web', repo: (await createSourceRepo('lk-web')).url, platform: 'ecs' }] }]);
      const daemon = await startTestDaemon({ emulator: rig.emulator, folder: s.manifests.dir, stateDir: s.home });
      const queuedBefore = rig.emulator.queuedJobs.length;
      const refused = await rig.run(['apply', s.manifests.dir, '--once'], s.home);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`pilot apply: ${s.home} is in use by pilot serve (pid ${process.pid})`);
      expect(refused.stderr).toContain('pilot sync');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(rig.emulator.queuedJobs.length).toBe(queuedBefore);
      await daemon.stop();
      const after = await rig.apply(s.manifests.dir, s.home);
      expect(after.code, after.stderr).toBe(0);
      expect(existsSync(path.join(s.home, 'daemon.lock'))).toBe(false);
    } finally {
      await rig.stop();
    }
  });
});

describe('pilot apply --config', () => {
  it('honours every section the daemon reads, with no PILOT_* variable and no flag', async () => {
    // The app's repository is private, over HTTPS; Pilot and the runner trust its certificate.
    const certificate = await selfSignedCertificate();
    const trust = { GIT_SSL_CAINFO: certificate.certFile };
    const rig = await startRig({ runner: { env: trust } });
    const appToken = 'ghs_appSourceToken_settings_77';
    const root = await temporaryFolder('pilot-settings-');
    const origin = await createSourceRepo('private-api');
    await git(root, ['clone', '--quiet', '--bare', origin.bare, path.join(root, 'api.git')]);
    const apps = await startGitHttpServer({ root, username: 'x-access-token', token: appToken, tls: certificate });
    const manifests = await servedManifests({ name: 'cfg', apps: [{ name: 'api', repo: apps.url('api.git'), platform: 'ecs' }], databases: [{ name: 'ledger' }] });
    try {
      const work = await temporaryFolder('pilot-settings-cwd-');
      const tokenFile = path.join(work, 'waypoint.token');
      await writeFile(tokenFile, token);
      await chmod(tokenFile, 0o600);
      const config = {
        repository: { url: manifests.url, branch: 'main', token: { env: 'MANIFEST_TOKEN' } },
        stateDir: './state',
        concurrency: 1,
        waypoint: { address: rig.emulator.address, tls: 'off', token: { file: tokenFile } },
        clouds: { mode: 'off' },
        sources: { host: '127.0.0.1', token: { env: 'APP_TOKEN' } },
        // The daemon's own sections: a command neither reads them nor needs their secrets.
        webhooks: { secrets: [{ env: 'WEBHOOK_SECRET_ONLY_ON_THE_VM' }] },
        github: { token: { env: 'GITHUB_TOKEN_ONLY_ON_THE_VM' } },
      };
      await writeFile(path.join(work, 'pilot.config.yaml'), stringify(config));
      const env = { NO_COLOR: '1', HOME: work, MANIFEST_TOKEN: repoToken, APP_TOKEN: appToken, ...trust };
      const result = await cli(['apply', '--once', '--format', 'json', '--config', 'pilot.config.yaml'], { cwd: work, env });
      const json = finalJson<ApplyJson>(result.stdout);
      expect(json.errors, result.stdout + result.stderr).toEqual([]);
      expect(json.outcome).toBe('converged');
      // repository: the manifests came from the served repository, with its token.
      expect(json.revision).toBe(manifests.remote.first);
      expect(manifests.server.attempts.authorized).toBeGreaterThan(0);
      // waypoint (address, TLS mode, token from a file) and sources (the app's private repository).
      const up = rig.emulator.queuedJobs.at(-1)!.job as unknown as { data_source: { git: { basic: unknown } } };
      expect(up.data_source.git.basic).toEqual({ username: 'x-access-token', password: appToken });
      // clouds: off, so the database's stack is not planned and waits for a driver.
      expect(json.actions.find((a) => a.id.startsWith('stack:'))?.status).toBe('unsupported');
      // stateDir, relative to where the command ran.
      expect(existsSync(path.join(work, 'state', 'state.db'))).toBe(true);
      expect(existsSync(path.join(work, '.pilot'))).toBe(false);
      expect(`${result.stdout}${result.stderr}`).not.toContain(appToken);
      // The same file and folder for the status command: it reads the state the apply wrote.
      const status = await cli(['status', '--format', 'json', '--config', 'pilot.config.yaml'], { cwd: work, env });
      expect(finalJson<{ runs: unknown[] }>(status.stdout).runs).toHaveLength(1);
    } finally {
      await rig.stop();
      await apps.close();
      await manifests.server.close();
    }
  });

  it('takes no secret from a flag', async () => {
    const result = await cli(['apply', '.', '--once', '--waypoint', '127.0.0.1:1', '--waypoint-token', 'hunter2'], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--waypoint-token is not accepted');
    expect(result.stderr).toContain('PILOT_WAYPOINT_TOKEN');
  });
});
