// Records and a hand-moved clock for the store tests: the contract suite and the
// SQLite-only checks build the same jobs and applied records.

import type { AppliedRecord, JobRecord } from '../../src/reconciler/store-port.js';

export interface HandClock {
  at: string;
  now: () => Date;
}

/** A clock the test moves by hand: `clock.at = '...'` before a write. */
export function handClock(at = '2026-01-01T00:00:00.000Z'): HandClock {
  const clock: HandClock = { at, now: () => new Date(clock.at) };
  return clock;
}

export function job(overrides: Partial<JobRecord> & Pick<JobRecord, 'jobId' | 'runId'>): JobRecord {
  return {
    project: 'shop',
    app: 'web',
    kind: 'up',
    configHash: 'h1',
    commit: 'c0ffee',
    state: 'queued',
    queuedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function applied(overrides: Partial<AppliedRecord> = {}): AppliedRecord {
  return {
    project: 'shop',
    app: 'web',
    jobId: 'j1',
    configHash: 'h1',
    commit: 'c0ffee',
    state: 'success',
    spec: { image: 'web:1', replicas: 2, public: true },
    revision: 'r1',
    at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
