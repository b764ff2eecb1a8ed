// Table-driven over test/fixtures: every valid repository loads with its defaults applied,
// every invalid one reports exactly its expected errors, both through the loader and
// through `pilot validate`.

import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DesiredApp, DesiredDatabase, DesiredState } from '../src/reconciler/desired-state.js';
import { loadDesiredStateFromDirectory, type LoadResult } from '../src/sources/manifests/load.js';
import type { Problem } from '../src/sources/manifests/problem.js';
import { cli as runPilot } from './support/cli.js';
import {
  describeCounts, fixtureDir, fixtureNames, generatedInvalid, generatedValid, location, readExpected, TempFixtures, unmatched,
  type ExpectedInvalid, type ExpectedProblem, type ExpectedValid,
} from './support/fixtures.js';

const MIN_INVALID_FIXTURES = 45;

interface Row<E> {
  name: string;
  expected: E;
  dir(): Promise<string>;
}

const temp = new TempFixtures();
afterAll(() => temp.cleanup());

const validRows: Row<ExpectedValid>[] = [
  ...fixtureNames('valid').map((name) => ({
    name,
    expected: readExpected<ExpectedValid>('valid', name),
    dir: async () => fixtureDir('valid', name),
  })),
  ...generatedValid.map((g) => ({ name: g.name, expected: g.expected, dir: () => temp.dir(g.name, g.write) })),
];

const invalidRows: Row<ExpectedInvalid>[] = [
  ...fixtureNames('invalid').map((name) => ({
    name,
    expected: readExpected<ExpectedInvalid>('invalid', name),
    dir: async () => fixtureDir('invalid', name),
  })),
  ...generatedInvalid.map((g) => ({ name: g.name, expected: g.expected, dir: () => temp.dir(g.name, g.write) })),
];

const errorsOf = (result: LoadResult) => result.problems.filter((p) => p.severity === 'error');
const warningsOf = (result: LoadResult) => result.problems.filter((p) => p.severity === 'warning');
const listing = (problems: readonly Problem[]) => problems.map((p) => `${location(p)}: ${p.message}`);

/** The same problems, counted: a second error at one location is a second error. */
function expectProblems(actual: readonly Problem[], expected: readonly ExpectedProblem[]): void {
  const context = listing(actual).join('\n');
  expect(actual.map(location).sort(), `reported:\n${context}`).toEqual(expected.map((e) => e.at).sort());
  expect(unmatched(expected, actual), `reported:\n${context}`).toEqual([]);
}

function appsByKey(state: DesiredState): Map<string, DesiredApp> {
  return new Map(state.projects.flatMap((p) => p.apps.map((a) => [`${p.name}/${a.name}`, a] as const)));
}

function databasesByKey(state: DesiredState): Map<string, DesiredDatabase> {
  return new Map(state.projects.flatMap((p) => p.databases.map((d) => [`${p.name}/${d.name}`, d] as const)));
}

describe('valid manifest fixtures', () => {
  it.each(validRows)('$name: loads with no errors and the expected summary', async ({ dir, expected }) => {
    const result = await loadDesiredStateFromDirectory(await dir());
    expect(listing(errorsOf(result))).toEqual([]);
    if (expected.warnings) expectProblems(warningsOf(result), expected.warnings);
    expect(result.state).not.toBeNull();
    expect(result.summary).toEqual(expected.summary);
  });

  it.each(validRows)('$name: the normalized state matches expected.json', async ({ dir, expected }) => {
    const { state } = await loadDesiredStateFromDirectory(await dir());
    if (!state) throw new Error('no desired state');
    const projects = new Map(state.projects.map((p) => [p.name, p]));
    const apps = appsByKey(state);
    const databases = databasesByKey(state);
    for (const [key, want] of Object.entries(expected.projects ?? {})) expect(projects.get(key), key).toMatchObject(want);
    for (const [key, want] of Object.entries(expected.apps ?? {})) expect(apps.get(key), key).toMatchObject(want);
    for (const [key, want] of Object.entries(expected.databases ?? {})) expect(databases.get(key), key).toMatchObject(want);
  });

  it.each(validRows)('$name: every default is applied', async ({ dir }) => {
    const { state } = await loadDesiredStateFromDirectory(await dir());
    if (!state) throw new Error('no desired state');
    for (const [key, app] of appsByKey(state)) {
      expect(app.provider, key).toMatch(/^(aws|gcp)$/);
      expect(app.region, key).not.toBe('');
      expect(app.gcpProject !== undefined, `${key}: gcpProject set exactly on gcp`).toBe(app.provider === 'gcp');
      expect(app.source.ref, key).not.toBe('');
      expect(app.source.path, key).not.toBe('');
      if (app.build.builder === 'yarn') expect(app.build.outputDir, key).toBeTypeOf('string');
      if (app.build.builder === 'docker') expect(app.build.dockerfile, key).toBeTypeOf('string');
      if (app.deploy.platform === 'ecs' || app.deploy.platform === 'cloud-run') {
        expect(app.deploy, key).toMatchObject({ port: expect.any(Number), cpu: expect.any(Number), memory: expect.any(Number) });
        expect(app.deploy.instances!.min, key).toBeLessThanOrEqual(app.deploy.instances!.max);
      }
      if (app.deploy.platform === 'lambda') expect(app.deploy.memory, key).toBeTypeOf('number');
      // fromDatabase is an implicit dependency on the database.
      const read = Object.values(app.env).flatMap((v) => (v.kind === 'database' ? [v.database] : []));
      expect(app.databases, key).toEqual([...new Set(read)].sort());
    }
    for (const [key, db] of databasesByKey(state)) {
      expect(db, key).toMatchObject({ engine: 'postgres', version: expect.any(String), size: expect.any(String), storageGB: expect.any(Number) });
      expect(db.deletionProtection, key).toBeTypeOf('boolean');
    }
  });

  it.each(validRows)('$name: pilot validate exits 0 and prints the summary', async ({ dir, expected }) => {
    const run = await runPilot(['validate', await dir()]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`valid: ${describeCounts(expected.summary)}`);
  });

  it('defaults are those of the contract (spot checks)', async () => {
    const { state } = await loadDesiredStateFromDirectory(fixtureDir('valid', 'aws-ecs-pack'));
    const api = appsByKey(state!).get('shop/api')!;
    expect(api.source).toEqual({ repo: 'ssh://git.example.com/shop/api.git', ref: 'main', path: '.' });
    expect(api.deploy.port).toBe(8080);
    const run = await loadDesiredStateFromDirectory(fixtureDir('valid', 'gcp-app-database'));
    const ledger = appsByKey(run.state!).get('ledger/api')!;
    expect(ledger.deploy.port).toBe(8080);
    expect(ledger.databases).toEqual(['main']);
    expect(databasesByKey(run.state!).get('ledger/main')!.deletionProtection).toBe(true);
  });
});

describe('invalid manifest fixtures', () => {
  it(`there are at least ${MIN_INVALID_FIXTURES} committed invalid fixtures, each with expected errors`, () => {
    const names = fixtureNames('invalid');
    expect(names.length).toBeGreaterThanOrEqual(MIN_INVALID_FIXTURES);
    for (const name of names) {
      expect(readExpected<ExpectedInvalid>('invalid', name).errors.length, name).toBeGreaterThan(0);
    }
  });

  it.each([
    { name: 'symlink-outside-repo', link: 'pilot.yaml', target: '/etc/passwd' },
    { name: 'symlink-dir-outside-repo', link: 'shared', target: '../dependency-cycle' },
  ])('$name/$link is committed as a symlink to $target', async ({ name, link, target }) => {
    const file = path.join(fixtureDir('invalid', name), link);
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
    expect(await readlink(file)).toBe(target);
  });

  it.each(invalidRows)('$name: the loader reports exactly the expected errors', async ({ dir, expected }) => {
    const result = await loadDesiredStateFromDirectory(await dir());
    expectProblems(errorsOf(result), expected.errors);
    if (expected.warnings) expectProblems(warningsOf(result), expected.warnings);
    expect(result.state).toBeNull();
  });

  it.each(invalidRows)('$name: pilot validate exits 1 and prints every error with its location', async ({ dir, expected }) => {
    const run = await runPilot(['validate', await dir()]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const lines = run.stdout.split('\n');
    for (const want of expected.errors) {
      expect(
        lines.some((line) => line.startsWith(`${want.at}: `) && line.includes(want.contains)),
        `no line "${want.at}: ...${want.contains}..." in:\n${run.stdout}`,
      ).toBe(true);
    }
    // A refused file (symlink, size) is an error in the repository, not an empty repository.
    expect(run.stderr).not.toContain('no manifests');
    expect(run.stdout).toMatch(new RegExp(`^invalid: ${expected.errors.length} errors? `, 'm'));
  });
});

describe('pilot validate --format json', () => {
  it('reports errors with their file, line and column', async () => {
    const name = 'fargate-memory-for-cpu';
    const expected = readExpected<ExpectedInvalid>('invalid', name);
    const run = await runPilot(['validate', fixtureDir('invalid', name), '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { valid: boolean; files: number; errors: Problem[]; warnings: Problem[] };
    expect(report.valid).toBe(false);
    expect(report.files).toBe(1);
    expect(report.errors.map((e) => ({ file: e.file, line: e.line, col: e.col }))).toEqual(
      expected.errors.map((e) => {
        const [file, line, col] = e.at.split(':');
        return { file, line: Number(line), col: Number(col) };
      }),
    );
    expect(report.errors[0]).toMatchObject({ path: 'apps[0].deploy.memory', rule: expect.any(String) });
    expect(report.errors[0]!.message).toContain(expected.errors[0]!.contains);
  });

  it('says valid, with the summary, for a valid repository', async () => {
    const run = await runPilot(['validate', fixtureDir('valid', 'multi-project'), '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { valid: boolean; files: number; summary: unknown; errors: unknown[] };
    expect(report).toMatchObject({ valid: true, files: 4, errors: [] });
    expect(report.summary).toEqual(readExpected<ExpectedValid>('valid', 'multi-project').summary);
  });
});
