// Scenario: a converged repository (pruning on), then invalid revisions committed on top
// of it one after the other, each announced by a signed push. Each is refused whole: no
// call changes Waypoint, nothing is destroyed, the converged revision stays applied,
// and the status names file:line:column of the error.

import { startEmulator } from '../../../src/dev/waypoint-emulator/index.js';
import type { DaemonStatus } from '../../../src/daemon/status.js';
import { convergedAt, githubAlias, startTestDaemon, statusWhere, waypointToken, webhookSecret, type TestDaemon } from '../daemon-harness.js';
import { app, upsOf } from '../daemon-scenario.js';
import { deliver, pushPayload, signed } from '../daemon-webhooks.js';
import { createSourceRepo, type FileChanges } from '../git-repos.js';
import { summarizeJob } from '../reconcile-harness.js';
import { manifestFiles, type ProjectOptions } from '../reconcile-manifests.js';
import { startGrpcTap } from './grpc-tap.js';
import { invalidVariants, type ExpectedAt, type SteadyFile } from './invalid-manifests.js';
import { seeded } from './random.js';

export interface InvalidSize {
  variants: number;
  seed: number;
}

export const invalidSizes = {
  small: { variants: 30, seed: 505 },
  full: { variants: 200, seed: 505 },
} satisfies Record<string, InvalidSize>;

export interface InvalidOutcome {
  variant: string;
  /** The status's errors for the revision (file:line:col: message). */
  errors: string[];
  /** Expected places not found among them. */
  missing: string[];
  /** Calls to Waypoint while the revision was read and refused. */
  calls: number;
  applied: boolean;
}

export interface InvalidResult {
  seed: number;
  variants: number;
  refused: number;
  /** Variants whose errors did not name every expected file:line:column. */
  unlocated: InvalidOutcome[];
  /** Variants during which Waypoint was called at all. */
  calledWaypoint: InvalidOutcome[];
  /** Variants after which the status no longer showed the converged revision as applied. */
  appliedInstead: InvalidOutcome[];
  /** Errors without a file:line:column. */
  errorsWithoutPlace: string[];
  upJobs: number;
  destroyJobs: number;
  appsConverged: number;
  appsDeclared: number;
  /** The last fix: a valid commit after the invalid ones is applied. */
  fixApplied: boolean;
  perVariantMs: number;
  /** Of which: committing and pushing the variant, and from the webhook to the refusal shown. */
  commitMs: number;
  refuseMs: number;
  durationMs: number;
  violations: string[];
}

const fullName = 'acme/invalid-manifests';
const placed = /^([^:\s]+):(\d+):(\d+): /;

/** The converged repository the variants are committed on: two projects that prune, one app depending on another. */
export function steadyProjects(repo: string): ProjectOptions[] {
  const names = ['a00', 'a01', 'a02', 'a03'];
  return [
    { name: 'steady-a', prune: true, apps: names.map((name, i) => app(name, repo, { env: { MODE: 'live' }, ...(i === 3 ? { dependsOn: ['a00'] } : {}) })) },
    { name: 'steady-b', prune: true, apps: names.slice(0, 2).map((name) => app(name, repo, { env: { MODE: 'live' } })) },
  ];
}

export function steadyFiles(projects: ProjectOptions[]): SteadyFile[] {
  const files = manifestFiles(...projects);
  return projects.map((p) => ({ file: `${p.name}/pilot.yaml`, text: files[`${p.name}/pilot.yaml`]!, apps: p.apps.map((a) => a.name) }));
}

/** Whether `errors` (file:line:col: message) name the place: same file, and line, column and words when they are known. */
export function found(errors: readonly string[], want: ExpectedAt): boolean {
  return errors.some((error) => {
    const m = placed.exec(error);
    if (!m || m[1] !== want.file) return false;
    if (want.line !== undefined && Number(m[2]) !== want.line) return false;
    if (want.col !== undefined && Number(m[3]) !== want.col) return false;
    return want.contains === undefined || error.includes(want.contains);
  });
}

export async function runInvalidCommits(size: InvalidSize): Promise<InvalidResult> {
  const started = Date.now();
  const random = seeded(size.seed);
  const emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
  const tap = await startGrpcTap(emulator.address);
  let daemon: TestDaemon | undefined;
  const result: InvalidResult = {
    seed: size.seed, variants: 0, refused: 0, unlocated: [], calledWaypoint: [], appliedInstead: [], errorsWithoutPlace: [], upJobs: 0, destroyJobs: 0,
    appsConverged: 0, appsDeclared: 0, fixApplied: false, perVariantMs: 0, commitMs: 0, refuseMs: 0, durationMs: 0, violations: [],
  };
  try {
    const source = await createSourceRepo('invalid-src');
    const projects = steadyProjects(source.url);
    const good = manifestFiles(...projects);
    const remote = await createSourceRepo('invalid-manifests', good);
    const url = githubAlias(process.env, fullName, remote.bare);
    const keys = projects.flatMap((p) => p.apps.map((a) => `${p.name}/${a.name}`));
    result.appsDeclared = keys.length;
    daemon = await startTestDaemon({ emulator, repository: { url, branch: 'main' }, config: { waypoint: { address: tap.address, tls: 'off', token: waypointToken } } });
    await statusWhere(daemon, convergedAt(remote.first, keys), 'the repository converged', 120_000);

    const variants = invalidVariants(steadyFiles(projects), size.variants, random);
    let previous: FileChanges = {};
    const announce = async (commit: string) => {
      const answer = await deliver(daemon!.url, await signed('push', pushPayload(url, fullName, 'main', commit), { secret: webhookSecret }));
      if (answer.status !== 202) throw new Error(`the push of ${commit} was answered ${answer.status}`);
    };
    const loopStart = Date.now();
    for (const variant of variants) {
      // On top of the converged files: what the previous variant changed is put back first.
      const changes: FileChanges = {};
      for (const file of Object.keys(previous)) changes[file] = good[file] ?? null;
      Object.assign(changes, variant.files);
      previous = variant.files;
      const committing = Date.now();
      const commit = await remote.commit(changes, variant.name);
      const from = Date.now();
      result.commitMs += from - committing;
      await announce(commit);
      const status = await statusWhere(daemon, (s) => s.rejected?.revision === commit || s.lastRun?.revision === commit, `${variant.name}: the revision refused`, 30_000);
      result.refuseMs += Date.now() - from;
      const calls = tap.calls.filter((c) => c.at >= from).length;
      const outcome: InvalidOutcome = { variant: variant.name, errors: status.lastErrors, missing: [], calls, applied: status.revision !== remote.first };
      outcome.missing = variant.expected.filter((want) => !found(status.lastErrors, want)).map((w) => `${w.file}:${w.line ?? '?'}:${w.col ?? '?'}${w.contains ? ` "${w.contains}"` : ''}`);
      result.variants += 1;
      if (status.rejected?.revision === commit) result.refused += 1;
      if (outcome.missing.length) result.unlocated.push(outcome);
      if (calls > 0) result.calledWaypoint.push(outcome);
      if (outcome.applied) result.appliedInstead.push(outcome);
      result.errorsWithoutPlace.push(...status.lastErrors.filter((e) => !placed.test(e)).map((e) => `${variant.name}: ${e}`));
    }
    result.perVariantMs = Math.round((Date.now() - loopStart) / Math.max(1, variants.length));

    const final: DaemonStatus = await daemon.status();
    result.appsConverged = final.apps.filter((a) => a.state === 'converged').length;
    // The fix: the converged files again, in a new commit, apply (nothing to do).
    const fix: FileChanges = {};
    for (const file of Object.keys(previous)) fix[file] = good[file] ?? null;
    const fixed = await remote.commit(fix, 'fix the manifests');
    await announce(fixed);
    result.fixApplied = await statusWhere(daemon, convergedAt(fixed, keys), 'the fixed revision applied', 30_000).then(() => true, () => false);

    const jobs = emulator.queuedJobs.map(summarizeJob);
    result.upJobs = projects.reduce((n, p) => n + upsOf(emulator, p.name).length, 0);
    result.destroyJobs = jobs.filter((j) => j.operation === 'destroy').length;
  } finally {
    await daemon?.stop();
    await tap.close();
    await emulator.stop();
  }
  result.durationMs = Date.now() - started;
  result.violations = invalidViolations(result, size);
  return result;
}

export function invalidViolations(r: InvalidResult, size: InvalidSize): string[] {
  const out: string[] = [];
  const names = (list: InvalidOutcome[]) => list.slice(0, 5).map((o) => `${o.variant}${o.missing.length ? ` (missing ${o.missing.join(', ')}; got ${o.errors.slice(0, 3).join(' | ')})` : ''}`).join('; ');
  if (r.variants !== size.variants) out.push(`${r.variants} variants committed instead of ${size.variants}`);
  if (r.refused !== r.variants) out.push(`${r.variants - r.refused} invalid revisions not refused`);
  if (r.unlocated.length) out.push(`${r.unlocated.length} without the expected file:line:column: ${names(r.unlocated)}`);
  if (r.calledWaypoint.length) out.push(`${r.calledWaypoint.length} called Waypoint: ${names(r.calledWaypoint)}`);
  if (r.appliedInstead.length) out.push(`${r.appliedInstead.length} replaced the applied revision: ${names(r.appliedInstead)}`);
  if (r.errorsWithoutPlace.length) out.push(`errors without a place: ${r.errorsWithoutPlace.slice(0, 5).join(' | ')}`);
  if (r.destroyJobs > 0) out.push(`${r.destroyJobs} destroy jobs`);
  if (r.upJobs !== r.appsDeclared) out.push(`${r.upJobs} up jobs for ${r.appsDeclared} apps: an invalid revision deployed`);
  if (r.appsConverged !== r.appsDeclared) out.push(`${r.appsConverged} of ${r.appsDeclared} apps shown converged after the invalid revisions`);
  if (!r.fixApplied) out.push('the fixed revision was not applied');
  return out;
}
