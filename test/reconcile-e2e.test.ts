// `pilot apply --once` end to end: the real CLI in-process, real git repositories over
// file://, the Waypoint emulator over real gRPC on a free port.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManifestRepo, createSourceRepo, removeTemporaryFolders } from './support/git-repos.js';
import { duplicateUps, finalJson, onQueueJob, scenarioOf, stateBytes, startRig, type ApplyJson, type Rig } from './support/reconcile-harness.js';
import { manifestFiles, projectYaml, type AppOptions, type ProjectOptions } from './support/reconcile-manifests.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ stepMs: 20, concurrency: 8 });
});

afterAll(async () => {
  await rig?.stop();
  await removeTemporaryFolders();
});

async function scenario(...projects: ProjectOptions[]) {
  const s = await scenarioOf(rig, projects);
  return { ...s, inventory: async () => (await s.inventory()).map((i) => `${i.project}/${i.name}`).sort() };
}

async function converge(s: Awaited<ReturnType<typeof scenario>>): Promise<ApplyJson> {
  const run = await s.apply();
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.json.outcome).toBe('converged');
  return run.json;
}

const action = (json: ApplyJson, id: string) => json.actions.find((a) => a.id === id);
const ups = (project: string) => rig.jobs(project).filter((j) => j.operation === 'up');

describe('pilot apply --once against the Waypoint emulator', () => {
  it('converges several projects on both clouds, each app pinned to its source commit, then queues nothing', async () => {
    const [api, worker, render, thumbs, admin] = await Promise.all(['api', 'worker', 'render', 'thumbs', 'admin'].map((n) => createSourceRepo(n)));
    const s = await scenario(
      { name: 'e1-shop', apps: [{ name: 'api', repo: api!.url, platform: 'ecs' }, { name: 'worker', repo: worker!.url, platform: 'lambda', dependsOn: ['api'] }] },
      { name: 'e1-media', provider: 'gcp', apps: [{ name: 'render', repo: render!.url, platform: 'cloud-run' }, { name: 'thumbs', repo: thumbs!.url, platform: 'cloud-run' }] },
      { name: 'e1-tools', apps: [{ name: 'admin', repo: admin!.url, platform: 'ecs' }, { name: 'hooks', repo: api!.url, platform: 'cloud-run' }] },
    );
    const first = await converge(s);
    expect(first.revision).toBe(s.manifests.first);
    expect(first.errors).toEqual([]);
    const expected: Record<string, string> = {
      'e1-shop/api': api!.first, 'e1-shop/worker': worker!.first, 'e1-media/render': render!.first,
      'e1-media/thumbs': thumbs!.first, 'e1-tools/admin': admin!.first, 'e1-tools/hooks': api!.first,
    };
    const queued = ['e1-shop', 'e1-media', 'e1-tools'].flatMap(ups);
    expect(queued.map((j) => `${j.project}/${j.app}`).sort()).toEqual(Object.keys(expected).sort());
    for (const job of queued) expect({ app: job.app, commit: job.commit, ref: job.ref }).toEqual({ app: job.app, commit: expected[`${job.project}/${job.app}`], ref: expected[`${job.project}/${job.app}`] });
    expect(first.jobsQueued).toBe(6);
    const order = rig.jobs('e1-shop').map((j) => j.app);
    expect(order.indexOf('api')).toBeLessThan(order.indexOf('worker'));

    const second = await s.apply();
    expect(second.code).toBe(0);
    expect(second.json).toMatchObject({ jobsQueued: 0, outcome: 'no-changes', actions: [] });
    const text = await s.applyText();
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No changes');
    expect(text.stdout).toContain('0 jobs queued');
    expect(['e1-shop', 'e1-media', 'e1-tools'].flatMap(ups)).toHaveLength(6);
  });

  it('redeploys only the app whose memory changed, then only the app whose source moved', async () => {
    const [api, web] = await Promise.all([createSourceRepo('api'), createSourceRepo('web')]);
    const project = (memory: number): ProjectOptions => ({
      name: 'e2', apps: [{ name: 'api', repo: api!.url, platform: 'ecs', cpu: 0.25, memory }, { name: 'web', repo: web!.url, platform: 'lambda' }],
    });
    const s = await scenario(project(512));
    await converge(s);

    await s.manifests.commit(manifestFiles(project(1024)));
    const plan = await s.plan();
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^ {2}~ deploy e2\/api +memory 512 -> 1024$/m);
    expect(plan.stdout).not.toContain('e2/web');
    let before = rig.jobs('e2').length;
    const changed = await s.apply();
    expect(changed.code).toBe(0);
    expect(changed.json.jobsQueued).toBe(1);
    expect(rig.jobs('e2').slice(before)).toMatchObject([{ app: 'api', operation: 'up', commit: api!.first }]);
    expect(action(changed.json, 'deploy:e2/api')?.reasons).toEqual(['memory 512 -> 1024']);

    const moved = await web!.commit({ 'src/index.js': 'export const version = 2;\n' });
    const reason = `source moved ${web!.first.slice(0, 7)} -> ${moved.slice(0, 7)}`;
    expect((await s.plan()).stdout).toMatch(new RegExp(`^ {2}~ deploy e2/web +${reason}$`, 'm'));
    before = rig.jobs('e2').length;
    const after = await s.apply();
    expect(after.json.jobsQueued).toBe(1);
    expect(rig.jobs('e2').slice(before)).toMatchObject([{ app: 'web', operation: 'up', commit: moved, ref: moved }]);
    expect(action(after.json, 'deploy:e2/web')?.reasons).toEqual([reason]);
  });

  it('reports a removed app as orphaned with prune off, and destroys it with prune on', async () => {
    const repo = await createSourceRepo('e3');
    const a: AppOptions = { name: 'a', repo: repo.url, platform: 'ecs' };
    const b: AppOptions = { name: 'b', repo: repo.url, platform: 'lambda' };
    const s = await scenario({ name: 'e3', apps: [a, b] });
    await converge(s);
    const deployed = rig.jobs('e3').length;

    await s.manifests.commit(manifestFiles({ name: 'e3', apps: [a] }));
    expect((await s.plan()).stdout).toMatch(/^ {2}! orphaned e3\/b +orphaned: prune is off/m);
    const off = await s.apply();
    expect(off.code).toBe(0);
    expect(off.json.jobsQueued).toBe(0);
    expect(action(off.json, 'destroy:e3/b')).toMatchObject({ kind: 'orphaned', status: 'reported', reasons: [expect.stringContaining('orphaned: prune is off')] });
    expect(rig.jobs('e3')).toHaveLength(deployed);
    expect(await s.inventory()).toEqual(['e3/a', 'e3/b']);

    await s.manifests.commit(manifestFiles({ name: 'e3', prune: true, apps: [a] }));
    expect((await s.plan()).stdout).toMatch(/^ {2}- destroy-app e3\/b +removed from the manifests/m);
    const on = await s.apply();
    expect(on.code, on.stdout).toBe(0);
    expect(on.json.jobsQueued).toBe(1);
    expect(rig.jobs('e3').slice(deployed)).toMatchObject([{ app: 'b', operation: 'destroy' }]);
    expect(await s.inventory()).toEqual(['e3/a']);
    expect((await s.apply()).json).toMatchObject({ jobsQueued: 0, outcome: 'no-changes' });
  });

  it('applies nothing from an invalid commit, and prunes nothing when the repository has no manifests', async () => {
    const repo = await createSourceRepo('e4');
    const a: AppOptions = { name: 'a', repo: repo.url, platform: 'ecs', cpu: 0.25, memory: 512 };
    const b: AppOptions = { name: 'b', repo: repo.url, platform: 'lambda' };
    const s = await scenario({ name: 'e4', prune: true, apps: [a, b] });
    await converge(s);
    const deployed = rig.jobs('e4').length;

    // b removed (with prune on) and a given a memory size Fargate does not have.
    const text = projectYaml({ name: 'e4', prune: true, apps: [{ ...a, memory: 100 }] });
    const line = text.split('\n').findIndex((l) => l.includes('memory: 100')) + 1;
    const col = text.split('\n')[line - 1]!.indexOf('100') + 1;
    const bad = await s.manifests.commit({ 'e4/pilot.yaml': text });
    const invalid = await s.apply();
    expect(invalid.code).toBe(1);
    expect(invalid.json).toMatchObject({ revision: bad, outcome: 'invalid', jobsQueued: 0 });
    expect(invalid.json.problems).toContainEqual(expect.objectContaining({ file: 'e4/pilot.yaml', line, col, path: 'apps[0].deploy.memory' }));
    expect(invalid.stderr).toContain(`e4/pilot.yaml:${line}:${col}: apps[0].deploy.memory`);
    const plan = await s.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`e4/pilot.yaml:${line}:${col}:`);
    expect(rig.jobs('e4')).toHaveLength(deployed);

    await s.manifests.clear();
    const empty = await s.apply();
    expect(empty.json.jobsQueued).toBe(0);
    for (const id of ['destroy:e4/a', 'destroy:e4/b']) {
      expect(action(empty.json, id)).toMatchObject({ kind: 'orphaned', status: 'reported', reasons: [expect.stringContaining('declare nothing')] });
    }
    expect(rig.jobs('e4')).toHaveLength(deployed);
    expect(await s.inventory()).toEqual(['e4/a', 'e4/b']);
  });

  it('plans a database and a static app as needing the aws driver, blocks their dependents and converges the rest', async () => {
    const repo = await createSourceRepo('e5');
    const s = await scenario(
      {
        name: 'e5',
        apps: [
          { name: 'api', repo: repo.url, platform: 'ecs', env: { DATABASE_URL: { fromDatabase: 'main', property: 'url' } } },
          { name: 'site', repo: repo.url, platform: 'static' },
          { name: 'worker', repo: repo.url, platform: 'lambda', dependsOn: ['api'] },
          { name: 'web', repo: repo.url, platform: 'ecs' },
        ],
        databases: [{ name: 'main' }],
      },
      { name: 'e5-gcp', provider: 'gcp', apps: [{ name: 'svc', repo: repo.url, platform: 'cloud-run' }] },
    );
    const plan = await s.plan();
    expect(plan.stdout).toMatch(/^ {2}! provision-stack e5 aws us-east-1 +needs the aws driver \(database main, static hosting for site\) \[unsupported\]$/m);
    const run = await s.apply();
    expect(run.code, run.stdout).toBe(0);
    expect(run.json.outcome).toBe('converged');
    expect(run.json.errors).toEqual([]);
    expect(action(run.json, 'stack:e5/aws/us-east-1')?.status).toBe('unsupported');
    for (const [id, by] of [['deploy:e5/api', 'stack:e5/aws/us-east-1'], ['deploy:e5/site', 'stack:e5/aws/us-east-1'], ['deploy:e5/worker', 'deploy:e5/api']] as const) {
      expect(action(run.json, id)).toMatchObject({ status: 'blocked', waitsForDriver: true, reasons: expect.arrayContaining([`blocked by ${by}`]) });
    }
    expect(action(run.json, 'deploy:e5/web')?.status).toBe('done');
    expect([...ups('e5'), ...ups('e5-gcp')].map((j) => `${j.project}/${j.app}`).sort()).toEqual(['e5-gcp/svc', 'e5/web']);
  });

  it('retries through a Waypoint outage that starts just before the apply', async () => {
    const repo = await createSourceRepo('e6');
    const s = await scenario({ name: 'e6', apps: [{ name: 'a', repo: repo.url, platform: 'ecs' }, { name: 'b', repo: repo.url, platform: 'cloud-run' }] });
    rig.emulator.faults.unavailable(2000);
    const run = await s.apply().finally(() => rig.emulator.faults.available());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json.outcome).toBe('converged');
    expect(ups('e6').map((j) => j.app).sort()).toEqual(['a', 'b']);
  });

  it('retries through a Waypoint outage that starts while the first job is queued, without queueing twice', async () => {
    const repo = await createSourceRepo('e6w');
    const s = await scenario({ name: 'e6w', apps: [{ name: 'a', repo: repo.url, platform: 'ecs' }, { name: 'b', repo: repo.url, platform: 'lambda' }] });
    let outages = 0;
    const unhook = onQueueJob(rig.emulator, (job) => {
      if (job.project === 'e6w' && outages++ === 0) rig.emulator.faults.unavailable(2000);
    });
    const run = await s.applyText().finally(() => {
      unhook();
      rig.emulator.faults.available();
    });
    expect(outages).toBeGreaterThan(0);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/deploy e6w\/[ab]: .*unavailable.*; retrying in [\d.]+ s \(attempt 2\)/);
    expect(run.stdout).toContain('5 done, 0 failed');
    expect((await s.apply()).json).toMatchObject({ outcome: 'no-changes', jobsQueued: 0 });
    expect(duplicateUps(rig.jobs('e6w'))).toEqual([]);
    expect(ups('e6w').map((j) => j.app).sort()).toEqual(['a', 'b']);
  });

  it('reports a failing app with its last log lines, does not retry it until --retry-failed', async () => {
    const repo = await createSourceRepo('e7');
    const s = await scenario({ name: 'e7', apps: ['broken', 'ok1', 'ok2'].map((name): AppOptions => ({ name, repo: repo.url, platform: 'ecs' })) });
    rig.emulator.faults.failApps = new Set(['e7/broken']);
    try {
      const run = await s.apply();
      expect(run.code).toBe(1);
      expect(run.json.errors.map((e) => e.id)).toEqual(['deploy:e7/broken']);
      expect(run.json.errors[0]!.lastLines!.length).toBeGreaterThan(0);
      expect(run.json.errors[0]!.lastLines!.join('\n')).toContain('simulated failure');
      for (const id of ['deploy:e7/ok1', 'deploy:e7/ok2']) expect(action(run.json, id)?.status).toBe('done');

      const plan = await s.plan();
      expect(plan.stdout).toMatch(/^ {2}! not-retried e7\/broken +last deployment failed \(job \w+\): not retried/m);
      const again = await s.apply();
      expect(again.json.jobsQueued).toBe(0);
      expect(action(again.json, 'deploy:e7/broken')).toMatchObject({ kind: 'not-retried', status: 'reported' });
    } finally {
      rig.emulator.faults.failApps = new Set();
    }
    const retried = await s.apply('--retry-failed');
    expect(retried.code, retried.stdout).toBe(0);
    expect(retried.json.jobsQueued).toBe(1);
    expect(action(retried.json, 'deploy:e7/broken')).toMatchObject({ status: 'done', reasons: ['last deployment failed: retrying'] });
    expect(ups('e7').filter((j) => j.app === 'broken')).toHaveLength(2);
    expect((await s.apply()).json).toMatchObject({ outcome: 'no-changes', jobsQueued: 0 });
  });

  it('holds back an app whose secret is not set, deploys it once set, and never shows the value', async () => {
    const repo = await createSourceRepo('e8');
    const s = await scenario({ name: 'e8', apps: [{ name: 'pay', repo: repo.url, platform: 'ecs', env: { STRIPE_KEY: { secret: true }, MODE: 'live' } }, { name: 'web', repo: repo.url, platform: 'lambda' }] });
    const first = await s.apply();
    expect(action(first.json, 'secret:e8/pay')).toMatchObject({ status: 'reported', reasons: [expect.stringContaining('pilot secret set e8/pay STRIPE_KEY')] });
    expect(action(first.json, 'deploy:e8/pay')?.status).toBe('blocked');
    expect(action(first.json, 'deploy:e8/web')?.status).toBe('done');
    expect(ups('e8').map((j) => j.app)).toEqual(['web']);

    const secret = 'sk_live_9f8e7d6c5b4a39281706';
    const set = await rig.run(['secret', 'set', 'e8/pay', 'STRIPE_KEY', s.manifests.dir], s.home, { stdin: secret });
    expect(set.code, set.stderr).toBe(0);
    expect((await s.plan()).stdout).toMatch(/^ {2}~ deploy e8\/pay +never deployed by Pilot$/m);
    const second = await s.apply();
    expect(second.code, second.stdout).toBe(0);
    expect(second.json.jobsQueued).toBe(1);
    expect(ups('e8').map((j) => j.app)).toEqual(['web', 'pay']);
    await s.applyText();
    await rig.run(['status'], s.home);

    for (const text of rig.printed) expect(text).not.toContain(secret);
    for (const job of rig.jobs('e8')) expect(job.waypointHcl).not.toContain(secret);
    const bytes = await stateBytes(s.home);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });
});
