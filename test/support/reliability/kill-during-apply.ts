// Scenario: `pilot apply --once` of many apps, killed with SIGKILL at seeded random
// points and started again each time until it converges. When the kill points outlast
// one apply, every app's source moves on and the next apply is killed in turn. In the
// end every app runs its last commit, and no (app, config, commit) was queued twice.

import { WaypointClient } from '../../../src/waypoint/client/client.js';
import { createManifestRepo, createSourceRepo, type SourceRepo } from '../git-repos.js';
import { killAllChildren, spawnPilot, type PilotChild } from '../reconcile-child.js';
import { duplicateUps, onQueueJob, startRig, token } from '../reconcile-harness.js';
import { manifestFiles, type AppOptions, type Platform, type ProjectOptions } from '../reconcile-manifests.js';
import { seeded, type Random } from './random.js';

export interface KillSize {
  apps: number;
  kills: number;
  seed: number;
  /** Length of one runner phase of the emulator (a job is 4½ phases). */
  stepMs: number;
  /** Jobs the emulator's runner runs at once. */
  runners: number;
  /** pilot apply --concurrency. */
  concurrency: number;
}

export const killSizes = {
  small: { apps: 12, kills: 3, seed: 20_251_201, stepMs: 100, runners: 4, concurrency: 4 },
  full: { apps: 50, kills: 50, seed: 20_251_201, stepMs: 400, runners: 4, concurrency: 4 },
} satisfies Record<string, KillSize>;

/** Where a run is killed: in Waypoint's QueueJob handler on the run's k-th job (the job exists, the run never hears of it), after its n-th progress line, or ms after its first one. */
export type KillPoint = { at: 'queue-job'; k: number } | { at: 'progress'; n: number } | { at: 'timer'; ms: number };

export interface KillResult {
  seed: number;
  apps: number;
  /** The kill points, in the order they were used. */
  points: KillPoint[];
  kills: number;
  /** Applies: each one started from a converged state and ran until it converged again. */
  rounds: number;
  /** pilot processes started (killed or not). */
  runs: number;
  queueJobs: number;
  /** "(project/app config commit) xN" for every up job queued more than once. */
  duplicates: string[];
  /** project/app of the last round without exactly one up job at the commit it should run. */
  missing: string[];
  /** project/app whose job at the last commit did not succeed in Waypoint. */
  notSucceeded: string[];
  /** Lines "<action>: failed" printed by any run. */
  failedLines: string[];
  /** Runs that exited other than 0 without being killed, with the end of their output. */
  badExits: string[];
  /** The apply after convergence queued nothing. */
  idempotent: boolean;
  durationMs: number;
  violations: string[];
}

const progressLine = /^\[\d+\/\d+\] /gm;
const progressCount = (output: string) => output.match(progressLine)?.length ?? 0;

export function drawKillPoint(random: Random): KillPoint {
  const kind = random.pick(['queue-job', 'progress', 'timer'] as const);
  if (kind === 'queue-job') return { at: kind, k: random.int(1, 3) };
  if (kind === 'progress') return { at: kind, n: random.int(1, 12) };
  return { at: kind, ms: random.int(0, 1_500) };
}

/** Ten apps a project, on both clouds, one depending on another, as the crash test has them. */
function projectsOf(size: KillSize, repos: SourceRepo[]): ProjectOptions[] {
  const projects: ProjectOptions[] = [];
  for (let start = 0; start < size.apps; start += 10) {
    const p = projects.length;
    const count = Math.min(10, size.apps - start);
    const apps: AppOptions[] = Array.from({ length: count }, (_, i) => {
      const platform: Platform = i % 3 === 2 ? 'cloud-run' : i % 2 ? 'lambda' : 'ecs';
      return {
        name: `a${String(i).padStart(2, '0')}`, repo: repos[(start + i) % repos.length]!.url, platform,
        provider: platform === 'cloud-run' ? 'gcp' : 'aws', ...(i === 9 ? { dependsOn: ['a00'] } : {}) };
    });
    projects.push({ name: `kill-${p}`, provider: p % 2 ? 'gcp' : 'aws', apps });
  }
  return projects;
}

export async function runKillDuringApply(size: KillSize): Promise<KillResult> {
  const started = Date.now();
  const random = seeded(size.seed);
  const rig = await startRig({ stepMs: size.stepMs, concurrency: size.runners });
  const result: KillResult = {
    seed: size.seed, apps: size.apps, points: [], kills: 0, rounds: 0, runs: 0, queueJobs: 0,
    duplicates: [], missing: [], notSucceeded: [], failedLines: [], badExits: [], idempotent: false, durationMs: 0, violations: [],
  };
  // The QueueJob hook kills the current run on its k-th job, from inside Waypoint's handler.
  let victim: { child: PilotChild; killAt: number; seen: number } | undefined;
  const unhook = onQueueJob(rig.emulator, () => {
    if (!victim || victim.killAt === 0) return;
    victim.seen += 1;
    if (victim.seen === victim.killAt) victim.child.process.kill('SIGKILL');
  });
  try {
    const repos = await Promise.all(['one', 'two', 'three', 'four', 'five'].map((name) => createSourceRepo(name)));
    const projects = projectsOf(size, repos);
    const manifests = await createManifestRepo(manifestFiles(...projects));
    const home = await rig.home();
    const env = rig.env(home);
    const apply = (...extra: string[]) => spawnPilot(['apply', manifests.dir, '--once', '--concurrency', String(size.concurrency), ...extra], env);
    const points = Array.from({ length: size.kills }, () => drawKillPoint(random));
    let next = 0;
    const outputs: string[] = [];

    /** Runs one apply process to its kill point (if it gets there): true when it was killed. */
    const runOnce = async (point: KillPoint | undefined): Promise<boolean> => {
      const child = apply();
      result.runs += 1;
      victim = { child, killAt: point?.at === 'queue-job' ? point.k : 0, seen: 0 };
      try {
        if (point?.at === 'progress') await child.waitFor((out) => progressCount(out) >= point.n, `progress line ${point.n}`).then(() => child.kill9(), () => undefined);
        if (point?.at === 'timer') {
          await child.waitFor((out) => progressCount(out) >= 1, 'the first progress line').then(
            () => Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, point.ms))]).then(() => child.kill9()),
            () => undefined,
          );
        }
        const exit = await child.exited;
        outputs.push(child.output());
        if (exit.signal === 'SIGKILL') return true;
        if (exit.code !== 0) result.badExits.push(`exit ${exit.code}: ${child.output().slice(-2_000)}`);
        return false;
      } finally {
        victim = undefined;
      }
    };

    const wanted = new Map<string, string>();
    const want = async () => {
      const heads = new Map(await Promise.all(repos.map(async (r) => [r.url, await r.head()] as const)));
      wanted.clear();
      for (const project of projects) for (const a of project.apps) wanted.set(`${project.name}/${a.name}`, heads.get(a.repo)!);
    };
    await want();
    for (;;) {
      result.rounds += 1;
      // Killed at each point in turn; a run that ends before its point has converged, and the point waits for the next round.
      for (let converged = false; !converged; ) {
        const point = points[next];
        if (await runOnce(point)) {
          result.points.push(point!);
          result.kills += 1;
          next += 1;
        } else {
          converged = true;
        }
        if (result.badExits.length > 3) throw new Error(`runs keep failing:\n${result.badExits.join('\n---\n')}`);
      }
      if (next >= points.length) break;
      // Every app's source moves on: the next apply redeploys all of them.
      for (const repo of repos) await repo.commit({ 'ROUND.md': `round ${result.rounds + 1}\n` });
      await want();
    }

    // In-process, as the runs before it left the state: no process to start for a check.
    const again = await rig.apply(manifests.dir, home, '--concurrency', String(size.concurrency));
    result.idempotent = again.code === 0 && again.json.outcome === 'no-changes' && again.json.jobsQueued === 0;

    const jobs = rig.jobs().filter((j) => j.project.startsWith('kill-'));
    result.queueJobs = jobs.length;
    result.duplicates = duplicateUps(jobs);
    const ups = jobs.filter((j) => j.operation === 'up');
    for (const [key, commit] of wanted) {
      if (ups.filter((j) => `${j.project}/${j.app}` === key && j.commit === commit && j.ref === commit).length !== 1) result.missing.push(key);
    }
    result.notSucceeded = await notSucceeded(rig.emulator.address, projects, wanted);
    result.failedLines = outputs.flatMap((out) => out.match(/^.*: failed$/gm) ?? []);
  } finally {
    unhook();
    await killAllChildren();
    await rig.stop();
  }
  result.durationMs = Date.now() - started;
  result.violations = killViolations(result, size);
  return result;
}

/** Apps whose job at the commit they should run is not SUCCESS in Waypoint. */
async function notSucceeded(address: string, projects: ProjectOptions[], wanted: Map<string, string>): Promise<string[]> {
  const client = await WaypointClient.connect({ address, tls: 'off', token });
  try {
    const done = new Set<string>();
    for (const project of projects) {
      for (const job of await client.listJobs({ project: project.name, states: ['success'] })) {
        if (job.labels['pilot/commit'] === wanted.get(`${job.project}/${job.app}`)) done.add(`${job.project}/${job.app}`);
      }
    }
    return [...wanted.keys()].filter((key) => !done.has(key));
  } finally {
    client.close();
  }
}

export function killViolations(r: KillResult, size: KillSize): string[] {
  const out: string[] = [];
  if (r.kills !== size.kills) out.push(`${r.kills} kills instead of ${size.kills}`);
  if (r.duplicates.length) out.push(`queued twice: ${r.duplicates.join(', ')}`);
  if (r.missing.length) out.push(`not exactly one job at the last commit: ${r.missing.join(', ')}`);
  if (r.notSucceeded.length) out.push(`not running the last commit in Waypoint: ${r.notSucceeded.join(', ')}`);
  if (r.failedLines.length) out.push(`actions failed: ${r.failedLines.join(' | ')}`);
  if (r.badExits.length) out.push(`runs failed: ${r.badExits.length}`);
  if (!r.idempotent) out.push('the apply after convergence was not a no-op');
  return out;
}
