// The daemon makes its own Waypoint token (waypoint.token: { file, bootstrap: true }):
// on a fresh server the first start asks BootstrapToken and writes the file 0600;
// later starts read it; a server bootstrapped by someone else stops the daemon with
// what to do; a second daemon racing it never replaces the file; other commands say
// the daemon has not made it yet. The token is in no log line and no error. Real
// daemons (startServe) against the Waypoint emulator.

import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveSettings, type Settings } from '../src/app/settings.js';
import { generateToken, startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { cli } from './support/cli.js';
import { startTestDaemon, stopAllDaemons, waitFor, type TestDaemon } from './support/daemon-harness.js';
import { app, upsOf } from './support/daemon-scenario.js';
import { callsDuring } from './support/emulator-calls.js';
import { createManifestRepo, createSourceRepo, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { manifestFiles } from './support/reconcile-manifests.js';

const emulators: Emulator[] = [];

/** A Waypoint server: fresh (no token yet) unless given one, as if bootstrapped by someone else. */
async function waypoint(token?: string): Promise<Emulator> {
  const emulator = await startEmulator({ port: 0, token, stepMs: 20, concurrency: 8 });
  emulators.push(emulator);
  return emulator;
}

afterEach(async () => {
  await stopAllDaemons();
  for (const emulator of emulators.splice(0)) await emulator.stop();
});

afterAll(removeTemporaryFolders);

/** The waypoint section as `pilot serve` resolves it from pilot.config.yaml. */
function waypointSettings(emulator: Emulator, file: string): NonNullable<Settings['waypoint']> {
  return resolveSettings({ waypoint: { address: emulator.address, tls: 'off', token: { file, bootstrap: true } } }, {}, {}, 'daemon').waypoint!;
}

/** A manifest folder with one app, so the daemon's first run queues one job with its token. */
async function manifests(project: string): Promise<string> {
  const source = await createSourceRepo(project);
  return (await createManifestRepo(manifestFiles({ name: project, apps: [app('web', source.url)] }))).dir;
}

function daemon(emulator: Emulator, folder: string, waypointSection: Settings['waypoint']): Promise<TestDaemon> {
  return startTestDaemon({ emulator, folder, config: { waypoint: waypointSection } });
}

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('the daemon makes its Waypoint token', () => {
  it('writes it 0600 on the first start, uses it, and reads it on the next start without asking again', async () => {
    const emulator = await waypoint();
    const folder = await temporaryFolder('pilot-token-');
    const file = path.join(folder, 'waypoint-token');
    const project = await manifests('boot');
    const section = waypointSettings(emulator, file);
    expect(section).toEqual({ address: emulator.address, tls: 'off', bootstrapTokenFile: file });

    let first: TestDaemon | undefined;
    const made = await callsDuring(emulator, async () => (first = await daemon(emulator, project, section)));
    expect(made.byMethod.BootstrapToken).toBe(1);
    expect(emulator.token).toBeDefined();
    const token = emulator.token!;
    expect(await modeOf(file)).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(token);
    // Only the token file is left in its folder: no temporary file.
    expect(await readdir(folder)).toEqual(['waypoint-token']);
    // The daemon's own calls carry it: its first run queues the app's job.
    await waitFor(() => upsOf(emulator, 'boot').length === 1, 'the first job queued with the made token');
    // The server accepts the file's token, and not another one.
    const client = await WaypointClient.connect({ address: emulator.address, tls: 'off', token: (await readFile(file, 'utf8')).trim() });
    await expect(client.listProjects()).resolves.toContain('boot');
    client.close();
    const stranger = await WaypointClient.connect({ address: emulator.address, tls: 'off', token: generateToken() });
    await expect(stranger.listProjects()).rejects.toThrow(/did not accept the token/);
    stranger.close();
    expect(first!.logs.lines()).toContainEqual(expect.objectContaining({ msg: 'waypoint token made with BootstrapToken', file }));
    const { ino } = await stat(file);
    await first!.stop();

    // The next start reads the file as any secret file: no BootstrapToken, same file.
    const again = waypointSettings(emulator, file);
    expect(again).toEqual({ address: emulator.address, tls: 'off', token });
    let second: TestDaemon | undefined;
    const reused = await callsDuring(emulator, async () => {
      second = await daemon(emulator, project, again);
      await waitFor(async () => (await second!.status()).ready.waypoint, 'the second daemon to reach Waypoint');
    });
    expect(reused.byMethod.BootstrapToken).toBeUndefined();
    expect(reused.total).toBeGreaterThan(0);
    expect((await stat(file)).ino).toBe(ino);
    expect((await readFile(file, 'utf8')).trim()).toBe(token);

    for (const logs of [first!.logs.text(), second!.logs.text()]) {
      expect(logs.length).toBeGreaterThan(0);
      expect(logs).not.toContain(token);
    }
  });

  it('stops with what to do when the server is already bootstrapped, and writes nothing', async () => {
    const existing = generateToken();
    const emulator = await waypoint(existing);
    const folder = await temporaryFolder('pilot-token-taken-');
    const file = path.join(folder, 'waypoint-token');
    const project = await manifests('taken');

    const error = await daemon(emulator, project, waypointSettings(emulator, file)).then(() => undefined, (e: Error) => e);
    expect(error?.name).toBe('ConfigError');
    expect(error?.message).toBe(
      `waypoint.token: ${file} does not exist, and Waypoint at ${emulator.address} is already bootstrapped (it hands out its first token only once). ` +
        `Make a token where the waypoint CLI is logged in to this server ('waypoint user token', formerly 'waypoint token new'), ` +
        `write it to ${file} readable by the daemon's user only (chmod 600 ${file}), then start the daemon again`,
    );
    expect(error?.message).not.toContain(existing);
    expect(emulator.calls.get('BootstrapToken')).toBe(1);
    expect(await readdir(folder)).toEqual([]);

    // The same through `pilot serve`: one line on stderr, exit 1, no stack trace.
    const config = path.join(await temporaryFolder('pilot-token-config-'), 'pilot.config.yaml');
    await writeFile(config, `waypoint:\n  address: ${emulator.address}\n  tls: off\n  token: { file: ${file}, bootstrap: true }\n`);
    const serve = await cli(['serve', '--config', config, '--watch', project, '--port', '0', '--log-level', 'silent'], { env: {} });
    expect(serve).toEqual({ code: 1, stdout: '', stderr: `pilot serve: ${error!.message}\n` });
    expect(await readdir(folder)).toEqual([]);
  });

  it('finds a folder it cannot write before it spends the server\'s one bootstrap', async () => {
    const emulator = await waypoint();
    const folder = await temporaryFolder('pilot-token-blocked-');
    // A file where the token's folder should be: nothing can be created under it.
    await writeFile(path.join(folder, 'state'), 'not a folder\n');
    const blocked = path.join(folder, 'state', 'waypoint-token');
    const project = await manifests('blocked');

    const error = await daemon(emulator, project, waypointSettings(emulator, blocked)).then(() => undefined, (e: Error) => e);
    // mkdir -p reports the file in the way as EEXIST.
    expect(error?.message).toBe(`waypoint.token: cannot write ${blocked} (EEXIST): the daemon's user must be able to create files in ${path.dirname(blocked)}`);
    expect(emulator.calls.get('BootstrapToken')).toBeUndefined();
    expect(emulator.token).toBeUndefined();

    // The server is still fresh: with a folder it can write, the daemon makes its token.
    const file = path.join(folder, 'waypoint-token');
    await daemon(emulator, project, waypointSettings(emulator, file));
    expect((await readFile(file, 'utf8')).trim()).toBe(emulator.token);
  });

  it('other commands say the daemon has not made the file yet, and read it once made', async () => {
    const emulator = await waypoint();
    const folder = await temporaryFolder('pilot-token-command-');
    const file = path.join(folder, 'waypoint-token');
    const dir = await temporaryFolder('pilot-token-config-');
    const config = path.join(dir, 'pilot.config.yaml');
    await writeFile(config, `stateDir: ${path.join(dir, 'state')}\nwaypoint:\n  address: ${emulator.address}\n  tls: off\n  token: { file: ${file}, bootstrap: true }\n`);

    const before = await cli(['status', '--config', config], { env: {} });
    expect(before).toEqual({
      code: 1,
      stdout: '',
      stderr: `pilot status: configuration: waypoint.token: ${file} does not exist yet: the daemon makes it with Waypoint's BootstrapToken on its first start; start it (pilot serve), or set PILOT_WAYPOINT_TOKEN\n`,
    });
    // A command never bootstraps.
    expect(emulator.calls.get('BootstrapToken')).toBeUndefined();
    expect(await readdir(folder)).toEqual([]);

    const made = await daemon(emulator, await manifests('cmd'), waypointSettings(emulator, file));
    await waitFor(() => upsOf(emulator, 'cmd').length === 1, 'the daemon\'s first job');
    await made.stop();
    // Once made, a command reads the file and Waypoint takes the token from it.
    const after = await cli(['secret', 'list', 'cmd/web', '--config', config, '--format', 'json'], { env: {} });
    expect(after, after.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(after.stdout).not.toContain(emulator.token!);
    expect(emulator.calls.get('BootstrapToken')).toBe(1);
  });
});

describe('two daemons racing for the token file', () => {
  it('never replaces the file: against two fresh servers, the second to finish stops and leaves the first one\'s token', async () => {
    const [one, two] = [await waypoint(), await waypoint()];
    const folder = await temporaryFolder('pilot-token-race-');
    const file = path.join(folder, 'waypoint-token');
    // Both read the settings before either wrote: both set out to make the file.
    const sections = [waypointSettings(one, file), waypointSettings(two, file)];
    expect(sections.every((s) => s.bootstrapTokenFile === file)).toBe(true);
    const results = await Promise.allSettled([daemon(one, await manifests('race-a'), sections[0]), daemon(two, await manifests('race-b'), sections[1])]);

    const won = results.findIndex((r) => r.status === 'fulfilled');
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toBeGreaterThanOrEqual(0);
    expect((lost?.reason as Error | undefined)?.message).toBe(
      `waypoint.token: ${file} appeared while the daemon was making its token (another pilot serve?); it was left as it is: start the daemon again to use it`,
    );
    const winner = [one, two][won]!;
    expect((await readFile(file, 'utf8')).trim()).toBe(winner.token);
    expect(await modeOf(file)).toBe(0o600);
    expect(await readdir(folder)).toEqual(['waypoint-token']);
    for (const token of [one.token!, two.token!]) {
      expect((lost!.reason as Error).message).not.toContain(token);
      expect((results[won] as PromiseFulfilledResult<TestDaemon>).value.logs.text()).not.toContain(token);
    }
  });

  it('against one server, the daemon that lost BootstrapToken uses the file the other made, or stops with what to do', async () => {
    const emulator = await waypoint();
    const folder = await temporaryFolder('pilot-token-same-');
    const file = path.join(folder, 'waypoint-token');
    const sections = [waypointSettings(emulator, file), waypointSettings(emulator, file)];
    const results = await Promise.allSettled([daemon(emulator, await manifests('same-a'), sections[0]), daemon(emulator, await manifests('same-b'), sections[1])]);

    // The server hands out one token: both asked, one got it, and it is the file's.
    expect(emulator.calls.get('BootstrapToken')).toBe(2);
    const token = emulator.token!;
    expect((await readFile(file, 'utf8')).trim()).toBe(token);
    expect(await modeOf(file)).toBe(0o600);
    expect(await readdir(folder)).toEqual(['waypoint-token']);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect((result.reason as Error).message).toMatch(/is already bootstrapped .*chmod 600/);
        expect((result.reason as Error).message).not.toContain(token);
      } else {
        const logs = result.value.logs;
        expect(logs.lines().map((l) => l.msg)).toContainEqual(expect.stringMatching(/^waypoint token (made with BootstrapToken|read: made meanwhile by another daemon)$/));
        expect(logs.text()).not.toContain(token);
        await waitFor(async () => (await result.value.status()).ready.waypoint, 'each daemon that started to reach Waypoint with the token');
      }
    }
  });
});
