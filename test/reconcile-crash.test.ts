// A reconcile killed with SIGKILL at several points resumes without queueing any job
// twice: 20 apps, `pilot apply --once` as a child process, the emulator over gRPC.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManifestRepo, createSourceRepo, removeTemporaryFolders, type SourceRepo } from './support/git-repos.js';
import { killAllChildren, spawnPilot, type PilotChild } from './support/reconcile-child.js';
import { duplicateUps, finalJson, onQueueJob, startRig, watchFinishedUps, type ApplyJson, type Rig } from './support/reconcile-harness.js';
import { manifestFiles, type AppOptions, type Platform } from './support/reconcile-manifests.js';

// A job is 4½ runner phases: at 400 ms it outlasts the start of a new `pilot` process
// (about a second), so a run killed mid-way leaves jobs in flight for the next one.
const stepMs = 400;
let rig: Rig;
let stopWatching = () => {};

beforeAll(async () => {
  rig = await startRig({ stepMs, concurrency: 20 });
});

afterAll(async () => {
  stopWatching();
  await killAllChildren();
  await rig?.stop();
  await removeTemporaryFolders();
});

/** Ten apps per project: mostly on the project's cloud, three on the other one. */
function apps(prefix: string, home: 'aws' | 'gcp', repos: SourceRepo[]): AppOptions[] {
  return Array.from({ length: 10 }, (_, i) => {
    const onHome = i < 7;
    const platform: Platform = (onHome ? home : home === 'aws' ? 'gcp' : 'aws') === 'gcp' ? 'cloud-run' : i % 2 ? 'lambda' : 'ecs';
    return {
      name: `${prefix}${String(i).padStart(2, '0')}`,
      repo: repos[i % repos.length]!.url,
      platform,
      provider: platform === 'cloud-run' ? 'gcp' : 'aws',
      ...(i === 9 ? { dependsOn: [`${prefix}00`] } : {}),
    };
  });
}

describe('pilot apply --once killed with SIGKILL and run again', () => {
  it('converges with no (app, config, commit) queued twice', { timeout: 240_000 }, async () => {
    const repos = await Promise.all(['one', 'two', 'three', 'four', 'five'].map((n) => createSourceRepo(n)));
    const manifests = await createManifestRepo(
      manifestFiles({ name: 'crash-a', provider: 'aws', apps: apps('a', 'aws', repos) }, { name: 'crash-b', provider: 'gcp', apps: apps('b', 'gcp', repos) }),
    );
    const home = await rig.home();
    const env = rig.env(home);
    const apply = (...extra: string[]) => spawnPilot(['apply', manifests.dir, '--once', '--concurrency', '4', ...extra], env);
    // Apps whose `up` job succeeded, as Waypoint says: runs that were killed never report
    // the jobs that finished after them, so the progress of the whole is read there.
    const finished = new Set<string>();
    stopWatching = await watchFinishedUps(rig.emulator, ['crash-a', 'crash-b'], finished, 20);
    const outputs: string[] = [];
    const kill = async (child: PilotChild) => {
      const exit = await child.kill9();
      outputs.push(child.output());
      expect(exit, child.output()).toEqual({ code: null, signal: 'SIGKILL' });
    };
    const jobLine = /: job \S+ (queued|waiting|running)$/m;

    // (a) as soon as the first job is queued.
    const first = apply();
    await first.waitFor((out) => jobLine.test(out), 'the first queued job');
    await kill(first);
    expect(rig.jobs().length).toBeGreaterThan(0);

    // (b) once about half of the apps are deployed.
    const second = apply();
    await second.waitFor(() => finished.size >= 10, 'half of the apps deployed');
    await kill(second);
    expect(finished.size).toBeLessThan(20);

    // (c) while the last jobs run.
    const third = apply();
    await third.waitFor((out) => jobLine.test(out) && finished.size >= 16, 'the last jobs');
    await kill(third);
    stopWatching();

    // To the end.
    const fourth = apply();
    const end = await fourth.exited;
    outputs.push(fourth.output());
    expect(end, fourth.output()).toEqual({ code: 0, signal: null });

    const again = apply('--format', 'json');
    expect(await again.exited, again.output()).toEqual({ code: 0, signal: null });
    expect(finalJson<ApplyJson>(again.output())).toMatchObject({ outcome: 'no-changes', jobsQueued: 0, actions: [] });

    const jobs = [...rig.jobs('crash-a'), ...rig.jobs('crash-b')];
    const ups = jobs.filter((j) => j.operation === 'up');
    expect(duplicateUps(jobs)).toEqual([]);
    const firstCommit = new Map(repos.map((r) => [r.url, r.first]));
    const wanted = new Map<string, string | undefined>([
      ...apps('a', 'aws', repos).map((a) => [`crash-a/${a.name}`, firstCommit.get(a.repo)] as const),
      ...apps('b', 'gcp', repos).map((a) => [`crash-b/${a.name}`, firstCommit.get(a.repo)] as const),
    ]);
    expect(ups.map((j) => `${j.project}/${j.app}`).sort()).toEqual([...wanted.keys()].sort());
    for (const job of ups) expect([job.app, job.commit, job.ref]).toEqual([job.app, wanted.get(`${job.project}/${job.app}`), wanted.get(`${job.project}/${job.app}`)]);
    // No action of any run failed (killed runs print no summary, only "<action>: failed").
    expect(outputs.join('\n').match(/^.*: failed$/gm) ?? []).toEqual([]);
  });

  it('follows, and records, a job queued by a run killed before it could record the job', { timeout: 120_000 }, async () => {
    const repo = await createSourceRepo('window');
    const manifests = await createManifestRepo(manifestFiles({ name: 'crash-c', apps: [{ name: 'c00', repo: repo.url, platform: 'ecs' }] }));
    const env = rig.env(await rig.home());
    const apply = (...extra: string[]) => spawnPilot(['apply', manifests.dir, '--once', ...extra], env);

    // Killed while Waypoint handles its QueueJob: the job exists, the run never hears of it.
    // The runner is slowed until the next run has seen the job in flight.
    let victim: PilotChild | undefined;
    const unhook = onQueueJob(rig.emulator, (job) => {
      if (job.project !== 'crash-c' || !victim) return;
      victim.process.kill('SIGKILL');
      rig.emulator.faults.stepMs = 3_000;
    });
    try {
      victim = apply();
      expect(await victim.exited, victim.output()).toEqual({ code: null, signal: 'SIGKILL' });
    } finally {
      unhook();
    }
    expect(rig.jobs('crash-c')).toHaveLength(1);

    const resumed = apply();
    await resumed.waitFor((out) => /attach crash-c\/c00: job \S+ is still running/.test(out), 'the resumed run to attach').finally(() => {
      rig.emulator.faults.stepMs = stepMs;
    });
    const exit = await resumed.exited;
    expect(resumed.output()).not.toContain('recordJob must come first');
    expect(exit, resumed.output()).toEqual({ code: 0, signal: null });
    expect(resumed.output()).toMatch(/attach crash-c\/c00: done/);

    const again = apply('--format', 'json');
    expect(await again.exited, again.output()).toEqual({ code: 0, signal: null });
    expect(finalJson<ApplyJson>(again.output())).toMatchObject({ outcome: 'no-changes', jobsQueued: 0 });
    expect(rig.jobs('crash-c').filter((j) => j.operation === 'up')).toHaveLength(1);
  });
});
