// The CLI on a shared PostgreSQL store: `pilot apply` leads it for its length, and is
// refused (naming the leader, never the password) while a daemon leads; `pilot status`
// reads it and says who leads.

import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import type { Store } from '../src/reconciler/store-port.js';
import { openStore } from '../src/store/index.js';
import { cli } from './support/cli.js';
import { app } from './support/daemon-scenario.js';
import { createManifestRepo, createSourceRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { freshDatabase } from './support/postgres.js';
import { manifestFiles } from './support/reconcile-manifests.js';

const token = 'cli-shared-store-token-0123456789';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token, stepMs: 10, concurrency: 4 });
});

afterAll(async () => {
  await emulator?.stop();
  await removeTemporaryFolders();
});

async function setUp(label: string) {
  const url = await freshDatabase(label);
  const source = await createSourceRepo(`${label}-src`);
  const manifests = await createManifestRepo(manifestFiles({ name: label.replace(/_/g, '-'), apps: [app('api', source.url)] }));
  const env = { PILOT_WAYPOINT_ADDR: emulator.address, PILOT_WAYPOINT_TLS: 'off', PILOT_WAYPOINT_TOKEN: token, PILOT_HOME: await temporaryFolder('pilot-cli-shared-'), PILOT_CLOUDS: 'off', PILOT_STATE_URL: url, NO_COLOR: '1' };
  return { url, manifests, env, password: new URL(url).password };
}

describe('the CLI on a shared PostgreSQL store', () => {
  it('applies while nobody leads, and says who leads in pilot status', async () => {
    const { manifests, env, password } = await setUp('cli_apply');
    const apply = await cli(['apply', manifests.dir, '--once', '--format', 'json'], { env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(JSON.parse(apply.stdout)).toMatchObject({ outcome: 'converged', jobsQueued: 1 });

    const json = await cli(['status', '--format', 'json'], { env });
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout) as { runs: unknown[]; jobs: { app: string; state: string }[]; leader: { holder: string; generation: number } };
    expect(status.jobs.map((j) => [j.app, j.state])).toEqual([['api', 'success']]);
    // The apply led the store for its length, and gave the lock up at its end.
    expect(status.leader).toMatchObject({ holder: expect.stringMatching(/:\d+ \(pilot apply\)$/), generation: 1 });
    const text = await cli(['status'], { env });
    expect(text.stdout).toMatch(/^State: postgres:\/\/pilot@127\.0\.0\.1:\d+\/pilot_cli_apply_\w+\nLeader: .* \(pilot apply\) \(generation 1, since /);
    expect(text.stdout + json.stdout + apply.stdout + apply.stderr).not.toContain(password);
  });

  it('refuses pilot apply while a daemon leads, naming it, with no password and nothing written', async () => {
    const { url, manifests, env, password } = await setUp('cli_refused');
    const daemon: Store = await openStore(url);
    try {
      expect(await daemon.shared!.leadership.tryAcquire('pilot-vm-a:4242')).toBe(1);
      const apply = await cli(['apply', manifests.dir, '--once'], { env });
      expect(apply.code).toBe(1);
      expect(apply.stderr).toMatch(/postgres:\/\/pilot@127\.0\.0\.1:\d+\/pilot_cli_refused_\w+ is led by pilot-vm-a:4242 \(leader since .*\); let the daemon apply/);
      expect(apply.stderr).not.toContain(password);
      expect(apply.stderr).not.toMatch(/\n\s+at /);
      expect(await daemon.history.lastRuns(5)).toEqual([]);
      expect(emulator.queuedJobs.filter((j) => (j.job as { application?: { project?: string } }).application?.project === 'cli-refused')).toEqual([]);
    } finally {
      await daemon.close();
    }
  });
});

describe('pilot status on a store named by PILOT_STATE_URL', () => {
  it('says a sqlite: store that is not there yet has no state, and does not make it', async () => {
    const dir = await temporaryFolder('pilot-status-sqlite-');
    const file = `${dir}/elsewhere/state.db`;
    const result = await cli(['status'], { env: { PILOT_STATE_URL: `sqlite:${file}`, PILOT_HOME: dir } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no state at ${file} yet`);
    expect(existsSync(file)).toBe(false);
  });
});
