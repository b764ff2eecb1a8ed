// Cloud stacks end to end: `pilot plan` and `pilot apply --once` with the real CLI, the
// real terraform binary running each synthesized stack through the stand-in
// (terraform_data in place of the clouds), and the Waypoint emulator over gRPC.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { createSourceRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { scenarioOf, stateBytes, startRig, token, type ApplyJson, type Rig } from './support/reconcile-harness.js';
import { manifestFiles, type ProjectOptions } from './support/reconcile-manifests.js';
import { siteFiles, startStaticRunner, type StaticRunner } from './support/static-runner.js';

let rig: Rig;
let client: WaypointClient;
let sites: StaticRunner;

beforeAll(async () => {
  // Static sites really deploy: the runner builds them and pilot-sync fills the bucket stand-ins.
  sites = await startStaticRunner();
  rig = await startRig({ stepMs: 10, concurrency: 8, runner: sites.runner });
  client = await WaypointClient.connect({ address: rig.emulator.address, tls: 'off', token });
});

afterAll(async () => {
  client?.close();
  await rig?.stop();
  await sites?.close();
  await removeTemporaryFolders();
});

const standIn = ['--clouds', 'stand-in'];

const scenario = (...projects: ProjectOptions[]) => scenarioOf(rig, projects, standIn);

const action = (json: ApplyJson, id: string) => json.actions.find((a) => a.id === id);

/** Every file under `dir`, with its path relative to it. */
async function filesUnder(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (file) => ({ file: path.relative(dir, file), bytes: await readFile(file) })));
}

describe('cloud stacks through the terraform stand-in', () => {
  it('applies the stack before the apps, sets fromDatabase config from its outputs, and shows the values nowhere', async () => {
    const repo = await createSourceRepo('c1');
    const site = await createSourceRepo('c1-site', siteFiles({ 'index.html': '<h1>c1</h1>' }));
    const bucket = sites.addSite({ project: 'c1', name: 'site', provider: 'aws', region: 'us-east-1' });
    const database = { DATABASE_URL: { fromDatabase: 'main', property: 'url' }, DB_HOST: { fromDatabase: 'main', property: 'host' } };
    const s = await scenario(
      {
        name: 'c1',
        apps: [
          { name: 'api', repo: repo.url, platform: 'ecs', env: database },
          { name: 'site', repo: site.url, platform: 'static' },
        ],
        databases: [{ name: 'main' }],
      },
      {
        name: 'c1-gcp', provider: 'gcp', databases: [{ name: 'main' }],
        apps: [{ name: 'svc', repo: repo.url, platform: 'cloud-run', env: { DATABASE_URL: { fromDatabase: 'main', property: 'url' } } }],
      },
    );

    const plan = await s.plan();
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^ {2}\+ provision-stack c1 aws us-east-1 +\d+ to create$/m);
    expect(plan.stdout).toMatch(/^ {6}\+ {3}aws_db_instance\.\S+$/m);
    expect(plan.stdout).toMatch(/^ {6}\+ {3}google_sql_database_instance\.\S+$/m);
    expect(plan.stdout).toMatch(/^ {2}~ set-config c1\/api +set DATABASE_URL, DB_HOST$/m);

    const run = await s.apply();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json.outcome).toBe('converged');
    const order = run.json.actions.map((a) => a.id);
    for (const stack of ['stack:c1/aws/us-east-1', 'stack:c1-gcp/gcp/us-central1']) {
      expect(action(run.json, stack)?.status).toBe('done');
    }
    expect(order.indexOf('stack:c1/aws/us-east-1')).toBeLessThan(order.indexOf('config:c1/api'));
    for (const id of ['config:c1/api', 'deploy:c1/api', 'deploy:c1/site', 'config:c1-gcp/svc', 'deploy:c1-gcp/svc']) expect(action(run.json, id)?.status, id).toBe('done');

    const config = await client.getAppConfig('c1', 'api');
    const url = config.DATABASE_URL;
    expect(url?.kind).toBe('static');
    const match = /^postgres:\/\/pilot:([0-9a-f]{32})@([^:]+):5432\/main\?sslmode=require$/.exec(url?.kind === 'static' ? url.value : '');
    expect(match, JSON.stringify(url)).not.toBeNull();
    const [, password, host] = match!;
    expect(config.DB_HOST).toEqual({ kind: 'static', value: host });
    const gcpUrl = (await client.getAppConfig('c1-gcp', 'svc')).DATABASE_URL;
    expect(gcpUrl?.kind === 'static' ? gcpUrl.value : '').toMatch(/^postgres:\/\/pilot:[0-9a-f]{32}@.+:5432\/main\?sslmode=require$/);

    // The apps are rendered with their stack's wiring.
    const hcl = (app: string) => rig.jobs().filter((j) => j.app === app && j.operation === 'up').at(-1)!.waypointHcl;
    expect(hcl('api')).toMatch(/security_group_ids\s*=\s*\["stand-in-/);
    expect(hcl('site')).toContain(`"--bucket", "${bucket}"`);
    expect([...(sites.s3.buckets.get(bucket)?.keys() ?? [])]).toEqual(['index.html']);
    expect(hcl('svc')).toMatch(/connector\s*=\s*"stand-in-/);

    // The password and the URL: not printed, not planned, not rendered, not in state.db, not in the stack's files.
    const printedPlan = await s.plan('--format', 'json');
    const secrets = [password!, url?.kind === 'static' ? url.value : 'unreachable'];
    for (const secret of secrets) {
      expect(rig.printed.join('\n')).not.toContain(secret);
      expect(printedPlan.stdout).not.toContain(secret);
      for (const job of rig.jobs()) expect(job.waypointHcl).not.toContain(secret);
      expect((await stateBytes(s.home)).includes(secret)).toBe(false);
      for (const { file, bytes } of await filesUnder(path.join(s.home, 'terraform'))) {
        // Terraform's state holds outputs, as it does on every machine that runs it.
        if (file.endsWith('.tfstate') || file.endsWith('.tfstate.backup')) continue;
        expect(bytes.includes(secret), file).toBe(false);
      }
    }

    const again = await s.apply();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.json.jobsQueued).toBe(0);
    expect(again.json.actions).toEqual([]);

    const info = await s.run('db', 'info', 'c1/main', s.manifests.dir, ...standIn);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain(`host      ${host}`);
    expect(info.stdout).toContain('port      5432');
    expect(info.stdout).toContain('password  (hidden: --show-password to print it)');
    expect(info.stdout).not.toContain(password);
    const shown = await s.run('db', 'info', 'c1/main', s.manifests.dir, ...standIn, '--show-password', '--format', 'json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ host, port: 5432, user: 'pilot', name: 'main', password });
  });

  it('deletes a database whose protection is off when it is pruned, and keeps a protected one', async () => {
    const repo = await createSourceRepo('c2');
    const project = (databases: ProjectOptions['databases']): ProjectOptions => ({ name: 'c2', prune: true, apps: [{ name: 'web', repo: repo.url, platform: 'ecs' }], databases });
    const s = await scenario(project([{ name: 'scratch', deletionProtection: false }, { name: 'ledger' }]));
    const first = await s.apply();
    expect(first.code, first.stdout + first.stderr).toBe(0);

    await s.manifests.commit(manifestFiles(project([])));
    const plan = await s.plan();
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toMatch(/^ {2}- provision-stack c2 aws us-east-1 +.*\d+ to destroy$/m);
    expect(plan.stdout).toMatch(/^ {6}- {3}aws_db_instance\.\S*scratch\S*  \[destructive\]$/m);
    expect(plan.stdout).not.toMatch(/aws_db_instance\.\S*ledger/);
    expect(plan.stdout).toMatch(/^ {2}! protected c2\/ledger +left the manifests, but deletion protection is on: never destroyed$/m);

    const run = await s.apply();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(action(run.json, 'destroy-database:c2/scratch')?.status).toBe('done');
    expect((await s.inventory()).filter((i) => i.kind === 'database').map((i) => i.name)).toEqual(['ledger']);
  });

  it('fails the plan when terraform cannot get a provider, says what to do, and deploys nothing that needs the stack', async () => {
    const repo = await createSourceRepo('c3');
    const s = await scenario({ name: 'c3', apps: [{ name: 'api', repo: repo.url, platform: 'ecs' }] });
    const plan = await s.run('plan', s.manifests.dir, '--clouds', 'terraform');
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(/! stack-error c3 aws us-east-1 .*hashicorp\/aws/);
    expect(plan.stdout).toMatch(/mirror/);
    const run = await rig.apply(s.manifests.dir, s.home, '--clouds', 'terraform');
    expect(run.code).toBe(1);
    expect(action(run.json, 'deploy:c3/api')).toMatchObject({ status: 'blocked', reasons: expect.arrayContaining(['blocked by stack:c3/aws/us-east-1']) });
    expect(rig.jobs('c3')).toEqual([]);
  });

  it("shows terraform's progress under the stack while it is applied, in the real stack's addresses", async () => {
    const repo = await createSourceRepo('c5');
    const s = await scenario({ name: 'c5', apps: [{ name: 'api', repo: repo.url, platform: 'ecs' }], databases: [{ name: 'main' }] });
    const run = await s.applyText();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\[1\/1\] provision-stack c5 aws us-east-1: \d+ to create$/m);
    expect(run.stdout).toMatch(/^ {6}\| pilot-c5-aws-us-east-1: aws_db_instance\.\S+: Creating\.\.\.$/m);
    expect(run.stdout).toMatch(/^ {6}\| pilot-c5-aws-us-east-1: aws_db_instance\.\S+: Creation complete after/m);
    expect(run.stdout).not.toContain('terraform_data');
    expect(run.stdout).not.toContain('Plan to create');
    // Nothing is shown while a stack is only planned.
    expect((await s.plan()).stdout).not.toContain('| pilot-c5');
  });

  it('writes every stack with pilot synth, one folder each, without running terraform', async () => {
    const repo = await createSourceRepo('c4');
    const s = await scenario(
      { name: 'c4', apps: [{ name: 'api', repo: repo.url, platform: 'ecs' }], databases: [{ name: 'main' }] },
      { name: 'c4-gcp', provider: 'gcp', apps: [{ name: 'svc', repo: repo.url, platform: 'cloud-run' }] },
    );
    const out = await temporaryFolder('pilot-synth-');
    const result = await s.run('synth', s.manifests.dir, '--out', out, '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    const stacks = JSON.parse(result.stdout).stacks as { id: string; path: string; resources: number }[];
    expect(stacks.map((x) => x.id)).toEqual(['pilot-c4-aws-us-east-1', 'pilot-c4-gcp-gcp-us-central1']);
    for (const stack of stacks) {
      expect(stack.path).toBe(path.join(out, stack.id, 'cdk.tf.json'));
      const config = JSON.parse(await readFile(stack.path, 'utf8'));
      expect(Object.keys(config.resource).length).toBeGreaterThan(0);
      expect(stack.resources).toBeGreaterThan(0);
    }
    expect(await readdir(out)).toEqual(stacks.map((x) => x.id));

    // The Pilot VM's network from --config: the AWS stack reuses it and creates none.
    const config = path.join(await temporaryFolder('pilot-synth-config-'), 'pilot.config.yaml');
    await writeFile(config, 'clouds:\n  aws:\n    network:\n      vpcId: vpc-0abc\n      appSubnetIds: [subnet-a]\n      databaseSubnetIds: [subnet-b, subnet-c]\n');
    const reused = await s.run('synth', s.manifests.dir, '--out', out, '--config', config);
    expect(reused.code, reused.stderr).toBe(0);
    const aws = JSON.parse(await readFile(path.join(out, 'pilot-c4-aws-us-east-1', 'cdk.tf.json'), 'utf8'));
    expect(aws.resource.aws_vpc).toBeUndefined();
    expect(JSON.stringify(aws)).toContain('subnet-b');

    const noOut = await s.run('synth', s.manifests.dir);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out DIR is required');
  });

  it('says what is wrong when pilot db info cannot answer', async () => {
    const repo = await createSourceRepo('c6');
    const s = await scenario({ name: 'c6', apps: [{ name: 'api', repo: repo.url, platform: 'ecs' }], databases: [{ name: 'main' }, { name: 'audit' }] });
    const info = (...argv: string[]) => s.run('db', 'info', ...argv);
    expect(await info('c6', s.manifests.dir, ...standIn)).toMatchObject({ code: 2, stderr: expect.stringContaining('give the database as PROJECT/DB') });
    expect(await info('c6/orders', s.manifests.dir, ...standIn)).toMatchObject({ code: 1, stderr: expect.stringContaining('project c6 has no database orders (databases: audit, main)') });
    expect(await info('nope/main', s.manifests.dir, ...standIn)).toMatchObject({ code: 1, stderr: expect.stringContaining('no project nope in the manifests') });
    expect(await info('c6/main', s.manifests.dir, ...standIn)).toMatchObject({ code: 1, stderr: expect.stringContaining("has no outputs for main yet: run 'pilot apply'") });
    expect(await info('c6/main', s.manifests.dir, '--clouds', 'off')).toMatchObject({ code: 1, stderr: expect.stringContaining('clouds are off') });
  });
});
