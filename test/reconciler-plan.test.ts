// diff + plan, pure: desired state from manifest text, actual state written by hand.

import { describe, expect, it } from 'vitest';
import { diff } from '../src/reconciler/diff.js';
import { countPlan } from '../src/reconciler/plan-types.js';
import { formatPlan, planJson } from '../src/reconciler/plan-text.js';
import { policyFor } from '../src/reconciler/plan.js';
import type { StackChange, StackState } from '../src/reconciler/ports.js';
import {
  appItem, appYaml, byId, commitA, commitB, converged, databaseItem, desired, manifest, nothingRuns, planOf, revision, targetsOf,
} from './support/reconcile-plan.js';

const dbUrl = 'DATABASE_URL: { fromDatabase: main, property: url }';

/** A stack of `project` in aws us-east-1 as planned, its database main protected. */
function stack(project: string, changes: StackChange[], extra: Partial<StackState> = {}): StackState {
  return { id: `stack:${project}/aws/us-east-1`, project, provider: 'aws', region: 'us-east-1', changes, protectedAddresses: { 'aws_db_instance.db-main': 'main' }, ...extra };
}
const shop = (extra = '') =>
  manifest('shop', [appYaml('api', { env: dbUrl }), appYaml('site', { platform: 'static' }), appYaml('worker', { platform: 'lambda', dependsOn: ['api'] }), appYaml('web')].join(''), extra) +
  'databases:\n  - name: main\n';

describe('order', () => {
  it('puts stacks, then projects, then apps, then config, then deploys, each after its prerequisites', async () => {
    const tools = manifest('tools', [appYaml('alpha', { dependsOn: ['zeta'] }), appYaml('zeta')].join(''));
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': shop(), 'tools/pilot.yaml': tools }), { drivers: ['aws'] });
    targets.stacks = [stack('shop', [{ address: 'aws_db_instance.db-main', action: 'create', destructive: false }])];
    const p = planOf(targets, nothingRuns());
    expect(p.actions.map((a) => a.id)).toEqual([
      'stack:shop/aws/us-east-1',
      'project:shop', 'project:tools',
      'app:shop/api', 'app:shop/site', 'app:shop/web', 'app:shop/worker', 'app:tools/alpha', 'app:tools/zeta',
      'config:shop/api',
      'deploy:shop/api', 'deploy:shop/site', 'deploy:shop/web', 'deploy:shop/worker', 'deploy:tools/zeta', 'deploy:tools/alpha',
    ]);
    const seen = new Set<string>();
    for (const action of p.actions) {
      for (const id of action.after) expect(seen.has(id), `${action.id} after ${id}`).toBe(true);
      seen.add(action.id);
    }
    expect(byId(p, 'deploy:shop/worker').after).toContain('deploy:shop/api');
    expect(byId(p, 'deploy:tools/alpha').after).toContain('deploy:tools/zeta');
    expect(byId(p, 'deploy:shop/api').after).toEqual(['app:shop/api', 'config:shop/api', 'stack:shop/aws/us-east-1']);
    expect(p.actions.every((a) => a.status === 'pending')).toBe(true);
  });

  it('is a function of its input: the same state plans the same way twice', async () => {
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': shop() }));
    expect(planOf(targets, nothingRuns())).toEqual(planOf(targets, nothingRuns()));
    expect(diff(targets, converged(targets))).toEqual(diff(targets, converged(targets)));
  });
});

describe('safety', () => {
  it('never prunes when the manifests declare nothing, whatever was managed before', async () => {
    const targets = await targetsOf(desired({}));
    const actual = { ...nothingRuns(), inventory: [appItem('shop', 'api'), databaseItem('shop', 'main', false)] };
    const p = planOf(targets, actual);
    expect(policyFor(targets, revision).allowPrune).toBe(false);
    expect(p.actions.map((a) => [a.kind, a.status])).toEqual([['orphaned', 'report'], ['orphaned', 'report']]);
    for (const action of p.actions) expect(action.reasons[0]).toContain('the manifests declare nothing');
  });

  it('with prune off reports an app that left the manifests as orphaned and leaves it running', async () => {
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': manifest('shop', appYaml('web')) }));
    const actual = converged(targets);
    actual.inventory.push(appItem('shop', 'old'));
    const p = planOf(targets, actual);
    expect(p.actions).toEqual([expect.objectContaining({ id: 'destroy:shop/old', kind: 'orphaned', symbol: '!', status: 'report', reasons: ['orphaned: prune is off, so it is left running'] })]);
  });

  it('with prune on destroys an app that left the manifests', async () => {
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': manifest('shop', appYaml('web'), 'policy: { prune: true }\n') }));
    const actual = converged(targets);
    actual.inventory.push(appItem('shop', 'old'), appItem('other', 'kept'));
    const p = planOf(targets, actual);
    expect(byId(p, 'destroy:shop/old')).toMatchObject({ kind: 'destroy-app', symbol: '-', status: 'pending' });
    expect(byId(p, 'destroy:other/kept')).toMatchObject({ kind: 'orphaned', status: 'report' });
  });

  it('never destroys a protected database, even when pruning', async () => {
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': manifest('shop', appYaml('web'), 'policy: { prune: true }\n') }), { drivers: ['aws'] });
    const actual = converged(targets);
    actual.inventory.push(databaseItem('shop', 'on', true), databaseItem('shop', 'unset'), databaseItem('shop', 'off', false));
    const p = planOf(targets, actual);
    expect(byId(p, 'destroy-database:shop/on')).toMatchObject({ kind: 'protected', status: 'report' });
    expect(byId(p, 'destroy-database:shop/unset')).toMatchObject({ kind: 'protected', status: 'report' });
    expect(byId(p, 'destroy-database:shop/off')).toMatchObject({ kind: 'destroy-database', status: 'pending' });
    const withoutDriver = planOf(await targetsOf(targets.state), actual);
    expect(byId(withoutDriver, 'destroy-database:shop/off')).toMatchObject({ kind: 'destroy-database', status: 'unsupported' });
  });

  it('refuses a stack plan that would replace or destroy a protected database, and blocks what needs it', async () => {
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': shop() }), { drivers: ['aws'] });
    targets.stacks = [stack('shop', [
      { address: 'aws_db_instance.db-main', action: 'replace', destructive: true, attributes: ['identifier'] },
      { address: 'aws_ecr_repository.app-web-registry', action: 'update', destructive: false },
    ])];
    const p = planOf(targets, converged(targets));
    expect(byId(p, 'stack:shop/aws/us-east-1')).toMatchObject({
      kind: 'refused', status: 'report', symbol: '!',
      reasons: ['would replace database main (aws_db_instance.db-main), which has deletionProtection: true; nothing is applied (set deletionProtection: false first if you mean it)'],
    });
    // The same replace of an unprotected database is planned, marked destructive.
    targets.stacks = [stack('shop', targets.stacks[0]!.changes, { protectedAddresses: {} })];
    const allowed = planOf(targets, converged(targets));
    expect(byId(allowed, 'stack:shop/aws/us-east-1')).toMatchObject({ kind: 'provision-stack', status: 'pending', symbol: '-', reasons: ['1 to change, 1 to replace'] });
    expect(formatPlan(allowed)).toMatch(/^ {6}-\/\+ aws_db_instance\.db-main \(identifier\)  \[destructive\]$/m);
  });

  it('reports a stack that could not be planned and blocks the apps in it, as failures', async () => {
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': shop() }), { drivers: ['aws'] });
    targets.stacks = [stack('shop', [], { error: { kind: 'stalled', code: 'terraform.provider-unavailable', message: 'hashicorp/aws is unavailable' } })];
    const p = planOf(targets, nothingRuns());
    expect(byId(p, 'stack:shop/aws/us-east-1')).toMatchObject({ kind: 'stack-error', status: 'report', reasons: ['hashicorp/aws is unavailable'] });
    for (const id of ['deploy:shop/web', 'deploy:shop/site', 'config:shop/api']) {
      expect(byId(p, id).status, id).toBe('blocked');
    }
  });

  it('blocks what needs an unsupported stack, and what depends on that, saying by what', async () => {
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': shop() }));
    const p = planOf(targets, nothingRuns());
    expect(byId(p, 'stack:shop/aws/us-east-1')).toMatchObject({ status: 'unsupported', symbol: '!', reasons: ['needs the aws driver (database main, static hosting for site)'] });
    expect(byId(p, 'config:shop/api')).toMatchObject({ status: 'blocked', reasons: ['set DATABASE_URL', 'blocked by stack:shop/aws/us-east-1'] });
    expect(byId(p, 'deploy:shop/api')).toMatchObject({ status: 'blocked', reasons: expect.arrayContaining(['blocked by stack:shop/aws/us-east-1', 'blocked by config:shop/api']) });
    expect(byId(p, 'deploy:shop/site')).toMatchObject({ status: 'blocked', reasons: ['new app', 'blocked by stack:shop/aws/us-east-1'] });
    expect(byId(p, 'deploy:shop/worker')).toMatchObject({ status: 'blocked', reasons: ['new app', 'blocked by deploy:shop/api'] });
    expect(byId(p, 'deploy:shop/web')).toMatchObject({ status: 'pending', reasons: ['new app'] });
  });

  it('holds back the deploy of an app whose secret is not set', async () => {
    const targets = await targetsOf(desired({ 'pay/pilot.yaml': manifest('pay', appYaml('api', { env: 'STRIPE_KEY: { secret: true }' })) }));
    const p = planOf(targets, nothingRuns());
    expect(byId(p, 'secret:pay/api')).toMatchObject({ kind: 'missing-secret', status: 'report', reasons: ['secret STRIPE_KEY is not set: run pilot secret set pay/api STRIPE_KEY'] });
    expect(byId(p, 'deploy:pay/api')).toMatchObject({ status: 'blocked', reasons: ['new app', 'blocked by secret:pay/api'] });
    expect(planOf(targets, converged(targets)).actions).toEqual([]);
  });
});

describe('deployments', () => {
  const single = async () => targetsOf(desired({ 'shop/pilot.yaml': manifest('shop', appYaml('api', { memory: 1024 })) }));

  it('attaches to a job in flight with the same configuration and commit, rather than queueing again', async () => {
    const targets = await single();
    const actual = converged(targets);
    const app = actual.apps['shop/api']!;
    delete app.deployed;
    app.inFlight = { jobId: 'job-running', configHash: targets.apps['shop/api']!.configHash, commit: commitA };
    expect(planOf(targets, actual).actions).toEqual([expect.objectContaining({ id: 'deploy:shop/api', kind: 'attach', jobId: 'job-running', commit: commitA })]);
    app.inFlight = { ...app.inFlight, commit: commitB };
    expect(planOf(targets, actual).actions).toEqual([expect.objectContaining({ id: 'deploy:shop/api', kind: 'deploy', commit: commitA })]);
  });

  it('does not retry a deployment that failed with the same configuration and commit, unless asked', async () => {
    const targets = await single();
    const actual = converged(targets);
    actual.apps['shop/api']!.deployed!.state = 'error';
    const p = planOf(targets, actual);
    expect(p.actions).toEqual([expect.objectContaining({ kind: 'not-retried', status: 'report', symbol: '!' })]);
    expect(p.actions[0]!.reasons[0]).toMatch(/^last deployment failed \(job job-api\): not retried until .*--retry-failed/);
    expect(planOf(targets, actual, { retryFailed: true }).actions).toEqual([
      expect.objectContaining({ kind: 'deploy', status: 'pending', reasons: ['last deployment failed: retrying'] }),
    ]);
  });

  it('says what changed: the memory, the source commit, or both', async () => {
    const targets = await single();
    const actual = converged(targets);
    const app = actual.apps['shop/api']!;
    app.previous = { ...app.previous!, memory: 512 };
    app.deployed = { ...app.deployed!, configHash: 'older-hash' };
    expect(byId(planOf(targets, actual), 'deploy:shop/api')).toMatchObject({ symbol: '~', reasons: ['memory 512 -> 1024'] });
    app.deployed = { ...app.deployed, commit: commitB };
    expect(byId(planOf(targets, actual), 'deploy:shop/api').reasons).toEqual(['memory 512 -> 1024', 'source moved bbbbbbb -> aaaaaaa']);
    app.deployed = { ...app.deployed, configHash: targets.apps['shop/api']!.configHash };
    expect(byId(planOf(targets, actual), 'deploy:shop/api').reasons).toEqual(['source moved bbbbbbb -> aaaaaaa']);
  });

  it('reports an app whose source cannot be resolved, and deploys nothing for it', async () => {
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': manifest('shop', appYaml('api') + appYaml('web')) }), { unresolved: ['https://git.example.com/api.git'] });
    const p = planOf(targets, converged(targets));
    expect(p.actions).toEqual([expect.objectContaining({ id: 'deploy:shop/api', kind: 'source-error', status: 'report', reasons: ['https://git.example.com/api.git has no branch or tag "main"'] })]);
  });
});

describe('the printed plan', () => {
  async function rich() {
    const tools = manifest('tools', [appYaml('alpha', { dependsOn: ['zeta'], memory: 1024 }), appYaml('beta', { platform: 'cloud-run', provider: 'gcp' }), appYaml('zeta'), appYaml('pay', { env: 'KEY: { secret: true }' })].join(''), 'policy: { prune: true }\n');
    const targets = await targetsOf(desired({ 'shop/pilot.yaml': shop(), 'tools/pilot.yaml': tools }), { commits: { 'https://git.example.com/zeta.git': commitB } });
    const actual = converged(targets);
    delete actual.projects.shop;
    for (const name of ['api', 'site', 'web', 'worker']) delete actual.apps[`shop/${name}`];
    actual.inventory = actual.inventory.filter((i) => i.project !== 'shop');
    actual.apps['tools/alpha']!.previous!.memory = 512;
    actual.apps['tools/alpha']!.deployed!.configHash = 'older-hash';
    actual.apps['tools/zeta']!.deployed!.commit = commitA;
    actual.apps['tools/beta']!.deployed!.state = 'error';
    actual.apps['tools/pay']!.config = {};
    actual.inventory.push(appItem('tools', 'gone'), databaseItem('tools', 'ledger', true), appItem('legacy', 'cron'));
    return planOf(targets, actual);
  }

  it('prints one line per action, with reasons and counts (golden file)', async () => {
    await expect(formatPlan(await rich())).toMatchFileSnapshot('./golden/plan-rich.txt');
  });

  it('prints "No changes" for an empty plan', () => {
    expect(formatPlan({ version: 1, revision, actions: [] })).toBe(`No changes: the clouds and Waypoint match the manifests at ${revision}.\n`);
  });

  it('serializes as version 1 with counts', async () => {
    const p = await rich();
    const json = JSON.parse(JSON.stringify(planJson(p))) as { version: number; revision: string; counts: object; actions: unknown[] };
    expect(json.version).toBe(1);
    expect(json.revision).toBe(revision);
    expect(json.counts).toEqual(countPlan(p));
    expect(json.counts).toEqual({ create: 6, change: 2, destroy: 1, attention: 9 });
    expect(json.actions).toHaveLength(p.actions.length);
  });
});
