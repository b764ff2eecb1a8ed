// The manifest fixture corpus under test/fixtures: folder listing, expected.json, and
// the fixtures too big to commit, generated on demand into a temporary directory.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../../src/sources/manifests/problem.js';

export const fixturesRoot = fileURLToPath(new URL('../fixtures/', import.meta.url));

export type FixtureKind = 'valid' | 'invalid';

export interface ExpectedProblem {
  /** `file:line:col`, the file relative to the fixture folder. */
  at: string;
  /** A fragment the message must contain. */
  contains: string;
}

export interface Summary {
  projects: number;
  apps: number;
  databases: number;
}

export interface ExpectedValid {
  summary: Summary;
  /** Warnings, when the fixture asserts them; otherwise warnings are ignored. */
  warnings?: ExpectedProblem[];
  /** Partial expectations on the normalized state, keyed by project name. */
  projects?: Record<string, Record<string, unknown>>;
  /** Keyed by `project/app`. */
  apps?: Record<string, Record<string, unknown>>;
  /** Keyed by `project/database`. */
  databases?: Record<string, Record<string, unknown>>;
}

export interface ExpectedInvalid {
  errors: ExpectedProblem[];
  warnings?: ExpectedProblem[];
}

/** Fixture folder names of one kind, sorted. */
export function fixtureNames(kind: FixtureKind): string[] {
  return readdirSync(path.join(fixturesRoot, kind), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function fixtureDir(kind: FixtureKind, name: string): string {
  return path.join(fixturesRoot, kind, name);
}

export function readExpected<T>(kind: FixtureKind, name: string): T {
  return JSON.parse(readFileSync(path.join(fixtureDir(kind, name), 'expected.json'), 'utf8')) as T;
}

export function location(problem: Pick<Problem, 'file' | 'line' | 'col'>): string {
  return `${problem.file}:${problem.line}:${problem.col}`;
}

/**
 * Pairs every expected problem with a distinct actual one at the same location whose
 * message contains the fragment; returns the expectations left without a partner.
 */
export function unmatched(expected: readonly ExpectedProblem[], actual: readonly Problem[]): ExpectedProblem[] {
  const pool = [...actual];
  const missing: ExpectedProblem[] = [];
  for (const want of expected) {
    const i = pool.findIndex((p) => location(p) === want.at && p.message.includes(want.contains));
    if (i === -1) missing.push(want);
    else pool.splice(i, 1);
  }
  return missing;
}

/** "1 project, 2 apps, 0 databases": how `pilot validate` states a summary. */
export function describeCounts(summary: Summary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [plural(summary.projects, 'project'), plural(summary.apps, 'app'), plural(summary.databases, 'database')].join(', ');
}

/** A fixture row whose folder is made at test time (too big, or too many files, to commit). */
export interface GeneratedFixture {
  name: string;
  expected: ExpectedInvalid;
  /** Writes the manifest repository into `dir` (an empty directory). */
  write(dir: string): Promise<void>;
}

const MiB = 1024 * 1024;

function project(name: string): string {
  return `apiVersion: pilot.dev/v1\nkind: Project\nname: ${name}\ndefaults:\n  provider: aws\n  region: us-east-1\n`;
}

/** A well-formed manifest padded with a comment to exactly `bytes` bytes. */
export function paddedManifest(bytes: number): string {
  const head = `${project('big')}# padding:`;
  return `${head}${'x'.repeat(bytes - head.length - 1)}\n`;
}

export const generatedInvalid: GeneratedFixture[] = [
  {
    name: 'file-too-large (generated)',
    expected: { errors: [{ at: 'pilot.yaml:1:1', contains: 'over the limit of 1048576 (1 MiB)' }] },
    async write(dir) {
      await writeFile(path.join(dir, 'pilot.yaml'), paddedManifest(MiB + 1));
    },
  },
  {
    name: 'yaml-nesting-too-deep (generated)',
    // 10,000 brackets once overflowed the parser's stack; the 64th bracket is the 65th level (the document is the first).
    expected: { errors: [{ at: 'pilot.yaml:7:67', contains: 'nested more than 64 levels deep' }] },
    async write(dir) {
      await writeFile(path.join(dir, 'pilot.yaml'), `${project('deep')}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    },
  },
  {
    name: 'too-many-files (generated)',
    // Files are read in sorted order; the 10,001st is where the limit is crossed.
    expected: { errors: [{ at: 'projects/p10000.pilot.yaml:1:1', contains: 'more than 10000 manifest files' }] },
    async write(dir) {
      await mkdir(path.join(dir, 'projects'));
      const names = Array.from({ length: 10_001 }, (_, i) => `p${String(i).padStart(5, '0')}`);
      for (let i = 0; i < names.length; i += 500) {
        await Promise.all(names.slice(i, i + 500).map((name) => writeFile(path.join(dir, 'projects', `${name}.pilot.yaml`), project(name))));
      }
    },
  },
];

/** Valid counterparts at the limits, so an off-by-one in a limit fails too. */
export const generatedValid: { name: string; expected: ExpectedValid; write(dir: string): Promise<void> }[] = [
  {
    name: 'file-at-size-limit (generated)',
    expected: { summary: { projects: 1, apps: 0, databases: 0 } },
    async write(dir) {
      await writeFile(path.join(dir, 'pilot.yaml'), paddedManifest(MiB));
    },
  },
];

/** Temporary directories under os.tmpdir(), made once per name and removed by `cleanup`. */
export class TempFixtures {
  private readonly dirs = new Map<string, Promise<string>>();

  dir(name: string, write: (dir: string) => Promise<void>): Promise<string> {
    let dir = this.dirs.get(name);
    if (!dir) {
      dir = mkdtemp(path.join(os.tmpdir(), 'pilot-fixture-')).then(async (made) => {
        await write(made);
        return made;
      });
      this.dirs.set(name, dir);
    }
    return dir;
  }

  async cleanup(): Promise<void> {
    const dirs = await Promise.allSettled(this.dirs.values());
    this.dirs.clear();
    await Promise.all(dirs.map((d) => (d.status === 'fulfilled' ? rm(d.value, { recursive: true, force: true }) : undefined)));
  }
}
