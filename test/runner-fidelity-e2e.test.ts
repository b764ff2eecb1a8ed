// `pilot apply` against the strict emulator, for what only a runner shows: apps in a
// sub-folder, plain env values the runner wrote and the manifest dropped, and config
// merged from other scopes (../shared/waypoint/runner-facts.md).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaypointClient } from '../src/waypoint/client/client.js';
import path from 'node:path';
import { cli } from './support/cli.js';
import { appFiles, createSourceRepo, git, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { startGitHttpServer } from './support/git-http-server.js';
import { selfSignedCertificate } from './support/tls.js';
import { finalJson, scenarioOf, startRig, token, type ApplyJson, type Rig } from './support/reconcile-harness.js';

let rig: Rig;
let client: WaypointClient;

beforeAll(async () => {
  rig = await startRig();
  client = await WaypointClient.connect({ address: rig.emulator.address, tls: 'off', token, deadlineMs: 5_000 });
});

afterAll(async () => {
  client?.close();
  await rig?.stop();
  await removeTemporaryFolders();
});

const inFolder = (folder: string, name: string) => Object.fromEntries(Object.entries(appFiles(name)).map(([file, text]) => [`${folder}/${file}`, text]));

describe('runner fidelity through pilot apply', () => {
  it('deploys apps whose source.path is a sub-folder, on both clouds', async () => {
    const repo = await createSourceRepo('mono', { ...inFolder('services/api', 'api'), ...inFolder('services/run', 'run') });
    const s = await scenarioOf(rig, [{ name: 'f1', apps: [
      { name: 'api', repo: repo.url, platform: 'ecs', path: 'services/api' },
      { name: 'run', repo: repo.url, platform: 'cloud-run', path: 'services/run' },
    ] }]);
    const applied = await s.apply();
    expect(applied.json.errors).toEqual([]);
    expect(applied.json.outcome).toBe('converged');
    for (const job of rig.jobs('f1')) expect(job.waypointHcl).toContain(`path = "services/${job.app}"`);
  });

  it('unsets a plain env value the manifest no longer has, which the runner left on the server', async () => {
    const repo = await createSourceRepo('envs');
    const app = (env: Record<string, string>) => [{ name: 'f2', apps: [{ name: 'api', repo: repo.url, platform: 'ecs' as const, env }] }];
    const s = await scenarioOf(rig, app({ LOG_LEVEL: 'debug', FEATURE_X: 'on' }));
    expect((await s.apply()).json.outcome).toBe('converged');
    // The runner wrote both (internal/core/app_config.go), app-scoped, with no workspace.
    expect(Object.keys(await client.getAppConfig('f2', 'api')).sort()).toEqual(['FEATURE_X', 'LOG_LEVEL']);

    await s.manifests.commit({ 'f2/pilot.yaml': (await import('./support/reconcile-manifests.js')).projectYaml(app({ LOG_LEVEL: 'debug' })[0]!) });
    const plan = await s.plan();
    expect(plan.stdout).toContain('unset FEATURE_X (removed from the manifest)');
    expect((await s.apply()).json.outcome).toBe('converged');
    expect(Object.keys(await client.getAppConfig('f2', 'api'))).toEqual(['LOG_LEVEL']);
  });

  it('does not count a project-level value as the app secret being set', async () => {
    const repo = await createSourceRepo('scoped');
    const s = await scenarioOf(rig, [{ name: 'f3', apps: [{ name: 'api', repo: repo.url, platform: 'ecs', env: { STRIPE_KEY: { secret: true } } }] }]);
    // Held back until its secret is set.
    expect((await s.apply()).json.outcome).toBe('partial');
    // Someone sets STRIPE_KEY for the whole project: GetConfig merges it into the app's view.
    const rpc = (client as unknown as { rpc: { unary(method: string, request: object): Promise<unknown> } }).rpc;
    await rpc.unary('SetConfig', { variables: [{ name: 'STRIPE_KEY', static: 'sk_project', target: { project: { project: 'f3' } } }] });
    const plan = await s.plan();
    expect(plan.stdout).toContain('secret STRIPE_KEY is not set: run pilot secret set f3/api STRIPE_KEY');
  });
});

describe('private app repositories', () => {
  it('resolves and deploys with PILOT_SOURCE_TOKEN, sent on the job for the runner, shown nowhere', async () => {
    const secret = 'ghs_privateSourceToken42';
    const certificate = await selfSignedCertificate();
    const root = await temporaryFolder('pilot-private-');
    const origin = await createSourceRepo('private-app');
    await git(root, ['clone', '--quiet', '--bare', origin.bare, path.join(root, 'app.git')]);
    const server = await startGitHttpServer({ root, username: 'x-access-token', token: secret, tls: certificate });
    // Pilot and the runner both trust the server's certificate, as a VM trusts its git host.
    const trust = { GIT_SSL_CAINFO: certificate.certFile };
    const own = await startRig({ runner: { env: trust } });
    try {
      const s = await scenarioOf(own, [{ name: 'f5', apps: [{ name: 'api', repo: server.url('app.git'), platform: 'ecs' }] }]);
      const apply = (extra: Record<string, string>) =>
        cli(['apply', s.manifests.dir, '--once', '--format', 'json'], { env: { ...own.env(s.home), ...trust, ...extra } });
      // Without it, the ref cannot even be resolved: nothing is queued, and the plan says why.
      const without = await apply({});
      const refused = finalJson<ApplyJson>(without.stdout).actions.find((a) => a.kind === 'source-error');
      expect(refused?.reasons.join('\n'), without.stdout).toMatch(/cannot read https:\/\/127\.0\.0\.1/);
      expect(own.emulator.queuedJobs).toHaveLength(0);
      const withToken = await apply({ PILOT_SOURCE_TOKEN: secret, PILOT_SOURCE_HOST: '127.0.0.1' });
      const json = finalJson<ApplyJson>(withToken.stdout);
      expect(json.errors).toEqual([]);
      expect(json.outcome).toBe('converged');
      expect(own.emulator.queuedJobs.at(-1)!.job.data_source.git.basic).toEqual({ username: 'x-access-token', password: secret });
      expect(`${without.stdout}${without.stderr}${withToken.stdout}${withToken.stderr}`).not.toContain(secret);
    } finally {
      await own.stop();
      await server.close();
    }
  });
});

describe("Waypoint's job history is not Pilot's record", () => {
  it('plans nothing for apps whose jobs the server trimmed: the store says what was deployed', async () => {
    // The real server keeps 10,000 finished jobs (internal/server/boltdbstate/job.go 38); here, two.
    const small = await startRig({ jobHistoryLimit: 2 });
    try {
      const repo = await createSourceRepo('trimmed');
      const apps = ['a', 'b', 'c', 'd'].map((name) => ({ name, repo: repo.url, platform: 'ecs' as const }));
      const s = await scenarioOf(small, [{ name: 'f4', apps }]);
      const first = await s.apply();
      expect(first.json.outcome, JSON.stringify(first.json.errors)).toBe('converged');
      const listed = await WaypointClient.connect({ address: small.emulator.address, tls: 'off', token, deadlineMs: 5_000 });
      try {
        expect((await listed.listJobs({ project: 'f4' })).length).toBeLessThanOrEqual(2);
      } finally {
        listed.close();
      }
      const again = await s.apply();
      expect(again.json).toMatchObject({ outcome: 'no-changes', jobsQueued: 0, actions: [] });
    } finally {
      await small.stop();
    }
  });
});
