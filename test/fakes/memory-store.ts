// An in-memory Store for fast tests of the reconcile shell, and a second
// implementation for the store contract suite to hold to the same rules as SQLite:
// replayed jobs rewrite, partial updates, intents resolved or dropped, inventory
// refreshed, newest first in history.

import type { DeployRecord, InventoryItem } from '../../src/reconciler/actual-state.js';
import type { AppliedRecord, AppRecords, DeliveryRecord, DeployedApp, JobRecord, ReleasePin, RunRecord, Store } from '../../src/reconciler/store-port.js';

const key = (...parts: string[]) => parts.join('\u0000');
const open = new Set(['queued', 'running']);
const copy = <T>(value: T): T => structuredClone(value);
/** SQLite's BINARY collation: by UTF-16 code unit, as `<` compares, not by locale. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Oldest first by `at`, ties in the order recorded (SQLite's rowid): the caller reverses for newest first. */
const oldestFirst = <T>(rows: T[], at: (row: T) => string) => rows.map((row, i) => ({ row, i }))
  .sort((a, b) => byText(at(a.row), at(b.row)) || a.i - b.i).map(({ row }) => row);

function limited(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  return limit;
}

export function openMemoryStore(now: () => Date = () => new Date()): Store & { revisions: Map<string, string> } {
  const at = () => now().toISOString();
  const runs: RunRecord[] = [];
  const jobs: JobRecord[] = [];
  const applied = new Map<string, AppliedRecord>();
  const inventory = new Map<string, InventoryItem>();
  const pins = new Map<string, ReleasePin>();
  const deliveries: DeliveryRecord[] = [];
  const revisions = new Map<string, string>();
  const finishedUp = (project: string, app: string) =>
    oldestFirst(jobs.filter((j) => j.project === project && j.app === app && j.kind === 'up' && (j.state === 'success' || j.state === 'error')),
      (j) => j.finishedAt ?? '').at(-1);
  const deployed = (project: string, app: string): DeployedApp[] => {
    const job = finishedUp(project, app);
    const last = applied.get(key(project, app));
    const urls = oldestFirst(jobs.filter((j) => j.project === project && j.app === app && j.kind === 'up' && j.state === 'success'), (j) => j.finishedAt ?? '').at(-1)?.urls;
    const where = { project, app, ...(urls ? { urls: copy(urls) } : {}) };
    if (job && (!last || (job.finishedAt ?? '') >= last.at)) {
      return [{ ...where, state: job.state as DeployedApp['state'], commit: job.commit, at: job.finishedAt ?? job.queuedAt, ...(job.error === undefined ? {} : { error: job.error }) }];
    }
    return last ? [{ ...where, state: last.state, commit: last.commit, at: last.at }] : [];
  };
  return {
    describe: 'memory:', revisions,
    async recordRevision(revision, outcome) { revisions.set(revision, outcome); },
    async startRun(revision, trigger) { runs.push({ id: runs.length + 1, revision, trigger, startedAt: at() }); return runs.length; },
    async finishRun(runId, outcome, summary) {
      const run = runs[runId - 1];
      if (!run) throw new Error(`no run ${runId} to finish`);
      Object.assign(run, { outcome, summary: copy(summary), finishedAt: at() });
    },
    async recordAction() {},
    // A replay rewrites the job in its place, as SQLite's upsert keeps the row.
    async recordJob(job) {
      const index = jobs.findIndex((j) => j.jobId === job.jobId);
      if (index >= 0) jobs[index] = copy(job);
      else jobs.push(copy(job));
    },
    async updateJob(jobId, update) {
      const job = jobs.find((j) => j.jobId === jobId);
      if (!job) throw new Error(`no job ${jobId} to update; recordJob must come first`);
      for (const [name, value] of Object.entries(update)) if (value !== undefined) Object.assign(job, { [name]: copy(value) });
    },
    async openJobs() { return oldestFirst(jobs.filter((j) => open.has(j.state)), (j) => j.queuedAt).map(copy); },
    async queueIntents() { return oldestFirst(jobs.filter((j) => j.state === 'queueing'), (j) => j.queuedAt).map(copy); },
    async resolveIntent(provisionalId, jobId) {
      const index = jobs.findIndex((j) => j.jobId === provisionalId && j.state === 'queueing');
      if (index < 0) return;
      if (jobId && !jobs.some((j) => j.jobId === jobId)) jobs[index] = { ...jobs[index]!, jobId, state: 'queued' };
      else jobs.splice(index, 1);
    },
    async recordApplied(record) { applied.set(key(record.project, record.app), copy(record)); },
    async lastApplied(project, app) { const record = applied.get(key(project, app)); return record && copy(record); },
    async lastDeployment(project, app): Promise<DeployRecord | undefined> {
      const job = finishedUp(project, app);
      const last = applied.get(key(project, app));
      if (job && (!last || (job.finishedAt ?? '') >= last.at)) return { jobId: job.jobId, configHash: job.configHash, commit: job.commit, state: job.state as DeployRecord['state'] };
      return last ? { jobId: last.jobId, configHash: last.configHash, commit: last.commit, state: last.state } : undefined;
    },
    async appRecords(projects) {
      const wanted = projects ? new Set(projects) : undefined;
      const keys = new Set([...applied.keys(), ...[...jobs.values()].map((j) => key(j.project, j.app))]);
      const records = new Map<string, AppRecords>();
      for (const k of keys) {
        const [project, app] = k.split('\0') as [string, string];
        if (wanted && !wanted.has(project)) continue;
        const { waypointHcl: _hcl, ...last } = (await this.lastApplied(project, app)) ?? {};
        const deployed = await this.lastDeployment(project, app);
        const applied = 'jobId' in last ? (last as AppliedRecord) : undefined;
        if (applied || deployed) records.set(`${project}/${app}`, { ...(applied ? { applied } : {}), ...(deployed ? { deployed } : {}) });
      }
      return records;
    },
    async inventory() { return [...inventory.values()].sort((a, b) => byText(key(a.kind, a.project, a.name), key(b.kind, b.project, b.name))).map(copy); },
    async addToInventory(item) {
      const before = inventory.get(key(item.kind, item.project, item.name));
      inventory.set(key(item.kind, item.project, item.name), copy({ ...item, ...(item.declared || !before?.declared ? {} : { declared: before.declared }) }));
    },
    async removeFromInventory(kind, project, name) { inventory.delete(key(kind, project, name)); },
    async pinRelease(pin) { pins.set(key(pin.project, pin.app), { ...pin, at: at() }); },
    async releasePins() { return [...pins.values()].sort((a, b) => byText(key(a.project, a.app), key(b.project, b.app))).map(copy); },
    async unpinRelease(project, app) { pins.delete(key(project, app)); },
    deliveries: {
      async claim(id, event) {
        if (deliveries.some((d) => d.id === id)) return false;
        deliveries.push({ id, event, result: 'received', receivedAt: at() });
        return true;
      },
      async finish(id, result) { const d = deliveries.find((x) => x.id === id); if (d) d.result = result; },
    },
    history: {
      async lastRuns(limit) { return runs.slice().reverse().slice(0, limited(limit)).map(copy); },
      async recentJobs(limit) { return oldestFirst(jobs, (j) => j.queuedAt).reverse().slice(0, limited(limit)).map(copy); },
      async recentDeliveries(limit) { return oldestFirst(deliveries, (d) => d.receivedAt).reverse().slice(0, limited(limit)).map(copy); },
      async deployedApps() {
        const apps = [...inventory.values()].filter((i) => i.kind === 'app').sort((a, b) => byText(key(a.project, a.name), key(b.project, b.name)));
        return apps.flatMap((i) => deployed(i.project, i.name));
      },
    },
    async close() {},
  };
}
