// Readiness says what is wrong and what to do: a revision that would orphan every app,
// a manifest repository that cannot be fetched, a disk too full to record runs. /readyz
// answers 503 with the reason, /api/status and the status page say the same, and each
// comes back once the cause is gone. The daemon runs in-process against real git
// repositories and the Waypoint emulator.

import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { convergedAt, getJson, startTestDaemon, statusWhere, stopAllDaemons, waitFor, waypointToken, type TestDaemon } from './support/daemon-harness.js';
import { app, githubSource, manifestRemote, repoToken, servedManifests, upsOf } from './support/daemon-scenario.js';
import { startGitHttpServer, type GitHttpServer } from './support/git-http-server.js';
import { createManifestRepo, removeTemporaryFolders } from './support/git-repos.js';
import { summarizeJob } from './support/reconcile-harness.js';
import { manifestFiles } from './support/reconcile-manifests.js';

let emulator: Emulator;
const servers: GitHttpServer[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
});

afterEach(async () => {
  await stopAllDaemons();
  for (const server of servers.splice(0)) await server.close();
});

afterAll(async () => {
  await emulator?.stop();
  await removeTemporaryFolders();
});

interface ReadyAnswer {
  ready: boolean;
  reason?: string;
}

const readyz = (d: TestDaemon) => getJson<ReadyAnswer>(`${d.url}/readyz`);

/** The status page's text, entities decoded (the page escapes quotes and brackets). */
async function pageText(d: TestDaemon): Promise<string> {
  const html = await (await fetch(`${d.url}/`)).text();
  return html.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

async function notReady(d: TestDaemon, what: string): Promise<string> {
  const answer = await waitFor(async () => {
    const got = await readyz(d);
    return got.status === 503 ? got : undefined;
  }, what);
  expect(answer.body.ready).toBe(false);
  expect(typeof answer.body.reason).toBe('string');
  return answer.body.reason!;
}

async function readyAgain(d: TestDaemon, what: string): Promise<void> {
  const answer = await waitFor(async () => {
    const got = await readyz(d);
    return got.status === 200 ? got : undefined;
  }, what);
  expect(answer.body).toEqual({ ready: true });
  expect(await pageText(d)).toContain('<p>Ready.');
}

describe('readiness', () => {
  it('is not ready while a revision that deletes every manifest leaves its apps deployed, and is again once they are declared', { timeout: 90_000 }, async () => {
    const web = await githubSource('web');
    const projects = [{ name: 'orph-a', apps: [app('web', web.https), app('api', web.https)] }, { name: 'orph-b', apps: [app('site', web.https)] }];
    const keys = ['orph-a/web', 'orph-a/api', 'orph-b/site'];
    const remote = await manifestRemote(...projects);
    const d = await startTestDaemon({ emulator, repository: { url: remote.url, branch: 'main' }, config: { pollMs: 200 } });
    await statusWhere(d, convergedAt(remote.first, keys), 'the first revision converged');
    expect((await readyz(d)).status).toBe(200);

    const emptied = await remote.commit({ 'orph-a/pilot.yaml': null, 'orph-b/pilot.yaml': null }, 'remove every manifest');
    const status = await statusWhere(d, (s) => s.revision === emptied && !s.running, 'the empty revision run');
    const reason = `revision ${emptied.slice(0, 12)} declares no apps but 3 are deployed; nothing was deleted. ` +
      'Restore the manifests, or to remove the apps commit each project with policy.prune: true and no apps';
    expect(status.ready).toMatchObject({ source: true, waypoint: true, store: true, manifests: false, details: { manifests: reason }, reason });
    expect(await readyz(d)).toMatchObject({ status: 503, body: { ready: false, reason } });
    expect(await pageText(d)).toContain(`<p>Not ready: ${reason}.`);
    // Nothing was destroyed: every app still runs its one deployment.
    const jobs = emulator.queuedJobs.map(summarizeJob).filter((j) => j.project.startsWith('orph-'));
    expect(jobs.filter((j) => j.operation !== 'up')).toEqual([]);
    expect(upsOf(emulator, 'orph-a')).toHaveLength(2);
    expect(upsOf(emulator, 'orph-b')).toHaveLength(1);

    const restored = await remote.push(...projects);
    const after = await statusWhere(d, convergedAt(restored, keys), 'the restored revision converged');
    expect(after.ready).toEqual({ source: true, waypoint: true, store: true, manifests: true, disk: true });
    await readyAgain(d, '/readyz to answer ready once the manifests are back');
  });

  it('follows the way out the reason names: each project committed with prune and no apps removes them, and readiness comes back', { timeout: 90_000 }, async () => {
    const web = await githubSource('web');
    const keys = ['prn-a/web', 'prn-b/web'];
    const remote = await manifestRemote({ name: 'prn-a', apps: [app('web', web.https)] }, { name: 'prn-b', apps: [app('web', web.https)] });
    const d = await startTestDaemon({ emulator, repository: { url: remote.url, branch: 'main' }, config: { pollMs: 200 } });
    await statusWhere(d, convergedAt(remote.first, keys), 'the first revision converged');

    const emptied = await remote.commit({ 'prn-a/pilot.yaml': null, 'prn-b/pilot.yaml': null }, 'remove every manifest');
    await statusWhere(d, (s) => s.revision === emptied && !s.running, 'the empty revision run');
    expect((await readyz(d)).body.reason).toMatch(/declares no apps but 2 are deployed; nothing was deleted/);

    // Only prn-a comes back, to be pruned: prn-b's app, whose file did not change, is still orphaned.
    const one = await remote.push({ name: 'prn-a', prune: true, apps: [] });
    await statusWhere(d, (s) => s.revision === one && !s.running, 'the prune of prn-a');
    expect((await readyz(d)).body.reason).toBe(`revision ${one.slice(0, 12)} declares no apps but 1 is deployed; nothing was deleted. ` +
      'Restore the manifests, or to remove the apps commit each project with policy.prune: true and no apps');

    const both = await remote.push({ name: 'prn-a', prune: true, apps: [] }, { name: 'prn-b', prune: true, apps: [] });
    await statusWhere(d, (s) => s.revision === both && !s.running, 'the prune of prn-b');
    await readyAgain(d, '/readyz to answer ready once nothing is left deployed');
    const removed = emulator.queuedJobs.map(summarizeJob).filter((j) => j.project.startsWith('prn-') && j.operation === 'destroy');
    expect(removed.map((j) => j.project).sort()).toEqual(['prn-a', 'prn-b']);
  });

  it('is not ready while the manifest repository cannot be fetched, says why without credentials or paths, and recovers', { timeout: 90_000 }, async () => {
    const web = await githubSource('web');
    const { remote, server, url } = await servedManifests({ name: 'fetch', apps: [app('web', web.https)] });
    servers.push(server);
    const port = Number(new URL(url).port);
    const d = await startTestDaemon({ emulator, repository: { url, branch: 'main', token: repoToken }, config: { pollMs: 200 } });
    await statusWhere(d, convergedAt(remote.first, ['fetch/web']), 'the first revision converged');
    expect((await readyz(d)).status).toBe(200);

    await servers.splice(servers.indexOf(server), 1)[0]!.close();
    const reason = await notReady(d, '/readyz to report the failed fetch');
    expect(reason).toMatch(new RegExp(`^the manifest repository cannot be fetched \\(cannot [^)]*127\\.0\\.0\\.1:${port}/`));
    expect(reason).toContain(`); revision ${remote.first.slice(0, 12)} stays applied until a fetch works: check that this machine reaches the repository`);
    for (const secret of [repoToken, d.stateDir, path.dirname(remote.bare)]) expect(reason).not.toContain(secret);
    expect(await pageText(d)).toContain(`<p>Not ready: ${reason}.`);
    const status = await d.status();
    expect(status.ready).toMatchObject({ source: false, details: { source: reason }, reason });
    expect(status.revision).toBe(remote.first);

    // The same server back where it was: the next poll fetches, nothing new to run.
    servers.push(await startGitHttpServer({ root: path.dirname(remote.bare), username: 'x-access-token', token: repoToken, port }));
    await readyAgain(d, '/readyz to answer ready after a fetch works again');
    const recovered = await d.status();
    expect(recovered.ready).toEqual({ source: true, waypoint: true, store: true, manifests: true, disk: true });
    expect(recovered.rejected).toBeUndefined();
  });

  it('is not ready while the state directory\'s disk is almost full, naming the folder but not its path', async () => {
    const web = await githubSource('web');
    const manifests = await createManifestRepo(manifestFiles({ name: 'disk', apps: [app('web', web.https)] }));
    let free: number | Error = 10 * 1024 ** 3;
    const diskFree = async () => {
      if (free instanceof Error) throw free;
      return free;
    };
    const d = await startTestDaemon({ emulator, folder: manifests.dir, serve: { diskFree } });
    await statusWhere(d, (s) => s.lastRun?.outcome === 'converged' && !s.running, 'the folder converged');
    expect((await readyz(d)).status).toBe(200);

    free = 5 * 1024 ** 2 + 4096;
    const name = path.basename(d.stateDir);
    const reason = `the disk holding ${name} has 5 MiB free; Pilot needs 64 MiB to record runs: free some space, or move the state directory (stateDir, PILOT_HOME) to a larger disk`;
    expect(await readyz(d)).toMatchObject({ status: 503, body: { ready: false, reason } });
    expect(await pageText(d)).toContain(`<p>Not ready: ${reason}.`);
    expect((await d.status()).ready).toMatchObject({ disk: false, details: { disk: reason }, reason });
    expect(reason).not.toContain(path.dirname(d.stateDir));

    free = Object.assign(new Error(`ENOENT: no such file or directory, statfs '${d.stateDir}'`), { code: 'ENOENT' });
    const unreadable = (await readyz(d)).body.reason;
    expect(unreadable).toBe(`cannot read the free space of the disk holding ${name} (ENOENT): check that the state directory exists and is readable by the user running pilot`);

    free = 64 * 1024 ** 2;
    await readyAgain(d, '/readyz to answer ready with room on the disk');
    expect(upsOf(emulator, 'disk')).toHaveLength(1);
  });
});
