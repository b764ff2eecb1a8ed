// The status page in headless Chromium after a restart: a real daemon deploys two apps
// from a git work tree through the Waypoint emulator, one of them fails its next
// deployment, the daemon restarts, and the page still shows each app's URL, commit and
// deploy time, the runs from before the restart, and a headline that agrees with the
// last run; readable without JavaScript, with no console errors. The screenshot is left
// in test-results/status-page.png.

import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { folderSource, type ManifestSource } from '../src/daemon/manifest-source.js';
import type { DaemonStatus } from '../src/daemon/status.js';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { launchChromium } from './support/browser.js';
import { getJson, startTestDaemon, statusWhere, stopAllDaemons, waypointToken } from './support/daemon-harness.js';
import { app, githubSource } from './support/daemon-scenario.js';
import { createManifestRepo, removeTemporaryFolders } from './support/git-repos.js';
import { manifestFiles } from './support/reconcile-manifests.js';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const screenshot = path.join(root, 'test-results', 'status-page.png');

let emulator: Emulator;
let browser: Browser | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
});

afterEach(async () => {
  emulator.faults.clear();
  await stopAllDaemons();
  await browser?.close();
  browser = undefined;
});

afterAll(async () => {
  await emulator?.stop();
  await removeTemporaryFolders();
});

const settled = (s: DaemonStatus) => s.lastRun !== undefined && s.running === undefined;

/** The cells of each row of a table, as the page shows them. */
async function cells(page: Page, table: string): Promise<string[][]> {
  const rows = page.locator(`${table} tbody tr`);
  const texts: string[][] = [];
  for (let i = 0; i < (await rows.count()); i += 1) texts.push((await rows.nth(i).locator('td').allInnerTexts()).map((t) => t.trim()));
  return texts;
}

describe('the status page in a browser', () => {
  it('shows each app\'s URL, commit and deploy time, and the runs, across a restart, without contradicting itself', { timeout: 120_000 }, async () => {
    // First, so that a machine without Chromium fails at once, saying how to install it.
    browser = await launchChromium();
    const [web, api] = await Promise.all([githubSource('page-web'), githubSource('page-api')]);
    const project = (apiMemory: number) => manifestFiles({ name: 'page', apps: [app('web', web.https), app('api', api.https, { memory: apiMemory })] });
    const manifests = await createManifestRepo(project(512));

    // Before the restart: both apps deployed, then api's next deployment fails.
    const before = await startTestDaemon({ emulator, folder: manifests.dir });
    await statusWhere(before, (s) => settled(s) && s.lastRun?.outcome === 'converged', 'both apps deployed');
    emulator.faults.failApps = new Set(['page/api']);
    await manifests.commit(project(1024));
    const sync = await fetch(`${before.url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(sync.status).toBe(202);
    const failed = await statusWhere(before, (s) => settled(s) && s.lastRun?.triggers.join() === 'sync', 'the failing sync run');
    expect(failed.lastRun?.outcome).toBe('failed');
    await before.stop();

    // After it, held before its first run: the page has only what the store remembers.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated = (): ManifestSource => {
      const inner = folderSource(manifests.dir);
      return { describe: manifests.dir, next: () => gate.then(() => inner.next()) };
    };
    const after = await startTestDaemon({ emulator, source: gated, stateDir: before.stateDir });
    let restored: DaemonStatus;
    try {
      restored = (await getJson<DaemonStatus>(`${after.url}/api/status`)).body;
    } finally {
      open();
    }
    expect(restored.lastRun).toBeUndefined();
    expect(restored.apps).toEqual([
      expect.objectContaining({ app: 'api', state: 'failed', url: 'http://api.page.localhost', commit: api.first, deployedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
      expect.objectContaining({ app: 'web', state: 'converged', url: 'http://web.page.localhost', commit: web.first, deployedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    ]);
    expect(restored.runs.map((r) => [r.triggers.join(), r.outcome])).toEqual([['sync', 'failed'], ['startup', 'converged']]);

    // Its first run finds api's failed deployment, not retried: the last run failed again.
    const status = await statusWhere(after, (s) => settled(s), 'the first run after the restart');
    expect(status.lastRun?.outcome).toBe('failed');
    expect(status.ready).toMatchObject({ source: true, waypoint: true, store: true });
    expect(status.runs).toHaveLength(3);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    const response = await page.goto(`${after.url}/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);

    const headline = (await page.locator('body > p').first().innerText()).trim();
    expect(headline).toMatch(/^Ready \(the last run failed: see below\)\. Revision /);
    expect(await page.locator('body').innerText()).toMatch(/Last run: failed/);

    const apps = await cells(page, 'table#apps');
    const shortOf = (commit: string) => commit.slice(0, 12);
    const readable = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;
    expect(apps).toEqual([
      ['page/api', 'attention', 'http://api.page.localhost', shortOf(api.first), expect.stringMatching(readable), expect.stringContaining('not retried')],
      ['page/web', 'converged', 'http://web.page.localhost', shortOf(web.first), expect.stringMatching(readable), 'deployed'],
    ]);
    expect(await page.locator('table#apps a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['http://api.page.localhost', 'http://web.page.localhost']);
    expect(await page.locator('table#apps code').evaluateAll((codes) => codes.map((c) => c.getAttribute('title')))).toEqual([api.first, web.first]);
    const times = await page.locator('table#apps time').evaluateAll((nodes) => nodes.map((t) => t.getAttribute('datetime')));
    expect(times).toEqual(status.apps.map((a) => a.deployedAt));

    const runs = await cells(page, 'table#runs');
    expect(runs.map(([, outcome, revision, trigger]) => [outcome, revision, trigger])).toEqual([
      ['failed', shortOf(status.revision!), 'startup'],
      ['failed', shortOf(status.revision!), 'sync'],
      ['converged', shortOf(manifests.first), 'startup'],
    ]);
    for (const [started, , , , jobs, duration] of runs) {
      expect(started).toMatch(readable);
      expect(jobs).toMatch(/^\d+$/);
      expect(duration).toMatch(/^\d+(\.\d)? s$|^\d+ min \d+ s$/);
    }

    const html = await page.content();
    for (const local of [after.stateDir, manifests.dir, homedir()]) expect(html).not.toContain(local);
    await mkdir(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(problems).toEqual([]);

    // Without JavaScript a person reads the same page.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const plainPage = await plain.newPage();
    await plainPage.goto(`${after.url}/`);
    expect(await cells(plainPage, 'table#apps')).toEqual(apps);
    expect(await cells(plainPage, 'table#runs')).toHaveLength(3);
    expect(await plainPage.locator('script').count()).toBe(0);
  });
});
