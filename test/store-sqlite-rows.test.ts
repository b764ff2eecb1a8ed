// The SQLite store's own rows, as a second connection reads them: when a revision was
// seen, actions, one applied row per app, when an item entered the inventory; and the
// pruning of old runs, their actions and finished jobs (keepRuns).

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../src/reconciler/actual-state.js';
import { withFullSync } from '../src/store/open-database.js';
import { useSqliteFile } from './support/sqlite-file.js';
import { applied, handClock, job } from './support/store-fixtures.js';

const state = useSqliteFile();

describe('revisions, actions and pruning', () => {
  it('keeps when a revision was first and last seen', async () => {
    const clock = handClock();
    const store = state.open(clock);
    clock.at = '2026-01-01T00:00:01.000Z';
    await store.recordRevision('r1', 'invalid');
    clock.at = '2026-01-01T00:00:02.000Z';
    await store.recordRevision('r1', 'valid');
    expect(state.raw().prepare('SELECT * FROM revisions').all()).toEqual([
      { revision: 'r1', first_seen_at: '2026-01-01T00:00:01.000Z', last_seen_at: '2026-01-01T00:00:02.000Z', outcome: 'valid' },
    ]);
  });

  it('records actions against their run', async () => {
    const clock = handClock();
    const store = state.open(clock);
    const runId = await store.startRun('r1', 'poll');
    clock.at = '2026-01-01T00:00:02.000Z';
    await store.recordAction(runId, { id: 'up shop/web', status: 'failed', reason: 'image changed', error: 'build failed' });
    clock.at = '2026-01-01T00:00:03.000Z';
    await store.recordAction(runId, { id: 'ensure shop', status: 'done', reason: 'new project' });
    expect(state.raw().prepare('SELECT run_id, action_id, status, reason, error, at FROM actions ORDER BY rowid').all()).toEqual([
      { run_id: runId, action_id: 'up shop/web', status: 'failed', reason: 'image changed', error: 'build failed', at: '2026-01-01T00:00:02.000Z' },
      { run_id: runId, action_id: 'ensure shop', status: 'done', reason: 'new project', error: null, at: '2026-01-01T00:00:03.000Z' },
    ]);
  });

  it('refuses an action for an unknown run (foreign keys are on)', async () => {
    await expect(state.open().recordAction(99, { id: 'x', status: 'done', reason: 'r' })).rejects.toThrow(/FOREIGN KEY/);
  });

  it('keeps the newest runs with their actions and finished jobs, and a run whose job is still open', async () => {
    const store = state.open({ keepRuns: 2 });
    const first = await store.startRun('r1', 'poll');
    await store.recordAction(first, { id: 'deploy:shop/web', status: 'done', reason: 'new app' });
    await store.recordJob(job({ jobId: 'j-done', runId: first, state: 'success' }));
    const second = await store.startRun('r2', 'poll');
    await store.recordJob(job({ jobId: 'j-open', runId: second, state: 'running' }));
    await store.recordAction(second, { id: 'deploy:shop/api', status: 'done', reason: 'new app' });
    await store.startRun('r3', 'poll');
    await store.startRun('r4', 'poll');
    const raw = state.raw();
    expect(raw.prepare('SELECT id FROM runs ORDER BY id').pluck().all()).toEqual([second, 3, 4]);
    expect(raw.prepare('SELECT count(*) FROM actions').pluck().get()).toBe(0);
    expect((await store.history.recentJobs(10)).map((j) => j.jobId)).toEqual(['j-open']);
    expect((await store.openJobs()).map((j) => j.jobId)).toEqual(['j-open']);
  });

  it('keeps the job each app was last applied by, with its run, so its URLs outlive the pruning', async () => {
    const store = state.open({ keepRuns: 2 });
    const first = await store.startRun('r1', 'poll');
    const urls = { release: 'https://web.example' };
    await store.addToInventory({ kind: 'app', project: 'shop', name: 'web', provider: 'aws', region: 'us-east-1' });
    await store.recordJob(job({ jobId: 'j-old', runId: first, state: 'success', commit: 'c0', finishedAt: '2026-01-01T00:00:30.000Z' }));
    await store.recordJob(job({ jobId: 'j-applied', runId: first, state: 'success', commit: 'c1', urls, finishedAt: '2026-01-01T00:01:00.000Z' }));
    await store.recordApplied(applied({ jobId: 'j-applied', commit: 'c1', at: '2026-01-01T00:01:00.000Z' }));
    for (const revision of ['r2', 'r3', 'r4']) await store.startRun(revision, 'drift');
    expect(state.raw().prepare('SELECT id FROM runs ORDER BY id').pluck().all()).toEqual([first, 3, 4]);
    expect((await store.history.recentJobs(10)).map((j) => j.jobId)).toEqual(['j-applied']);
    expect(await store.history.deployedApps()).toEqual([{ project: 'shop', app: 'web', state: 'success', commit: 'c1', at: '2026-01-01T00:01:00.000Z', urls }]);
  });
});

describe('rows', () => {
  it('leaves commits synced as NORMAL after a fully synced write, even one that throws', () => {
    const db = state.track(new Database(':memory:'));
    db.pragma('synchronous = NORMAL');
    expect(withFullSync(db, () => db.pragma('synchronous', { simple: true }))).toBe(2);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(() =>
      withFullSync(db, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('keeps one applied row per app', async () => {
    const store = state.open();
    await store.recordApplied(applied());
    await store.recordApplied(applied({ app: 'api', jobId: 'j2' }));
    await store.recordApplied(applied({ jobId: 'j3', at: '2026-01-02T00:00:00.000Z' }));
    expect(state.raw().prepare('SELECT count(*) FROM applied').pluck().get()).toBe(2);
  });

  it('keeps when an inventory item was first added', async () => {
    const item: InventoryItem = { kind: 'database', project: 'shop', name: 'orders', provider: 'aws', region: 'eu-west-1', deletionProtection: true };
    const clock = handClock();
    const store = state.open(clock);
    clock.at = '2026-01-01T00:00:01.000Z';
    await store.addToInventory(item);
    clock.at = '2026-01-01T00:00:02.000Z';
    await store.addToInventory({ ...item, deletionProtection: false });
    expect(state.raw().prepare('SELECT added_at FROM inventory').pluck().all()).toEqual(['2026-01-01T00:00:01.000Z']);
  });
});

