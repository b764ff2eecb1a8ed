// `pilot apply` follows several jobs at once: each streamed log line says its app, the
// bars in one column; colour only on a terminal; in JSON, stdout holds the one result
// object and the progress goes to stderr.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logPrefixer } from '../src/cli/apply-progress.js';
import { paint } from '../src/cli/io.js';
import { cli } from './support/cli.js';
import { createSourceRepo, removeTemporaryFolders } from './support/git-repos.js';
import { scenarioOf, startRig, type Rig } from './support/reconcile-harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ stepMs: 20, concurrency: 8 });
});

afterAll(async () => {
  await rig?.stop();
  await removeTemporaryFolders();
});

/** Two apps of different name lengths, deployed at once. */
async function twoApps(project: string) {
  const repo = await createSourceRepo(`${project}-src`);
  return scenarioOf(rig, [{ name: project, apps: [{ name: 'api', repo: repo.url, platform: 'ecs' }, { name: 'storefront', repo: repo.url, platform: 'lambda' }] }]);
}

/** The job log lines of an apply's output: `      <app> | <text>`. */
const logLines = (text: string) => text.split('\n').filter((line) => /^ {6}\S+ +\| /.test(line));

describe('pilot apply, following several jobs', () => {
  it('prefixes every job log line with its app, padded so the bars line up', async () => {
    const s = await twoApps('lg1');
    const run = await s.applyText();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = logLines(run.stdout);
    // Every log line is prefixed: none is left as the bare `      | text` of old.
    expect(run.stdout).not.toMatch(/^ {6}\| /m);
    expect(new Set(lines.map((line) => /^ {6}(\S+)/.exec(line)![1]))).toEqual(new Set(['lg1/api', 'lg1/storefront']));
    expect(new Set(lines.map((line) => line.indexOf('| ')))).toEqual(new Set([6 + 'lg1/storefront'.length + 1]));
    expect(lines.find((line) => line.startsWith('      lg1/api '))).toMatch(/^ {6}lg1\/api {8}\| /);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('colours the app only on a terminal, never when stdout is piped or with NO_COLOR', async () => {
    const piped = await twoApps('lg2');
    const env = { ...rig.env(piped.home), NO_COLOR: '' };
    const plain = await cli(['apply', piped.manifests.dir, '--once'], { env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(logLines(plain.stdout).length).toBeGreaterThan(0);
    expect(plain.stdout).not.toContain('\u001b[');

    const terminal = await twoApps('lg3');
    const coloured = await cli(['apply', terminal.manifests.dir, '--once'], { env: { ...rig.env(terminal.home), NO_COLOR: '' }, tty: true });
    expect(coloured.code, coloured.stderr).toBe(0);
    expect(coloured.stdout).toMatch(/^ {6}\u001b\[3[4-6]mlg3\/api\u001b\[39m {8}\u001b\[2m\| /m);
  });

  it('with --format json, prints one JSON document on stdout and the prefixed progress on stderr', async () => {
    const s = await twoApps('lg4');
    const run = await rig.run(['apply', s.manifests.dir, '--once', '--format', 'json'], s.home);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'converged', jobsQueued: 2, errors: [] });
    expect(run.stderr).toMatch(/^\[1\/\d+\] /m);
    expect(new Set(logLines(run.stderr).map((line) => /^ {6}(\S+)/.exec(line)![1]))).toEqual(new Set(['lg4/api', 'lg4/storefront']));

    const status = await rig.run(['status', '--format', 'json'], s.home);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ runs: [expect.objectContaining({ outcome: 'converged' })] });
  });
});

describe('the log line prefix', () => {
  it('pads to the longest app of the manifests, widens for a longer one, and prefixes each line of a multi-line message', () => {
    const prefix = logPrefixer(paint(false), ['shop/api', 'shop/storefront']);
    expect(prefix('shop/api', 'built')).toBe('      shop/api        | built\n');
    expect(prefix('shop/storefront', 'first\r\nsecond')).toBe('      shop/storefront | first\n      shop/storefront | second\n');
    // An app removed from the manifests (being destroyed) may be longer than any declared one.
    expect(prefix('shop/old-checkout-api', 'destroyed')).toBe('      shop/old-checkout-api | destroyed\n');
    expect(prefix('shop/api', 'done')).toBe('      shop/api              | done\n');
  });

  it('colours each app its own way when colour is on', () => {
    const prefix = logPrefixer(paint(true), ['a/x', 'a/y']);
    const [first, second] = [prefix('a/x', 'one'), prefix('a/y', 'two')];
    expect(first).toBe('      \u001b[36ma/x\u001b[39m \u001b[2m| one\u001b[22m\n');
    expect(second).toBe('      \u001b[35ma/y\u001b[39m \u001b[2m| two\u001b[22m\n');
  });
});
