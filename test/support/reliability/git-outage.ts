// Scenario: the manifest repository's remote goes away under a converged daemon that
// prunes, twice: its git server stops (connection refused), then the repository itself
// is gone (not found). Each time the daemon keeps the revision it applied, says why,
// touches nothing in Waypoint (no job, no config deleted, nothing destroyed), even
// across a restart while the remote is still away; a commit pushed meanwhile is applied
// once the remote is back.

import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator } from '../../../src/dev/waypoint-emulator/index.js';
import { convergedAt, startTestDaemon, statusWhere, waitFor, waypointToken, type TestDaemon } from '../daemon-harness.js';
import { app, repoToken, servedManifests, upsOf } from '../daemon-scenario.js';
import { startGitHttpServer, type GitHttpServer } from '../git-http-server.js';
import { createSourceRepo, git } from '../git-repos.js';
import { duplicateUps, summarizeJob } from '../reconcile-harness.js';
import { manifestFiles, type AppOptions, type ProjectOptions } from '../reconcile-manifests.js';
import { startGrpcTap } from './grpc-tap.js';

export interface GitOutageSize {
  apps: number;
  /** Fetches that fail (polls the daemon reports as unavailable) before the remote comes back, per outage. */
  failedFetches: number;
  pollMs: number;
}

export const gitOutageSizes = {
  small: { apps: 4, failedFetches: 3, pollMs: 150 },
  full: { apps: 20, failedFetches: 30, pollMs: 200 },
} satisfies Record<string, GitOutageSize>;

/** What Waypoint was asked to change: none of it may happen while the manifests cannot be read. */
const changing = new Set(['QueueJob', 'SetConfig', 'DeleteConfig', 'UpsertProject', 'UpsertApplication', 'CancelJob']);

export interface OutagePhase {
  /** refused: the git server is down; missing: the server answers, the repository is gone. */
  kind: 'refused' | 'missing';
  /** Fetches reported as failed (log lines "manifest source unavailable", repeats included). */
  failedFetches: number;
  /** The revision applied when the remote went away, and the one /api/status said was applied during the outage. */
  applied: string;
  revisionShown: string | undefined;
  /** What /api/status said was refused, and why. */
  rejected: { revision: string; reason: string } | undefined;
  /** Apps shown converged during the outage. */
  appsConverged: number;
  /** Calls to Waypoint that change something, during the outage. */
  changingCalls: number;
  /** A daemon started again while the remote was away: the same checks. */
  restart?: { failedFetches: number; changingCalls: number; appsConverged: number };
  /** From the remote's return to the pushed commit converged. */
  recoverMs: number;
  recovered: boolean;
}

export interface GitOutageResult {
  apps: number;
  phases: OutagePhase[];
  destroyJobs: number;
  upJobs: number;
  /** up jobs expected: one per app at first, then one per app the pushed commits changed. */
  expectedUpJobs: number;
  duplicates: string[];
  /** Whether a failure message or status showed the repository token. */
  tokenShown: boolean;
  durationMs: number;
  violations: string[];
}

const project = 'gitout';

/** Commits `files` in the work clone beside a bare repository made by createSourceRepo, and pushes them to `target`. */
async function pushTo(target: string, files: Record<string, string>): Promise<string> {
  const work = path.join(path.dirname(target), 'work');
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(work, name), text);
  await git(work, ['add', '--all']);
  await git(work, ['commit', '--quiet', '-m', 'pushed while the remote is away']);
  await git(work, ['push', '--quiet', target, 'HEAD:refs/heads/main']);
  return git(work, ['rev-parse', 'HEAD']);
}

export async function runGitOutage(size: GitOutageSize): Promise<GitOutageResult> {
  const started = Date.now();
  const emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
  const tap = await startGrpcTap(emulator.address);
  const daemons: TestDaemon[] = [];
  const servers: GitHttpServer[] = [];
  const result: GitOutageResult = { apps: size.apps, phases: [], destroyJobs: 0, upJobs: 0, expectedUpJobs: 0, duplicates: [], tokenShown: false, durationMs: 0, violations: [] };
  try {
    const source = await createSourceRepo('gitout-src');
    const apps = (memoryOf: (i: number) => number, count = size.apps): AppOptions[] =>
      Array.from({ length: count }, (_, i) => app(`a${String(i).padStart(2, '0')}`, source.url, { memory: memoryOf(i) }));
    // Prune on: a revision read as empty, or as missing apps, would destroy them.
    const manifests = (appList: AppOptions[]): ProjectOptions => ({ name: project, prune: true, apps: appList });
    const served = await servedManifests(manifests(apps(() => 512)));
    servers.push(served.server);
    const { remote, url } = served;
    const root = path.dirname(remote.bare);
    const port = Number(new URL(url).port);
    const keys = (count: number) => Array.from({ length: count }, (_, i) => `${project}/a${String(i).padStart(2, '0')}`);
    const start = (stateDir?: string) =>
      startTestDaemon({ emulator, repository: { url, branch: 'main', token: repoToken }, ...(stateDir ? { stateDir } : {}), config: { waypoint: { address: tap.address, tls: 'off', token: waypointToken }, pollMs: size.pollMs } });

    let daemon = await start();
    daemons.push(daemon);
    await statusWhere(daemon, convergedAt(remote.first, keys(size.apps)), 'the first revision converged', 120_000);
    result.expectedUpJobs = size.apps;
    let count = size.apps;
    let applied = remote.first;

    const failedFetches = (d: TestDaemon) => d.logs.lines().filter((l) => l.msg === 'manifest source unavailable; the last good revision stays applied').length;
    const converged = (s: Awaited<ReturnType<TestDaemon['status']>>) => s.apps.filter((a) => a.state === 'converged').length;

    for (const kind of ['refused', 'missing'] as const) {
      const since = Date.now();
      const before = failedFetches(daemon);
      const away = kind === 'refused' ? remote.bare : `${remote.bare}.away`;
      if (kind === 'refused') await servers.pop()!.close();
      else await rename(remote.bare, away);
      // Pushed while the remote is away, behind the server's back: one app's memory changes, one app is added.
      count += 1;
      const next = await pushTo(away, manifestFiles(manifests(apps((i) => (i === 0 ? [1024, 2048][result.phases.length]! : 512), count))));

      await waitFor(() => failedFetches(daemon) - before >= size.failedFetches, `${size.failedFetches} failed fetches`, 30_000 + size.failedFetches * size.pollMs * 4);
      const status = await daemon.status();
      const phase: OutagePhase = {
        kind, failedFetches: failedFetches(daemon) - before, applied, revisionShown: status.revision, rejected: status.rejected, appsConverged: converged(status),
        changingCalls: 0, recoverMs: 0, recovered: false,
      };
      result.tokenShown ||= JSON.stringify(status).includes(repoToken) || daemon.logs.text().includes(repoToken);

      // A restart while the remote is still away: the state is kept, nothing is read, nothing changes.
      const stateDir = daemon.stateDir;
      await daemon.stop();
      daemon = await start(stateDir);
      daemons.push(daemon);
      await waitFor(() => failedFetches(daemon) >= Math.min(3, size.failedFetches), 'failed fetches after the restart', 30_000);
      const restarted = await daemon.status();
      phase.restart = { failedFetches: failedFetches(daemon), changingCalls: 0, appsConverged: converged(restarted) };
      phase.restart.changingCalls = [...changing].reduce((n, m) => n + tap.count(m, since), 0);
      phase.changingCalls = phase.restart.changingCalls;
      result.tokenShown ||= JSON.stringify(restarted).includes(repoToken) || daemon.logs.text().includes(repoToken);

      // The remote comes back where it was.
      const back = Date.now();
      if (kind === 'refused') servers.push(await startGitHttpServer({ root, username: 'x-access-token', token: repoToken, port }));
      else await rename(`${remote.bare}.away`, remote.bare);
      phase.recovered = await statusWhere(daemon, convergedAt(next, keys(count)), `the commit pushed during the ${kind} outage converged`, 60_000).then(() => true, () => false);
      phase.recoverMs = Date.now() - back;
      result.phases.push(phase);
      // The pushed commit redeployed the changed app and deployed the new one.
      result.expectedUpJobs += 2;
      applied = next;
    }

    const jobs = emulator.queuedJobs.map(summarizeJob).filter((j) => j.project === project);
    result.destroyJobs = jobs.filter((j) => j.operation === 'destroy').length;
    const ups = upsOf(emulator, project);
    result.upJobs = ups.length;
    result.duplicates = duplicateUps(ups);
  } finally {
    for (const d of daemons) await d.stop();
    for (const server of servers) await server.close();
    await tap.close();
    await emulator.stop();
  }
  result.durationMs = Date.now() - started;
  result.violations = gitOutageViolations(result, size);
  return result;
}

export function gitOutageViolations(r: GitOutageResult, size: GitOutageSize): string[] {
  const out: string[] = [];
  for (const [i, p] of r.phases.entries()) {
    const where = `${p.kind} outage`;
    if (p.failedFetches < size.failedFetches) out.push(`${where}: ${p.failedFetches} failed fetches reported, expected ${size.failedFetches}`);
    if (p.rejected?.revision !== 'fetch' || !p.rejected.reason) out.push(`${where}: the status did not say the fetch failed (${JSON.stringify(p.rejected)})`);
    if (p.revisionShown !== p.applied) out.push(`${where}: the status showed ${p.revisionShown} applied instead of ${p.applied}`);
    if (p.appsConverged !== size.apps + i) out.push(`${where}: ${p.appsConverged} apps shown converged, expected ${size.apps + i}`);
    if (p.changingCalls > 0) out.push(`${where}: ${p.changingCalls} calls changed Waypoint while the manifests could not be read`);
    if (!p.restart || p.restart.failedFetches === 0) out.push(`${where}: a daemon restarted during the outage did not report the failed fetch`);
    if (!p.recovered) out.push(`${where}: the commit pushed meanwhile did not converge after the remote came back`);
  }
  if (r.phases.length !== 2) out.push(`${r.phases.length} outages ran instead of 2`);
  if (r.destroyJobs > 0) out.push(`${r.destroyJobs} destroy jobs`);
  if (r.upJobs !== r.expectedUpJobs) out.push(`${r.upJobs} up jobs, expected ${r.expectedUpJobs}`);
  if (r.duplicates.length) out.push(`queued twice: ${r.duplicates.join(', ')}`);
  if (r.tokenShown) out.push('the repository token was shown');
  return out;
}
