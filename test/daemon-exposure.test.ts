// The API token as a setting (http.apiToken or PILOT_API_TOKEN), the warning a daemon
// listening beyond loopback without one logs, and local paths kept out of /api/status
// (but not out of the log) on a daemon started as `pilot serve` starts it.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../src/app/settings-file.js';
import { resolveSettings } from '../src/app/settings.js';
import { exposedWithoutToken, httpAccess } from '../src/daemon/http-access.js';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { getJson, startTestDaemon, stopAllDaemons, waitFor, waypointToken } from './support/daemon-harness.js';
import { git, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20 });
});
afterEach(stopAllDaemons);
afterAll(async () => {
  await emulator?.stop();
  await removeTemporaryFolders();
});

/** An empty bare repository: the daemon fails to read it, which is all these tests need. */
async function bareRepo(): Promise<string> {
  const dir = await temporaryFolder('pilot-exposure-repo-');
  await git(dir, ['init', '-q', '--bare']);
  return `file://${dir}`;
}

describe('the API token setting', () => {
  it('reads http.apiToken as a secret reference, PILOT_API_TOKEN first; commands leave it alone', async () => {
    const file = path.join(await temporaryFolder('pilot-config-'), 'pilot.config.yaml');
    await writeFile(file, 'http:\n  host: 0.0.0.0\n  apiToken: { env: OPS_TOKEN }\n');
    const raw = readConfigFile(file);
    expect(resolveSettings(raw, { OPS_TOKEN: 'from-file-ref' }).http.apiToken).toBe('from-file-ref');
    expect(resolveSettings(raw, { OPS_TOKEN: 'from-file-ref', PILOT_API_TOKEN: 'from-env' }).http.apiToken).toBe('from-env');
    expect(() => resolveSettings(raw, {})).toThrow(/http\.apiToken: the variable OPS_TOKEN is not set/);
    expect(resolveSettings(raw, {}, {}, 'command').http.apiToken).toBeUndefined();
    expect(resolveSettings({}, {}).http.apiToken).toBeUndefined();
  });

  it('is never written in the file itself', async () => {
    const file = path.join(await temporaryFolder('pilot-config-'), 'pilot.config.yaml');
    await writeFile(file, 'http:\n  apiToken: plain-text-token\n');
    expect(() => readConfigFile(file)).toThrow(/http\.apiToken/);
  });

  it.each([
    ['0.0.0.0', undefined, true], ['::', undefined, true], ['192.0.2.2', undefined, true], ['pilot.internal', undefined, true],
    ['0.0.0.0', 'tok', false], ['127.0.0.1', undefined, false], ['127.1.2.3', undefined, false], ['::1', undefined, false], ['localhost', undefined, false],
  ])('listening on %s with token %s: warn %s', (host, apiToken, warn) => {
    expect(exposedWithoutToken({ host, port: 7900, ...(apiToken ? { apiToken } : {}) })).toBe(warn);
  });

  it('allows the listen address, loopback names and the public URL as Host', () => {
    const { allowedHosts } = httpAccess({ host: '10.0.0.5', port: 7900, publicUrl: 'https://Pilot.Example.com:8443' });
    expect([...allowedHosts].sort()).toEqual(['10.0.0.5', '127.0.0.1', '::1', 'localhost', 'pilot.example.com']);
    expect(httpAccess({ host: '0.0.0.0', port: 7900 }).allowedHosts).toContain('127.0.0.1');
  });
});

describe('a daemon started as pilot serve starts it', () => {
  const warning = (lines: Record<string, unknown>[]) => lines.filter((l) => l.level === 40 && String(l.msg).includes('without an API token'));

  it('warns when it listens beyond loopback without a token, and not with one', async () => {
    const url = await bareRepo();
    const open = await startTestDaemon({ emulator, repository: { url, branch: 'main' }, config: { http: { host: '0.0.0.0', port: 0 } } });
    expect(warning(open.logs.lines())).toEqual([expect.objectContaining({ host: '0.0.0.0' })]);
    const guarded = await startTestDaemon({ emulator, repository: { url, branch: 'main' }, config: { http: { host: '0.0.0.0', port: 0, apiToken: 'tok' } } });
    expect(warning(guarded.logs.lines())).toEqual([]);
  });

  it('shows <state> in place of the state directory in /api/status, and logs the path itself', async () => {
    const url = await bareRepo();
    const stateDir = await temporaryFolder('pilot-paths-state-');
    await writeFile(path.join(stateDir, 'manifests'), 'a file where the cache folder goes');
    const d = await startTestDaemon({ emulator, stateDir, repository: { url, branch: 'main' } });
    const status = await waitFor(async () => {
      const body = (await getJson<{ lastErrors: string[] }>(`${d.url}/api/status`)).body;
      return body.lastErrors.length > 0 ? body : undefined;
    }, 'the fetch error');
    expect(status.lastErrors[0]).toMatch(/cannot prepare the manifest cache in <state>\/manifests/);
    expect(JSON.stringify(status)).not.toContain(stateDir);
    expect(d.logs.text()).toContain(path.join(stateDir, 'manifests'));
  });
});
