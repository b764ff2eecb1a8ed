// The store contract, part two: what was applied, the inventory pruning relies on,
// release pins and the GitHub deliveries seen.

import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../src/reconciler/actual-state.js';
import type { DesiredDatabase } from '../../src/reconciler/desired-state.js';
import type { ContractSubject } from './store-contract.js';
import { applied } from './store-fixtures.js';

const db: InventoryItem = { kind: 'database', project: 'shop', name: 'orders', provider: 'aws', region: 'eu-west-1', deletionProtection: true };
const app: InventoryItem = { kind: 'app', project: 'shop', name: 'web', provider: 'gcp', region: 'europe-west1' };
const declared: DesiredDatabase = {
  project: 'shop', name: 'orders', provider: 'aws', region: 'eu-west-1', engine: 'postgres', version: '16', size: 'small',
  storageGB: 20, deletionProtection: true, origin: { file: 'pilot.yaml', line: 12 },
};

export function recordCases(subject: ContractSubject): void {
  describe('applied', () => {
    it('has nothing for an app never applied', async () => {
      expect(await subject.store.lastApplied('shop', 'web')).toBeUndefined();
    });

    it('keeps the latest record per app', async () => {
      const { store } = subject;
      await store.recordApplied(applied());
      await store.recordApplied(applied({ app: 'api', jobId: 'j2' }));
      const latest = applied({ jobId: 'j3', configHash: 'h2', state: 'error', spec: { image: 'web:2' }, revision: 'r2', at: '2026-01-02T00:00:00.000Z' });
      await store.recordApplied({ ...latest, waypointHcl: 'app "web" {}' });
      await store.recordApplied(latest);

      expect(await store.lastApplied('shop', 'web')).toEqual(latest);
      expect(await store.lastApplied('shop', 'api')).toEqual(applied({ app: 'api', jobId: 'j2' }));
    });
  });

  describe('inventory', () => {
    it('round-trips items, with and without deletion protection, ordered by kind, project and name', async () => {
      const { store } = subject;
      await store.addToInventory(db);
      await store.addToInventory(app);
      await store.addToInventory({ ...app, name: 'worker', deletionProtection: false });
      expect(await store.inventory()).toEqual([app, { ...app, name: 'worker', deletionProtection: false }, db]);
    });

    it('adds the same item once, keeping what changed', async () => {
      const { store } = subject;
      await store.addToInventory(db);
      await store.addToInventory({ ...db, deletionProtection: false });
      expect(await store.inventory()).toEqual([{ ...db, deletionProtection: false }]);
    });

    it('keeps what was declared when the item is added again without it, and replaces it when given', async () => {
      const { store } = subject;
      await store.addToInventory({ ...db, declared });
      await store.addToInventory({ ...db, region: 'eu-central-1' });
      expect(await store.inventory()).toEqual([{ ...db, region: 'eu-central-1', declared }]);
      await store.addToInventory({ ...db, declared: { ...declared, storageGB: 50 } });
      expect(await store.inventory()).toEqual([{ ...db, declared: { ...declared, storageGB: 50 } }]);
    });

    it('removes one item by kind, project and name', async () => {
      const { store } = subject;
      await store.addToInventory(db);
      await store.addToInventory(app);
      await store.addToInventory({ ...app, kind: 'database', name: 'web' });
      await store.removeFromInventory('app', 'shop', 'web');
      await store.removeFromInventory('app', 'shop', 'absent');
      expect(await store.inventory()).toEqual([db, { ...app, kind: 'database', name: 'web' }]);
    });
  });

  describe('release pins', () => {
    it('keeps one pin per app, replaced by a newer release, until unpinned', async () => {
      const { store, clock } = subject;
      clock.at = '2026-01-01T00:00:01.000Z';
      await store.pinRelease({ project: 'shop', app: 'web', tag: 'v1', trackedRef: 'main', baseCommit: 'a'.repeat(40) });
      await store.pinRelease({ project: 'shop', app: 'api', tag: 'v7', trackedRef: 'stable', baseCommit: 'c'.repeat(40) });
      clock.at = '2026-01-01T00:00:02.000Z';
      await store.pinRelease({ project: 'shop', app: 'web', tag: 'v2', trackedRef: 'main', baseCommit: 'b'.repeat(40) });
      expect(await store.releasePins()).toEqual([
        { project: 'shop', app: 'api', tag: 'v7', trackedRef: 'stable', baseCommit: 'c'.repeat(40), at: '2026-01-01T00:00:01.000Z' },
        { project: 'shop', app: 'web', tag: 'v2', trackedRef: 'main', baseCommit: 'b'.repeat(40), at: '2026-01-01T00:00:02.000Z' },
      ]);
      await store.unpinRelease('shop', 'web');
      expect((await store.releasePins()).map((p) => p.app)).toEqual(['api']);
    });
  });

  describe('deliveries', () => {
    it('claims an id once, records its result and lists the newest first', async () => {
      const { store, clock } = subject;
      clock.at = '2026-01-01T00:00:01.000Z';
      expect(await store.deliveries.claim('d-1', 'push')).toBe(true);
      expect(await store.deliveries.claim('d-2', 'ping')).toBe(true);
      clock.at = '2026-01-01T00:00:03.000Z';
      expect(await store.deliveries.claim('d-3', 'release')).toBe(true);
      // A duplicate changes nothing: not the event, not when it was received.
      expect(await store.deliveries.claim('d-1', 'pull_request')).toBe(false);
      await store.deliveries.finish('d-1', 'dispatched');
      await store.deliveries.finish('d-unknown', 'failed');
      clock.at = '2026-01-01T00:00:02.000Z';
      expect(await store.deliveries.claim('d-4', 'push')).toBe(true);

      expect(await store.history.recentDeliveries(10)).toEqual([
        { id: 'd-3', event: 'release', result: 'received', receivedAt: '2026-01-01T00:00:03.000Z' },
        { id: 'd-4', event: 'push', result: 'received', receivedAt: '2026-01-01T00:00:02.000Z' },
        { id: 'd-2', event: 'ping', result: 'received', receivedAt: '2026-01-01T00:00:01.000Z' },
        { id: 'd-1', event: 'push', result: 'dispatched', receivedAt: '2026-01-01T00:00:01.000Z' },
      ]);
      expect((await store.history.recentDeliveries(2)).map((d) => d.id)).toEqual(['d-3', 'd-4']);
    });
  });
}
