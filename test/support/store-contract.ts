// The store contract: what every Store behind the port must do, whatever holds the
// data. A store's test file runs it with one line (see test/store-contract.test.ts);
// what only one store has (files, pruning, migrations) stays in that store's tests.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/reconciler/store-port.js';
import { deployedAppCases } from './store-contract-deployed.js';
import { runAndJobCases } from './store-contract-jobs.js';
import { recordCases } from './store-contract-records.js';
import { handClock, type HandClock } from './store-fixtures.js';

/** Opens a fresh, empty store whose own timestamps come from `now`. */
export type OpenStore = (now: () => Date) => Promise<Store>;

/** What each case works on: a store opened for it alone, and the clock that store reads. */
export interface ContractSubject {
  store: Store;
  clock: HandClock;
}

export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`store contract: ${name}`, () => {
    const clock = handClock();
    const subject: ContractSubject = { store: undefined as unknown as Store, clock };

    let opened: Store | undefined;
    beforeEach(async () => {
      clock.at = '2026-01-01T00:00:00.000Z';
      opened = undefined;
      subject.store = opened = await open(clock.now);
    });

    afterEach(async () => {
      await opened?.close();
    });

    it('starts empty', async () => {
      const { store } = subject;
      expect(await store.history.lastRuns(10)).toEqual([]);
      expect(await store.history.recentJobs(10)).toEqual([]);
      expect(await store.history.recentDeliveries(10)).toEqual([]);
      expect(await store.history.deployedApps()).toEqual([]);
      expect(await store.openJobs()).toEqual([]);
      expect(await store.queueIntents()).toEqual([]);
      expect(await store.inventory()).toEqual([]);
      expect(await store.releasePins()).toEqual([]);
      expect(await store.lastApplied('shop', 'web')).toBeUndefined();
      expect(await store.lastDeployment('shop', 'web')).toBeUndefined();
    });

    it('describes where it is', () => {
      expect(subject.store.describe).toMatch(/^[a-z][a-z0-9+.-]*:/);
    });

    const readers = ['lastRuns', 'recentJobs', 'recentDeliveries'] as const;
    it.each(readers.flatMap((reader) => [-1, 1.5, Number.NaN].map((limit) => [reader, limit] as const)))(
      'refuses history.%s(%d) with a RangeError',
      async (reader, limit) => {
        // Through an async function, so a store that throws before returning its promise
        // passes too: the SQLite store's recentDeliveries does (it is not declared async).
        await expect(async () => subject.store.history[reader](limit)).rejects.toThrow(RangeError);
      },
    );

    runAndJobCases(subject);
    recordCases(subject);
    deployedAppCases(subject);
  });
}
