// `pilot secret set` refuses an app the manifests do not declare (a typo would store a
// value no deploy reads), unless --force; both secret commands speak JSON.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { createSourceRepo, removeTemporaryFolders } from './support/git-repos.js';
import { scenarioOf, startRig, token, type Rig } from './support/reconcile-harness.js';

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

async function shop() {
  const repo = await createSourceRepo('sec-api');
  return scenarioOf(rig, [
    { name: 'sec-shop', apps: [{ name: 'api', repo: repo.url, platform: 'ecs' }, { name: 'web', repo: repo.url, platform: 'lambda' }] },
    { name: 'sec-tools', apps: [{ name: 'admin', repo: repo.url, platform: 'ecs' }] },
  ]);
}

const value = 'sk_live_secret_value_4242';

describe('pilot secret set', () => {
  it('refuses a project the manifests do not declare, names the nearest, and stores nothing', async () => {
    const s = await shop();
    // Run from the manifest repository, as the plan's advice says to.
    const result = await rig.run(['secret', 'set', 'sec-shopp/api', 'STRIPE_KEY'], s.home, { cwd: s.manifests.dir, stdin: value });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no project "sec-shopp" in the manifests (projects: sec-shop, sec-tools): did you mean "sec-shop/api"?');
    expect(result.stderr).toContain('Nothing was stored');
    expect(result.stderr).toContain('--force');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(value);
    expect(await client.getAppConfig('sec-shopp', 'api')).toEqual({});
  });

  it('refuses an app its project does not declare, naming the nearest, and stores nothing', async () => {
    const s = await shop();
    const result = await rig.run(['secret', 'set', 'sec-shop/apii', 'STRIPE_KEY', s.manifests.dir], s.home, { stdin: value });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('project sec-shop has no app "apii" (apps: api, web): did you mean "api"?');
    expect(await client.getAppConfig('sec-shop', 'apii')).toEqual({});
  });

  it('refuses when there are no manifests to check against, and says how to point at them', async () => {
    const s = await shop();
    const empty = await rig.home();
    const result = await rig.run(['secret', 'set', 'sec-shop/api', 'STRIPE_KEY', empty], s.home, { stdin: value });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no manifests at ${empty}`);
    expect(result.stderr).toContain('give DIR or --repo URL');
    expect(await client.getAppConfig('sec-shop', 'api')).toEqual({});
  });

  it('stores it with --force, for a manifest that has not landed yet', async () => {
    const s = await shop();
    const result = await rig.run(['secret', 'set', 'sec-later/api', 'STRIPE_KEY', s.manifests.dir, '--force'], s.home, { stdin: value });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('stored STRIPE_KEY for sec-later/api\n');
    expect(await client.getAppConfig('sec-later', 'api')).toEqual({ STRIPE_KEY: { kind: 'static', value } });
  });

  it('stores a declared app’s secret, and both commands print one JSON document without the value', async () => {
    const s = await shop();
    const set = await rig.run(['secret', 'set', 'sec-tools/admin', 'ADMIN_TOKEN', s.manifests.dir, '--format', 'json'], s.home, { stdin: `${value}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ project: 'sec-tools', app: 'admin', name: 'ADMIN_TOKEN' });
    expect(await client.getAppConfig('sec-tools', 'admin')).toEqual({ ADMIN_TOKEN: { kind: 'static', value } });

    const list = await rig.run(['secret', 'list', 'sec-tools/admin', '--format', 'json'], s.home);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ project: 'sec-tools', app: 'admin', config: [{ name: 'ADMIN_TOKEN', kind: 'static' }] });
    const text = await rig.run(['secret', 'list', 'sec-tools/admin'], s.home);
    expect(text.stdout).toBe('ADMIN_TOKEN\n');
    for (const printed of [set, list, text]) expect(printed.stdout + printed.stderr).not.toContain(value);
  });
});
