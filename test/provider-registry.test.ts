// A cloud is its facts plus its stacks, registered in one line: a fake third provider
// (test/fakes/provider-fake/) is validated, planned, applied and rendered without any
// change to src/. Every step reads the registry it is handed; one that branched on
// aws/gcp again would refuse or misplace the fake cloud and fail here.

import { afterAll, describe, expect, it } from 'vitest';
import { openClouds } from '../src/drivers/clouds.js';
import { builtInProviders, cloudDriver, providerRegistry } from '../src/drivers/registry.js';
import { wiringOf } from '../src/drivers/outputs.js';
import type { InventoryItem } from '../src/reconciler/actual-state.js';
import type { Inventory } from '../src/reconciler/store-port.js';
import { loadDesiredState } from '../src/sources/manifests/load.js';
import { formatProblem } from '../src/sources/manifests/problem.js';
import { renderWaypointHcl } from '../src/waypoint/render/app.js';
import { fakeFacts } from './fakes/provider-fake/facts.js';
import { recordingLogger, removeTempDirs, tempDir } from './support/terraform-fixtures.js';

const providers = providerRegistry([...builtInProviders.all, fakeFacts]);

afterAll(removeTempDirs);

function manifest(overrides: { region?: string; storageGB?: number; platform?: string } = {}): string {
  return `apiVersion: pilot.dev/v1
kind: Project
name: shop
defaults:
  provider: fake
  region: ${overrides.region ?? 'fake-north-a1'}
apps:
  - name: site
    source: { repo: https://github.com/acme/site.git }
    build: { builder: ${overrides.platform === 'ecs' ? 'pack' : 'yarn'} }
    deploy: { platform: ${overrides.platform ?? 'static'} }
databases:
  - name: main
    storageGB: ${overrides.storageGB ?? 30}
`;
}

const load = (text: string, registry = providers) => loadDesiredState([{ path: 'pilot.yaml', content: text }], [], registry);
const messages = (text: string, registry = providers) => load(text, registry).problems.map(formatProblem);

/** The inventory port in memory: what an applied stack says it now holds. */
function memoryInventory(): Inventory & { items: InventoryItem[] } {
  const items: InventoryItem[] = [];
  return {
    items,
    inventory: async () => [...items],
    addToInventory: async (item) => void items.push(item),
    removeFromInventory: async (kind, project, name) => {
      const at = items.findIndex((i) => i.kind === kind && i.project === project && i.name === name);
      if (at >= 0) items.splice(at, 1);
    },
  };
}

describe('a provider registered in one line', () => {
  it('validates a manifest that places an app and a database on it', () => {
    const result = load(manifest());
    expect(result.problems.map(formatProblem)).toEqual([]);
    const [project] = result.state!.projects;
    expect(project!.apps[0]).toMatchObject({ provider: 'fake', region: 'fake-north-a1', deploy: { platform: 'static' } });
    expect(project!.databases[0]).toMatchObject({ provider: 'fake', region: 'fake-north-a1', storageGB: 30 });
    expect(project!.apps[0]).not.toHaveProperty('gcpProject');
  });

  it('is refused, naming where and the known providers, by a registry without it', () => {
    expect(messages(manifest(), builtInProviders)).toEqual([
      'pilot.yaml:5:13: defaults.provider: "fake" is not allowed: use one of aws | gcp',
    ]);
  });

  it('refuses what its facts refuse: a region of another shape, storage below its minimum, a platform it does not host', () => {
    expect(messages(manifest({ region: 'us-east-1' }))).toEqual([
      'pilot.yaml:6:11: defaults.region: us-east-1 is not a Fake Cloud zone (us-east-1 looks like an AWS region): use one such as fake-north-a1 (this app runs on fake)',
    ]);
    expect(messages(manifest({ storageGB: 20 }))).toEqual([
      'pilot.yaml:14:16: databases[0].storageGB: 20 is below the minimum of 30 for FakeSQL (fake): use 30 or more',
    ]);
    expect(messages(manifest({ platform: 'ecs' }))).toEqual([
      "pilot.yaml:11:25: apps[0].deploy.platform: ecs (ECS Fargate) runs on aws, but this app's provider is fake: set provider: aws, or use platform: static",
    ]);
  });

  it('plans and applies its stack through the stack planner, and its outputs wire the app', async () => {
    const state = load(manifest()).state!;
    expect((await cloudDriver('fake', providers)).provider).toBe('fake');

    const clouds = openClouds({ mode: 'terraform', terraform: { dir: await tempDir(), backend: { kind: 'local' } }, drivers: {} }, {}, providers);
    const inventory = memoryInventory();
    const run = clouds.run(inventory, recordingLogger());
    expect(run.providers).toEqual(['aws', 'gcp', 'fake']);
    const [stack, ...others] = await run.plan(state, []);
    expect(others).toEqual([]);
    expect(stack).toMatchObject({ id: 'stack:shop/fake/fake-north-a1', provider: 'fake', region: 'fake-north-a1' });
    expect(stack!.error).toBeUndefined();
    expect(stack!.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual(['create terraform_data.bucket-site', 'create terraform_data.db-main']);

    await run.port.apply(stack!.id);
    expect(inventory.items.map((i) => `${i.kind} ${i.project}/${i.name} ${i.provider}`).sort()).toEqual(['app shop/site fake', 'database shop/main fake']);
    const wiring = wiringOf(run.outputs('shop', 'fake', 'fake-north-a1'), 'site');
    expect(wiring).toEqual({ bucket: 'fake-shop-site', distributionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const text = renderWaypointHcl(state.projects[0]!.apps[0]!, { wiring, providers });
    expect(text).toContain(
      `command = ["pilot-sync", "--provider", "fake", "--zone", "fake-north-a1", "--bucket", "fake-shop-site", "--edge", "${wiring.distributionId}", "--image", "{{.Input.DockerImageFull}}"]`,
    );
  }, 120_000);

  it('renders the app without wiring from the facts alone, and the built-in registry does not know it', () => {
    const app = load(manifest()).state!.projects[0]!.apps[0]!;
    expect(renderWaypointHcl(app, { providers })).toContain('"--provider", "fake", "--zone", "fake-north-a1", "--bucket", "pilot-shop-site", "--image"');
    expect(() => renderWaypointHcl(app)).toThrow(/no provider "fake" is registered \(known: aws, gcp\)/);
  });

  it('lists the built-in providers in the schema file that editors read', async () => {
    const { readFile } = await import('node:fs/promises');
    const { schemaUrl } = await import('../src/sources/manifests/schema.js');
    const schema = JSON.parse(await readFile(schemaUrl, 'utf8')) as { $defs: { provider: { enum: string[] } } };
    expect(schema.$defs.provider.enum).toEqual([...builtInProviders.names]);
  });
});
