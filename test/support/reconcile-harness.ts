// The end-to-end rig of the reconciler tests: a Waypoint emulator on a free port, the
// real CLI run in-process against it, one PILOT_HOME per scenario, and the jobs the
// emulator received, summarized.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WaypointClient } from '../../src/waypoint/client/client.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/dev/waypoint-emulator/index.js';
import { cli, type CliOptions, type CliResult } from './cli.js';
import { createManifestRepo, temporaryFolder } from './git-repos.js';
import { manifestFiles, type ProjectOptions } from './reconcile-manifests.js';

export const token = 'reconcile-e2e-token-0123456789';

/** One QueueJob request the emulator received, in Pilot's terms. */
export interface QueuedJob {
  project: string;
  app: string;
  operation: 'up' | 'destroy' | 'other';
  configHash: string | undefined;
  /** The pilot/commit label. */
  commit: string | undefined;
  /** The commit the git data source is pinned to. */
  ref: string | undefined;
  waypointHcl: string;
}

export interface ApplyJson {
  revision: string;
  outcome: string;
  jobsQueued: number;
  actions: { id: string; kind: string; target: string; status: string; reasons: string[]; waitsForDriver?: boolean; lastLines?: string[]; error?: string; jobId?: string }[];
  errors: ApplyJson['actions'];
  problems?: { file: string; line: number; col: number; path: string; message: string; severity: string }[];
}

export interface ApplyRun extends CliResult {
  json: ApplyJson;
}

/** The JSON object that ends a `--format json` output. */
export function finalJson<T>(stdout: string): T {
  const start = stdout.startsWith('{') ? 0 : stdout.lastIndexOf('\n{\n') + 1;
  return JSON.parse(stdout.slice(start)) as T;
}

export interface Rig {
  emulator: Emulator;
  /** A fresh, empty PILOT_HOME. */
  home(): Promise<string>;
  env(home: string): Record<string, string>;
  run(argv: string[], home: string, options?: Omit<CliOptions, 'env'>): Promise<CliResult>;
  apply(dir: string, home: string, ...extra: string[]): Promise<ApplyRun>;
  /** Every job received so far for a project (all projects when absent). */
  jobs(project?: string): QueuedJob[];
  /** Every stdout and stderr the rig's commands printed. */
  readonly printed: string[];
  stop(): Promise<void>;
}

export function summarizeJob(received: Emulator['queuedJobs'][number]): QueuedJob {
  const job = received.job as unknown as {
    application: { project: string; application: string } | null;
    labels: Record<string, string>;
    up?: object | null;
    destroy?: object | null;
    data_source: { git?: { ref: string } | null } | null;
    waypoint_hcl: { contents: Uint8Array } | null;
  };
  return {
    project: job.application?.project ?? '',
    app: job.application?.application ?? '',
    operation: job.up ? 'up' : job.destroy ? 'destroy' : 'other',
    configHash: job.labels['pilot/config-hash'],
    commit: job.labels['pilot/commit'],
    ref: job.data_source?.git?.ref ?? undefined,
    waypointHcl: job.waypoint_hcl ? Buffer.from(job.waypoint_hcl.contents).toString('utf8') : '',
  };
}

export async function startRig(options: Omit<EmulatorOptions, 'token' | 'port'> = {}): Promise<Rig> {
  const emulator = await startEmulator({ token, stepMs: 20, concurrency: 8, ...options });
  const printed: string[] = [];
  const env = (home: string) => ({ PILOT_WAYPOINT_ADDR: emulator.address, PILOT_WAYPOINT_TLS: 'off', PILOT_WAYPOINT_TOKEN: token, PILOT_HOME: home, NO_COLOR: '1', PILOT_CLOUDS: 'off' });
  const run = async (argv: string[], home: string, more: Omit<CliOptions, 'env'> = {}) => {
    const result = await cli(argv, { ...more, env: env(home) });
    printed.push(result.stdout, result.stderr);
    return result;
  };
  return {
    emulator,
    home: () => temporaryFolder('pilot-home-'),
    env,
    run,
    printed,
    async apply(dir, home, ...extra) {
      const result = await run(['apply', dir, '--once', '--format', 'json', ...extra], home);
      try {
        return { ...result, json: finalJson<ApplyJson>(result.stdout) };
      } catch {
        throw new Error(`apply printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
      }
    },
    jobs: (project) => emulator.queuedJobs.map(summarizeJob).filter((j) => project === undefined || j.project === project),
    stop: () => emulator.stop(),
  };
}

/**
 * Calls `hook` with each QueueJob request as the emulator records it, before it replies:
 * a precise moment to switch a fault on.
 */
export function onQueueJob(emulator: Emulator, hook: (job: QueuedJob) => void): () => void {
  const list = emulator.queuedJobs as Emulator['queuedJobs'][number][];
  list.push = (...items) => {
    const length = Array.prototype.push.apply(list, items);
    for (const item of items) hook(summarizeJob(item));
    return length;
  };
  return () => {
    delete (list as { push?: unknown }).push;
  };
}

/** The bytes of the state store (database and write-ahead log) of a PILOT_HOME. */
export async function stateBytes(home: string): Promise<Buffer> {
  const files = ['state.db', 'state.db-wal', 'state.db-journal'].map((name) => path.join(home, name)).filter((file) => existsSync(file));
  return Buffer.concat(await Promise.all(files.map((file) => readFile(file))));
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Jobs counted by (project/app, config hash, commit): keys queued more than once as `up`. */
export function duplicateUps(jobs: readonly QueuedJob[]): string[] {
  const counts = new Map<string, number>();
  for (const job of jobs.filter((j) => j.operation === 'up')) {
    const key = `${job.project}/${job.app} ${job.configHash} ${job.commit}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} x${n}`);
}

/**
 * Keeps `finished` up to date with the apps (project/app) whose `up` job ended in
 * success, as Waypoint reports them, polling every `everyMs`; returns the stop function.
 */
export async function watchFinishedUps(emulator: Emulator, projects: readonly string[], finished: Set<string>, everyMs = 50): Promise<() => void> {
  const client = await WaypointClient.connect({ address: emulator.address, tls: 'off', token, deadlineMs: 5_000 });
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const project of projects) {
        const jobs = await client.listJobs({ project, states: ['success'] }).catch(() => []);
        for (const job of jobs) if (job.labels['pilot/config-hash']) finished.add(`${job.project}/${job.app}`);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return () => {
    stopped = true;
    void loop.finally(() => client.close());
  };
}

/**
 * A manifest repository of `projects` and a fresh PILOT_HOME, with the commands of one
 * scenario; `flags` are added to every plan and apply (e.g. --clouds stand-in).
 */
export async function scenarioOf(rig: Rig, projects: ProjectOptions[], flags: string[] = []) {
  const manifests = await createManifestRepo(manifestFiles(...projects));
  const home = await rig.home();
  return {
    manifests,
    home,
    apply: (...extra: string[]) => rig.apply(manifests.dir, home, ...flags, ...extra),
    applyText: (...extra: string[]) => rig.run(['apply', manifests.dir, '--once', ...flags, ...extra], home),
    plan: (...extra: string[]) => rig.run(['plan', manifests.dir, ...flags, ...extra], home),
    run: (...argv: string[]) => rig.run(argv, home),
    inventory: async () => {
      const status = await rig.run(['status', '--format', 'json'], home);
      if (status.code !== 0) throw new Error(`pilot status failed: ${status.stderr}`);
      return finalJson<{ inventory: { kind: string; project: string; name: string }[] }>(status.stdout).inventory;
    },
  };
}
