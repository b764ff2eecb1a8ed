// The reconcile shell's two-phase apply against scripted cloud stacks: stacks first,
// then the apps planned again with the stacks' outputs, one merged result; a stack
// that fails; a plan refused for a protected database. In memory, milliseconds a case.

import { describe, expect, it } from 'vitest';
import type { StackOutputs } from '../src/drivers/outputs.js';
import { configHash } from '../src/reconcile/build-targets.js';
import { reconcile, type ReconcileOutcome } from '../src/reconcile/reconcile.js';
import type { ApplyOptions } from '../src/reconciler/apply.js';
import { PilotError } from '../src/reconciler/errors.js';
import { silentLogger } from '../src/reconciler/logger.js';
import { loadDesiredState } from '../src/sources/manifests/load.js';
import { fakeClouds, type FakeClouds, type ScriptedStack } from './fakes/clouds-fake.js';
import { openMemoryStore } from './fakes/memory-store.js';
import { fakeWaypoint, type FakeWaypoint } from './fakes/waypoint-fake.js';
import { manifestFiles } from './support/reconcile-manifests.js';
import { commitA, revision } from './support/reconcile-plan.js';

const stack = 'stack:acme/aws/us-east-1';
const value = (v: unknown) => ({ value: v, sensitive: false });
const wired: StackOutputs = { app_web_subnets: value(['subnet-0a1b2c']), app_web_securityGroupIds: value(['sg-0d3e4f']) };
const database: StackOutputs = Object.fromEntries(Object.entries({ host: 'db.internal', port: 5432, user: 'pilot', password: 'pw', database: 'main' }).map(([k, v]) => [`db_main_${k}`, value(v)]));
const created = { address: 'aws_ecr_repository.web', action: 'create' as const, destructive: false };

// Loaded at collection: the first load compiles the manifest schema.
const env = { DATABASE_URL: { fromDatabase: 'main', property: 'url' } };
const files = manifestFiles({ name: 'acme', databases: [{ name: 'main', deletionProtection: true }], apps: [{ name: 'web', repo: 'https://git.example.test/web.git', platform: 'ecs', env }] });
const loaded = loadDesiredState(Object.entries(files).map(([path, content]) => ({ path, content })));
const web = loaded.state!.projects[0]!.apps[0]!;

async function run(stacks: Record<string, ScriptedStack>, options: ApplyOptions = {}, waypoint = fakeWaypoint()) {
  const clouds = fakeClouds({ stacks });
  const source = { resolveCommit: async () => commitA };
  const retry = { attempts: 2, baseMs: 1, maxMs: 1 };
  const store = openMemoryStore();
  const outcome = await reconcile({ loaded, revision, trigger: 'test', source, store, waypoint, clouds, logger: silentLogger, retry }, { retry, ...options });
  return { outcome, waypoint, clouds, store };
}

const byId = (outcome: ReconcileOutcome, id: string) => outcome.applied?.results.find((r) => r.id === id);

function expectEachActionOnce(outcome: ReconcileOutcome): void {
  const ids = outcome.applied!.results.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(outcome.plan!.actions.map((a) => a.id).sort()).toEqual([...ids].sort());
}

describe('reconcile shell: two-phase apply', () => {
  it('applies the stacks first, then deploys the apps rendered with their outputs, each action once', async () => {
    const started: string[] = [];
    const { outcome, waypoint, clouds } = await run({ [stack]: { changes: [created], outputs: database, applied: { ...database, ...wired } } }, { onProgress: (e) => e.type === 'start' && started.push(e.action.id) });
    expect(clouds.applied).toEqual([stack]);
    expect(started[0]).toBe(stack);
    const [job] = waypoint.queued();
    expect(job?.waypointHcl).toContain('subnet-0a1b2c');
    expect(job).toMatchObject({ operation: 'up', configHash: configHash(web, { subnets: ['subnet-0a1b2c'], securityGroupIds: ['sg-0d3e4f'] }) });
    expect(byId(outcome, stack)?.status).toBe('done');
    expect(byId(outcome, 'deploy:acme/web')?.status).toBe('done');
    expectEachActionOnce(outcome);
    expect(outcome.applied?.outcome).toBe('converged');
  });

  it('plans the apps again from the targets as built: a database output gone after the apply is not taken as still set', async () => {
    // Waypoint holds the value the first plan's outputs give; the apply leaves no outputs.
    const waypoint = fakeWaypoint();
    await waypoint.ensureProject('acme');
    await waypoint.ensureApp('acme', 'web');
    await waypoint.setConfig('acme', 'web', { DATABASE_URL: { kind: 'static', value: 'postgres://pilot:pw@db.internal:5432/main?sslmode=require' } });
    const { outcome } = await run({ [stack]: { changes: [created], outputs: database, applied: {} } }, {}, waypoint);
    expect(byId(outcome, 'config:acme/web')).toMatchObject({ status: 'failed', error: expect.stringContaining('whose stack has no outputs yet') });
    expect(byId(outcome, 'deploy:acme/web')?.status).toBe('blocked');
    expect(waypoint.queued()).toEqual([]);
  });

  it('a stack whose apply fails blocks the apps that need it, and is reported once', async () => {
    const applyError = new PilotError('stalled', 'terraform.apply-failed', 'creating ECR repository: AccessDeniedException');
    const { outcome, waypoint, clouds } = await run({ [stack]: { changes: [created], outputs: database, applyError } });
    expect(clouds.applied).toEqual([]);
    expect(byId(outcome, stack)).toMatchObject({ kind: 'provision-stack', status: 'failed', error: expect.stringContaining('AccessDeniedException') });
    expect(byId(outcome, 'deploy:acme/web')).toMatchObject({ status: 'blocked', reasons: expect.arrayContaining([`blocked by ${stack}`]) });
    expect(waypoint.queued()).toEqual([]);
    expectEachActionOnce(outcome);
  });

  it('a plan that would destroy a protected database applies nothing', async () => {
    const destroyed = { address: 'aws_db_instance.db-main', action: 'delete' as const, destructive: true };
    const { outcome, waypoint, clouds, store } = await run({ [stack]: { changes: [destroyed, created], protectedAddresses: { 'aws_db_instance.db-main': 'main' } } });
    expect(outcome.applied?.results).toEqual([expect.objectContaining({ id: stack, kind: 'refused', status: 'reported' })]);
    expect(outcome.applied?.outcome).toBe('failed');
    expect(clouds.applied).toEqual([]);
    expect(waypoint.calls.map((c) => c.method)).toEqual(['observe']);
    expect((await store.history.lastRuns(1))[0]).toMatchObject({ outcome: 'failed', summary: { refused: [stack] } });
  });
});
