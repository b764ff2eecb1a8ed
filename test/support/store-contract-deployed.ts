// The store contract, part three: each app Pilot deployed as its latest deployment left
// it (commit, when, URLs), which the status page shows again after a restart.

import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../src/reconciler/actual-state.js';
import type { ContractSubject } from './store-contract.js';
import { applied, job } from './store-fixtures.js';

const item = (project: string, name: string, kind: InventoryItem['kind'] = 'app'): InventoryItem => ({ kind, project, name, provider: 'aws', region: 'us-east-1' });

export function deployedAppCases(subject: ContractSubject): void {
  describe('deployed apps', () => {
    it('lists each app of the inventory with a finished deployment, by project and app', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'poll');
      for (const [project, name] of [['shop', 'web'], ['blog', 'site'], ['shop', 'api'], ['shop', 'queued']] as const) await store.addToInventory(item(project, name));
      await store.addToInventory(item('shop', 'orders', 'database'));
      await store.recordJob(job({ jobId: 'W', runId, state: 'success', commit: 'c1', urls: { release: 'https://web.example' }, finishedAt: '2026-01-01T00:01:00.000Z' }));
      await store.recordJob(job({ jobId: 'S', runId, project: 'blog', app: 'site', state: 'success', commit: 'c2', finishedAt: '2026-01-01T00:02:00.000Z' }));
      await store.recordJob(job({ jobId: 'A', runId, app: 'api', state: 'error', commit: 'c3', error: 'the image does not build', finishedAt: '2026-01-01T00:03:00.000Z' }));
      // Still deploying: nothing finished to show yet.
      await store.recordJob(job({ jobId: 'Q', runId, app: 'queued', state: 'running' }));
      // Deployed once, then torn down: no longer in the inventory.
      await store.recordJob(job({ jobId: 'G', runId, app: 'gone', state: 'success', finishedAt: '2026-01-01T00:04:00.000Z' }));
      await store.recordJob(job({ jobId: 'O', runId, app: 'orders', state: 'success', finishedAt: '2026-01-01T00:04:00.000Z' }));

      expect(await store.history.deployedApps()).toEqual([
        { project: 'blog', app: 'site', state: 'success', commit: 'c2', at: '2026-01-01T00:02:00.000Z' },
        { project: 'shop', app: 'api', state: 'error', commit: 'c3', at: '2026-01-01T00:03:00.000Z', error: 'the image does not build' },
        { project: 'shop', app: 'web', state: 'success', commit: 'c1', at: '2026-01-01T00:01:00.000Z', urls: { release: 'https://web.example' } },
      ]);
    });

    it('keeps the URLs of the last success when a later deployment fails, and ignores destroy jobs', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'poll');
      await store.addToInventory(item('shop', 'web'));
      await store.recordJob(job({ jobId: 'J1', runId, state: 'success', commit: 'c1', urls: { app: 'https://old.example' }, finishedAt: '2026-01-01T00:01:00.000Z' }));
      await store.recordJob(job({ jobId: 'J2', runId, state: 'success', commit: 'c2', urls: { release: 'https://web.example', app: 'https://app.example' }, finishedAt: '2026-01-01T00:02:00.000Z' }));
      await store.recordJob(job({ jobId: 'J3', runId, state: 'error', commit: 'c3', error: 'health check failed', finishedAt: '2026-01-01T00:03:00.000Z' }));
      await store.recordJob(job({ jobId: 'D1', runId, kind: 'destroy', state: 'success', commit: 'c9', urls: { app: 'https://destroyed.example' }, finishedAt: '2026-01-01T00:09:00.000Z' }));
      expect(await store.history.deployedApps()).toEqual([{
        project: 'shop', app: 'web', state: 'error', commit: 'c3', at: '2026-01-01T00:03:00.000Z', error: 'health check failed',
        urls: { release: 'https://web.example', app: 'https://app.example' },
      }]);
    });

    it('falls back to what was applied when no finished job is newer', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'poll');
      await store.addToInventory(item('shop', 'web'));
      await store.recordApplied(applied({ jobId: 'A1', commit: 'c5', at: '2026-01-01T00:05:00.000Z' }));
      expect(await store.history.deployedApps()).toEqual([{ project: 'shop', app: 'web', state: 'success', commit: 'c5', at: '2026-01-01T00:05:00.000Z' }]);
      await store.recordJob(job({ jobId: 'J0', runId, state: 'error', commit: 'c4', error: 'older', finishedAt: '2026-01-01T00:04:00.000Z' }));
      expect((await store.history.deployedApps()).map((a) => [a.state, a.commit])).toEqual([['success', 'c5']]);
      await store.recordJob(job({ jobId: 'J6', runId, state: 'success', commit: 'c6', urls: { app: 'https://web.example' }, finishedAt: '2026-01-01T00:06:00.000Z' }));
      expect(await store.history.deployedApps()).toEqual([{ project: 'shop', app: 'web', state: 'success', commit: 'c6', at: '2026-01-01T00:06:00.000Z', urls: { app: 'https://web.example' } }]);
    });
  });
}
