// The store contract, part one: runs, Pilot's jobs, queue intents and what was last
// deployed, as the reconciler relies on them after a restart.

import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/reconciler/store-port.js';
import type { ContractSubject } from './store-contract.js';
import { applied, job } from './store-fixtures.js';

export function runAndJobCases(subject: ContractSubject): void {
  describe('runs', () => {
    it('round-trips a run, finished and not', async () => {
      const { store, clock } = subject;
      clock.at = '2026-01-01T00:00:01.000Z';
      const first = await store.startRun('r1', 'poll');
      clock.at = '2026-01-01T00:00:02.000Z';
      const second = await store.startRun('r2', 'webhook');
      const summary = { applied: ['shop/web'], failed: [], counts: { up: 1 } };
      clock.at = '2026-01-01T00:00:03.000Z';
      await store.finishRun(first, 'converged', summary);

      expect(second).toBeGreaterThan(first);
      expect(await store.history.lastRuns(10)).toEqual([
        { id: second, revision: 'r2', trigger: 'webhook', startedAt: '2026-01-01T00:00:02.000Z' },
        {
          id: first,
          revision: 'r1',
          trigger: 'poll',
          startedAt: '2026-01-01T00:00:01.000Z',
          finishedAt: '2026-01-01T00:00:03.000Z',
          outcome: 'converged',
          summary,
        },
      ]);
    });

    it('refuses to finish a run it never started', async () => {
      await expect(subject.store.finishRun(42, 'failed', {})).rejects.toThrow(/no run 42/);
    });

    it('lists the newest runs first, up to the limit', async () => {
      const { store } = subject;
      const ids: number[] = [];
      for (const revision of ['r1', 'r2', 'r3', 'r4']) ids.push(await store.startRun(revision, 'poll'));
      expect((await store.history.lastRuns(2)).map((r) => r.id)).toEqual([ids[3], ids[2]]);
      expect(await store.history.lastRuns(0)).toEqual([]);
      await expect(store.history.lastRuns(-1)).rejects.toThrow(RangeError);
    });
  });

  describe('jobs', () => {
    it('round-trips a job with every field', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'poll');
      const full = job({
        jobId: 'j1',
        runId,
        kind: 'destroy',
        state: 'error',
        urls: { release: 'https://web.example', deploy: 'https://web--v3.example' },
        error: 'the app has no image',
        finishedAt: '2026-01-01T00:05:00.000Z',
      });
      await store.recordJob(full);
      expect(await store.history.recentJobs(5)).toEqual([full]);
    });

    it('records the same job twice as one', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'poll');
      await store.recordJob(job({ jobId: 'j1', runId }));
      await store.recordJob(job({ jobId: 'j1', runId, state: 'running' }));
      expect(await store.history.recentJobs(5)).toEqual([job({ jobId: 'j1', runId, state: 'running' })]);
    });

    it('lists only queued and running jobs as open, oldest first', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'poll');
      const states: JobRecord['state'][] = ['running', 'queueing', 'queued', 'success', 'error', 'lost'];
      for (const [i, state] of states.entries()) {
        await store.recordJob(job({ jobId: `j-${state}`, runId, state, queuedAt: `2026-01-01T00:00:0${9 - i}.000Z` }));
      }
      expect((await store.openJobs()).map((j) => j.jobId)).toEqual(['j-queued', 'j-running']);
    });

    it('updates only the fields given', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'poll');
      await store.recordJob(job({ jobId: 'j1', runId }));

      await store.updateJob('j1', { state: 'running' });
      expect((await store.history.recentJobs(1))[0]).toEqual(job({ jobId: 'j1', runId, state: 'running' }));

      await store.updateJob('j1', { state: 'success', urls: { app: 'https://web.example' }, finishedAt: '2026-01-01T00:01:00.000Z' });
      await store.updateJob('j1', {});
      expect((await store.history.recentJobs(1))[0]).toEqual(
        job({ jobId: 'j1', runId, state: 'success', urls: { app: 'https://web.example' }, finishedAt: '2026-01-01T00:01:00.000Z' }),
      );
      expect(await store.openJobs()).toEqual([]);
    });

    it('refuses to update a job it never recorded', async () => {
      await expect(subject.store.updateJob('ghost', { state: 'success' })).rejects.toThrow(/no job ghost/);
    });

    it('lists the most recently queued jobs first, up to the limit', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'poll');
      await store.recordJob(job({ jobId: 'b', runId, queuedAt: '2026-01-01T00:00:02.000Z' }));
      await store.recordJob(job({ jobId: 'a', runId, queuedAt: '2026-01-01T00:00:01.000Z' }));
      await store.recordJob(job({ jobId: 'c', runId, queuedAt: '2026-01-01T00:00:03.000Z' }));
      await store.recordJob(job({ jobId: 'd', runId, queuedAt: '2026-01-01T00:00:03.000Z' }));
      // A replay keeps the job's place among jobs queued at the same time.
      await store.recordJob(job({ jobId: 'c', runId, queuedAt: '2026-01-01T00:00:03.000Z', state: 'running' }));
      expect((await store.history.recentJobs(3)).map((j) => j.jobId)).toEqual(['d', 'c', 'b']);
      expect(await store.history.recentJobs(10)).toHaveLength(4);
    });
  });

  describe('queue intents and the last deployment', () => {
    it('turns an intent into its job, drops one without a job, and never clashes with a job recorded meanwhile', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'test');
      for (const id of ['intent:1', 'intent:2', 'intent:3']) await store.recordJob(job({ jobId: id, runId, state: 'queueing' }));
      await store.recordJob(job({ jobId: 'J3', runId, state: 'running' }));
      expect((await store.queueIntents()).map((j) => j.jobId)).toEqual(['intent:1', 'intent:2', 'intent:3']);
      await store.resolveIntent('intent:1', 'J1');
      await store.resolveIntent('intent:2', undefined);
      await store.resolveIntent('intent:3', 'J3');
      expect(await store.queueIntents()).toEqual([]);
      expect((await store.openJobs()).map((j) => [j.jobId, j.state]).sort()).toEqual([['J1', 'queued'], ['J3', 'running']]);
    });

    it('says what was last deployed from finished jobs, else from what was applied', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'test');
      expect(await store.lastDeployment('shop', 'web')).toBeUndefined();
      await store.recordJob(job({ jobId: 'J1', runId, state: 'success', finishedAt: '2026-01-01T00:01:00.000Z' }));
      await store.recordJob(job({ jobId: 'J2', runId, state: 'error', configHash: 'h2', finishedAt: '2026-01-01T00:02:00.000Z' }));
      await store.recordJob(job({ jobId: 'J3', runId, state: 'lost', configHash: 'h3', finishedAt: '2026-01-01T00:03:00.000Z' }));
      expect(await store.lastDeployment('shop', 'web')).toEqual({ jobId: 'J2', configHash: 'h2', commit: 'c0ffee', state: 'error' });
    });

    it('takes the newer of the last finished up job of the app and what was applied', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'test');
      await store.recordApplied(applied({ jobId: 'A1', at: '2026-01-01T00:02:00.000Z' }));
      const fromApplied = { jobId: 'A1', configHash: 'h1', commit: 'c0ffee', state: 'success' };
      expect(await store.lastDeployment('shop', 'web')).toEqual(fromApplied);
      await store.recordJob(job({ jobId: 'J1', runId, state: 'success', finishedAt: '2026-01-01T00:01:00.000Z' }));
      await store.recordJob(job({ jobId: 'D1', runId, kind: 'destroy', state: 'success', finishedAt: '2026-01-01T00:09:00.000Z' }));
      await store.recordJob(job({ jobId: 'O1', runId, app: 'api', state: 'success', finishedAt: '2026-01-01T00:09:00.000Z' }));
      expect(await store.lastDeployment('shop', 'web')).toEqual(fromApplied);
      // A job that finished when the record was written is the newer of the two.
      await store.recordJob(job({ jobId: 'J2', runId, state: 'error', configHash: 'h2', finishedAt: '2026-01-01T00:02:00.000Z' }));
      expect(await store.lastDeployment('shop', 'web')).toEqual({ jobId: 'J2', configHash: 'h2', commit: 'c0ffee', state: 'error' });
    });

    it('reads every app\'s records at once, as the one-app reads say them, for the projects asked', async () => {
      const { store } = subject;
      const runId = await store.startRun('r1', 'test');
      await store.recordApplied(applied({ jobId: 'A1', at: '2026-01-01T00:02:00.000Z', waypointHcl: 'project = "shop"\n' }));
      await store.recordApplied(applied({ project: 'blog', app: 'site', jobId: 'B1', at: '2026-01-01T00:02:00.000Z' }));
      await store.recordJob(job({ jobId: 'J2', runId, state: 'error', configHash: 'h2', finishedAt: '2026-01-01T00:03:00.000Z' }));
      await store.recordJob(job({ jobId: 'J3', runId, state: 'success', configHash: 'h3', finishedAt: '2026-01-01T00:01:00.000Z' }));
      await store.recordJob(job({ jobId: 'O1', runId, app: 'api', state: 'success', finishedAt: '2026-01-01T00:09:00.000Z' }));
      await store.recordJob(job({ jobId: 'Q1', runId, app: 'worker', state: 'queued' }));
      const all = await store.appRecords();
      expect([...all.keys()].sort()).toEqual(['blog/site', 'shop/api', 'shop/web']);
      for (const [key, record] of all) {
        const [project, app] = key.split('/') as [string, string];
        expect(record.deployed).toEqual(await store.lastDeployment(project, app));
        // Without the waypoint.hcl, which a plan does not need.
        const { waypointHcl: _hcl, ...last } = (await store.lastApplied(project, app)) ?? {};
        expect(record.applied ?? {}).toEqual(last);
        expect(record.applied && 'waypointHcl' in record.applied).toBeFalsy();
      }
      expect(all.get('shop/web')?.deployed).toEqual({ jobId: 'J2', configHash: 'h2', commit: 'c0ffee', state: 'error' });
      expect([...(await store.appRecords(['blog'])).keys()]).toEqual(['blog/site']);
      expect((await store.appRecords([])).size).toBe(0);
    });
  });
}
