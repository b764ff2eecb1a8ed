// `pilot serve` as a child process: SIGTERM in the middle of a job and a restart, a
// second daemon on the same state directory, no secret in the logs, and --demo.

import { rm, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { cli } from './support/cli.js';
import { getJson, waitFor, waypointToken, webhookSecret } from './support/daemon-harness.js';
import { childStatusWhere, pilotEnv, startServe, type ServeChild } from './support/daemon-process.js';
import { app, manifestRemote, repoToken, servedManifests, upsOf } from './support/daemon-scenario.js';
import { deliver, pushPayload, signed } from './support/daemon-webhooks.js';
import type { GitHttpServer } from './support/git-http-server.js';
import { createSourceRepo, git, removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { killAllChildren, spawnPilot } from './support/reconcile-child.js';
import { duplicateUps } from './support/reconcile-harness.js';

// A job lasts 4½ runner phases: at 300 ms one is still running when SIGTERM comes.
let emulator: Emulator;
const servers: GitHttpServer[] = [];
const folders: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 300, concurrency: 8 });
});

afterEach(async () => {
  await killAllChildren();
  for (const server of servers.splice(0)) await server.close();
});

afterAll(async () => {
  await killAllChildren();
  await emulator?.stop();
  await removeTemporaryFolders();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const converged = (revision: string, keys: string[]) => (s: Awaited<ReturnType<ServeChild['status']>>) =>
  s.revision === revision && !s.running && keys.every((k) => s.apps.some((a) => `${a.project}/${a.app}` === k && a.state === 'converged'));

describe('pilot serve, the process', () => {
  it('exits 0 on SIGTERM during a running job; a restart follows the job and queues none twice', async () => {
    const source = await createSourceRepo('term');
    const remote = await manifestRemote({ name: 'term', apps: [app('api', source.url), app('worker', source.url, { dependsOn: ['api'] })] });
    const env = pilotEnv(emulator.address, waypointToken, await temporaryFolder('pilot-term-home-'));
    const args = ['--repo', remote.url, '--poll', '0', '--drift', '0'];

    const first = await startServe(args, env);
    await first.waitFor(() => upsOf(emulator, 'term').length === 1, 'the first job to be queued');
    const exit = await first.term();
    expect(exit, first.output()).toEqual({ code: 0, signal: null });
    expect(first.output()).toMatch(/"reason":"SIGTERM".*"msg":"pilot daemon stopping"/);
    expect(first.output()).toContain('"msg":"pilot daemon stopped"');
    // The worker waits for the api, whose job was still running.
    expect(upsOf(emulator, 'term').map((j) => j.app)).toEqual(['api']);

    const second = await startServe(args, env);
    await childStatusWhere(second, converged(remote.first, ['term/api', 'term/worker']), 'both apps converged after the restart');
    expect(upsOf(emulator, 'term').map((j) => j.app)).toEqual(['api', 'worker']);
    expect(duplicateUps(upsOf(emulator, 'term'))).toEqual([]);
    expect(await second.term()).toEqual({ code: 0, signal: null });
  });

  it('exits 0 on a SIGTERM sent as soon as it says it is serving', async () => {
    const folder = await temporaryFolder('pilot-early-term-');
    const env = pilotEnv(emulator.address, waypointToken, await temporaryFolder('pilot-early-term-home-'));
    // A few times: the window between the banner and the handler is short.
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawnPilot(['serve', '--port', '0', '--watch', folder], env);
      // Killed from the data event itself, as a supervisor reacting to the banner would.
      child.process.stderr!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('pilot is serving')) child.process.kill('SIGTERM');
      });
      expect(await child.exited, `attempt ${attempt}:\n${child.output()}`).toEqual({ code: 0, signal: null });
    }
  });

  it('refuses to start a second daemon on the same state directory, naming the one that holds it', async () => {
    const source = await createSourceRepo('lock');
    const remote = await manifestRemote({ name: 'lock', apps: [app('api', source.url)] });
    const home = await temporaryFolder('pilot-lock-home-');
    const env = pilotEnv(emulator.address, waypointToken, home);
    const first = await startServe(['--repo', remote.url, '--poll', '0'], env);

    const second = spawnPilot(['serve', '--port', '0', '--repo', remote.url], env);
    const exit = await second.exited;
    expect(exit, second.output()).toEqual({ code: 1, signal: null });
    expect(second.output()).toContain(`${home} is in use by pilot serve (pid ${first.process.pid}); stop it first, or give this one its own --state-dir`);
    expect(second.output()).not.toContain('pilot is serving');

    expect((await getJson(`${first.url}/healthz`)).status).toBe(200);
    expect(await first.term()).toEqual({ code: 0, signal: null });
    // The lock went with the daemon that held it: a new one starts.
    const third = await startServe(['--repo', remote.url, '--poll', '0'], env);
    expect(await third.term()).toEqual({ code: 0, signal: null });
  });

  it('writes no secret to its log: Waypoint token, webhook secret, repository token, an app secret', { timeout: 90_000 }, async () => {
    const dbPassword = 'pg-pass-Vx9q2LmZr7Tt4Ww1';
    const source = await createSourceRepo('secrets');
    const appEnv = { DB_PASSWORD: { secret: true }, MODE: 'live', DATABASE_URL: { fromDatabase: 'main', property: 'url' } };
    const project = (memory: number) => ({ name: 'secrets', apps: [app('web', source.url, { memory, env: appEnv })], databases: [{ name: 'main' }] });
    const { remote, server, url } = await servedManifests(project(512));
    servers.push(server);
    const home = await temporaryFolder('pilot-secrets-home-');
    // The database comes from its stack (terraform_data in place of AWS), its URL from the stack's outputs.
    const env = pilotEnv(emulator.address, waypointToken, home, { PILOT_REPO_TOKEN: repoToken, PILOT_WEBHOOK_SECRET: webhookSecret, PILOT_CLOUDS: 'stand-in' });

    const child = await startServe(['--repo', url, '--poll', '0', '--log-level', 'debug'], env);
    await childStatusWhere(child, (s) => s.apps.some((a) => a.app === 'web' && a.state === 'blocked'), 'the app held back for its secret');
    const stored = await cli(['secret', 'set', 'secrets/web', 'DB_PASSWORD', '--repo', url], { env, stdin: `${dbPassword}\n` });
    expect(stored, stored.stderr).toMatchObject({ code: 0, stdout: 'stored DB_PASSWORD for secrets/web\n' });
    expect((await cli(['sync', '--url', child.url])).code).toBe(0);
    await childStatusWhere(child, converged(remote.first, ['secrets/web']), 'the first revision converged');
    const next = await remote.push(project(1024));
    const push = await signed('push', pushPayload(url, 'acme/manifests', 'main', next), { secret: webhookSecret });
    expect((await deliver(child.url, push)).status).toBe(202);
    expect((await deliver(child.url, await signed('push', push.body, { secret: `${webhookSecret}-wrong` }))).status).toBe(401);
    await childStatusWhere(child, converged(next, ['secrets/web']), 'the pushed revision converged');
    expect(await child.term()).toEqual({ code: 0, signal: null });

    const log = child.output();
    expect(log).toContain('"msg":"github webhook delivery refused"');
    expect(log).toContain('"msg":"reconcile finished"');
    expect(log).toContain('"msg":"stack applied"');
    const client = await WaypointClient.connect({ address: emulator.address, tls: 'off', token: waypointToken });
    const configured = (await client.getAppConfig('secrets', 'web')).DATABASE_URL;
    client.close();
    const databaseUrl = configured?.kind === 'static' ? configured.value : '';
    const databasePassword = /:\/\/pilot:([^@]+)@/.exec(databaseUrl)?.[1];
    expect(databasePassword, databaseUrl).toMatch(/^[0-9a-f]{32}$/);
    const basicAuth = Buffer.from(`x-access-token:${repoToken}`).toString('base64');
    for (const secret of [waypointToken, webhookSecret, repoToken, dbPassword, basicAuth, databaseUrl, databasePassword!]) expect(log).not.toContain(secret);
  });

  it('--demo: starts, is ready, and converges a commit pushed to its demo repository', { timeout: 90_000 }, async () => {
    const child = await startServe(['--demo'], {});
    const work = /checked out at\n {2}(\S+)\n/.exec(await waitFor(() => (/checked out at\n {2}\S+\n/.test(child.output()) ? child.output() : undefined), 'the demo instructions'))![1]!;
    folders.push(path.dirname(work));
    const ready = await waitFor(async () => {
      const answer = await getJson(`${child.url}/readyz`);
      return answer.status === 200 ? answer.body : undefined;
    }, '/readyz to answer ready', 30_000);
    expect(ready).toEqual({ ready: true });
    const keys = ['demo/api', 'demo/worker', 'demo-gcp/site-api'];
    await childStatusWhere(child, (s) => s.revision !== undefined && converged(s.revision, keys)(s), 'the demo converged', 30_000);

    const manifest = path.join(work, 'pilot.yaml');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('memory: 512 ', 'memory: 1024 '));
    await git(work, ['commit', '--quiet', '-am', 'more memory']);
    await git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    const commit = await git(work, ['rev-parse', 'HEAD']);
    const status = await childStatusWhere(child, converged(commit, keys), 'the commit converged', 30_000);
    expect(status.apps.find((a) => a.project === 'demo' && a.app === 'api')?.detail).toBe('memory 512 -> 1024');
    expect(status.lastRun).toMatchObject({ revision: commit, outcome: 'converged', jobsQueued: 1 });
    expect(await child.term()).toEqual({ code: 0, signal: null });
  });
});
