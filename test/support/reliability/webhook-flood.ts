// Scenario: a flood of GitHub deliveries to a running daemon, a tenth of them redelivered
// (the same X-GitHub-Delivery, body and signature) and a tenth forged (another secret, a
// body changed after signing, a signature lifted from another delivery, some of them
// under the id of a real delivery still to come). Every valid delivery is acted on once,
// every forged one is refused with 401 without using up its id, and the delivery log
// stays within its bound (state.db is filled close to it first, so the bound is crossed).

import { startEmulator } from '../../../src/dev/waypoint-emulator/index.js';
import { deliveriesKept, openSqliteStore, stateDbPath } from '../../../src/store/index.js';
import { githubAlias, startTestDaemon, statusWhere, waypointToken, webhookSecret, type TestDaemon } from '../daemon-harness.js';
import { app, manifestRemote } from '../daemon-scenario.js';
import { deliver, example, pushPayload, signed, type Delivery } from '../daemon-webhooks.js';
import { createSourceRepo, temporaryFolder } from '../git-repos.js';
import { seeded, type Random } from './random.js';

export interface FloodSize {
  deliveries: number;
  /** Shares of redeliveries and forgeries. */
  duplicateShare: number;
  forgedShare: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  /** Rows put in the delivery log before the daemon starts, so that the flood crosses its bound. */
  prefill: number;
  seed: number;
}

export const floodSizes = {
  small: { deliveries: 300, duplicateShare: 0.1, forgedShare: 0.1, concurrency: 16, prefill: deliveriesKept - 150, seed: 4_242 },
  full: { deliveries: 10_000, duplicateShare: 0.1, forgedShare: 0.1, concurrency: 16, prefill: 5_000, seed: 4_242 },
} satisfies Record<string, FloodSize>;

/** What a valid delivery asks for: a reconcile of the tracked branch, or nothing Pilot acts on. */
type Kind = 'push-tracked' | 'push-other-branch' | 'ping' | 'issues';
type Forgery = 'other-secret' | 'changed-body' | 'lifted-signature';

/** One delivery to send, made when it is sent (10,000 bodies held at once would weigh more than the daemon). */
interface Planned {
  id: string;
  kind: Kind;
  /** Which body: a redelivery has its delivery's, so the same bytes and signature. */
  body: number;
  forged?: Forgery;
  duplicate?: boolean;
}

export interface FloodResult {
  seed: number;
  sent: number;
  valid: number;
  duplicates: number;
  forged: number;
  /** Forgeries sent under the id of a valid delivery sent later. */
  forgedReusingIds: number;
  /** Answers by status. */
  statuses: Record<string, number>;
  /** Valid ids answered 202 other than exactly once. */
  notAcceptedOnce: string[];
  /** Forged deliveries answered other than 401. */
  forgedNotRefused: number;
  /** Redeliveries answered other than 200 "duplicate" (or, for the one that won the race, 202). */
  duplicatesNotRefused: number;
  /** Requests the deliveries pushed onto the daemon's queue, and how many were expected. */
  requests: number;
  expectedRequests: number;
  /** Ids whose "webhook delivery handled" line appears other than once (dispatched) or at all (others). */
  handledWrong: string[];
  /** Rows of the delivery log at the end, and the bound. */
  deliveryRows: number;
  deliveryBound: number;
  /** Valid ids missing from the log, or recorded with another result than dispatched or ignored. */
  logWrong: string[];
  deliveriesPerSecond: number;
  /** This process's memory (the daemon runs in it) as the flood began, at its highest sample (every 64 batches), and once it was over. */
  memoryMiB: { before: MemorySample; peak: MemorySample; after: MemorySample };
  /** Of which the test's copy of the daemon's log (every line is kept to count them), in MiB. */
  logCaptureMiB: number;
  durationMs: number;
  violations: string[];
}

const fullName = 'acme/flood-manifests';

interface MemorySample {
  heapUsed: number;
  rss: number;
}

/** After a full collection when the soak made one possible (bench/soak.ts), so that what is sampled is what is kept. */
function sample(): MemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed: Math.round(heapUsed / 2 ** 20), rss: Math.round(rss / 2 ** 20) };
}

function plan(size: FloodSize, random: Random): Planned[] {
  const validCount = Math.round(size.deliveries * (1 - size.duplicateShare - size.forgedShare));
  const kinds: Kind[] = ['push-tracked', 'push-tracked', 'push-other-branch', 'ping', 'issues'];
  const valid: Planned[] = Array.from({ length: validCount }, (_, i) => ({ id: `flood-${size.seed}-${String(i).padStart(6, '0')}`, kind: random.pick(kinds), body: i }));
  const order: Planned[] = [...valid];
  const placeOf = (id: string) => order.findIndex((o) => o.id === id && !o.duplicate && !o.forged);
  // Redeliveries: after their delivery, near it (perhaps at the same time) or much later.
  for (let n = 0; n < Math.round(size.deliveries * size.duplicateShare); n++) {
    const of = valid[random.int(0, validCount - 1)]!;
    order.splice(Math.min(order.length, placeOf(of.id) + random.int(0, size.concurrency * 4)), 0, { ...of, duplicate: true });
  }
  // Forgeries: half under an id of their own, half under the id of a valid delivery two batches or more ahead.
  const forgeries: Forgery[] = ['other-secret', 'changed-body', 'lifted-signature'];
  for (let n = 0; n < Math.round(size.deliveries * size.forgedShare); n++) {
    const forged = random.pick(forgeries);
    const kind = random.pick(kinds);
    const body = validCount + n;
    if (random.next() < 0.5) {
      const target = valid[random.int(0, validCount - 1)]!;
      order.splice(Math.max(0, placeOf(target.id) - size.concurrency * 2 - random.int(0, size.concurrency * 4)), 0, { id: target.id, kind, body, forged });
    } else {
      order.splice(random.int(0, order.length), 0, { id: `forged-${size.seed}-${n}`, kind, body, forged });
    }
  }
  return order;
}

/** The delivery as sent: signed with the daemon's secret, or forged one of three ways. */
async function deliveryFor(planned: Planned, url: string, commit: string): Promise<Delivery> {
  const { id, kind, body: i } = planned;
  const event = kind === 'push-tracked' || kind === 'push-other-branch' ? 'push' : kind;
  const payload = kind === 'push-tracked' ? pushPayload(url, fullName, 'main', commit)
    : kind === 'push-other-branch' ? pushPayload(url, fullName, `feature-${i % 7}`, commit)
      : example(kind);
  // The body differs per delivery, as GitHub's do.
  payload.pilot_flood = i;
  if (!planned.forged) return signed(event, payload, { secret: webhookSecret, id });
  if (planned.forged === 'other-secret') return signed(event, payload, { secret: `${webhookSecret}-guessed`, id });
  const genuine = await signed(event, payload, { secret: webhookSecret, id });
  if (planned.forged === 'changed-body') return { ...genuine, body: genuine.body.replace('"', '"zzz_injected": 1, "') };
  const other = await signed(event, { ...payload, lifted: true }, { secret: webhookSecret });
  return { ...genuine, headers: { ...genuine.headers, 'x-hub-signature-256': other.headers['x-hub-signature-256']! } };
}

export async function runWebhookFlood(size: FloodSize): Promise<FloodResult> {
  const started = Date.now();
  const random = seeded(size.seed);
  const emulator = await startEmulator({ port: 0, token: waypointToken, stepMs: 20, concurrency: 8 });
  let daemon: TestDaemon | undefined;
  const result: FloodResult = {
    seed: size.seed, sent: 0, valid: 0, duplicates: 0, forged: 0, forgedReusingIds: 0, statuses: {}, notAcceptedOnce: [], forgedNotRefused: 0, duplicatesNotRefused: 0,
    requests: 0, expectedRequests: 0, handledWrong: [], deliveryRows: 0, deliveryBound: deliveriesKept, logWrong: [], deliveriesPerSecond: 0,
    memoryMiB: { before: sample(), peak: sample(), after: sample() }, logCaptureMiB: 0, durationMs: 0, violations: [],
  };
  try {
    const source = await createSourceRepo('flood-src');
    const remote = await manifestRemote({ name: 'flood', apps: [app('web', source.url)] });
    const url = githubAlias(process.env, fullName, remote.bare);
    const stateDir = await temporaryFolder('pilot-flood-state-');
    // An old, full delivery log, as a daemon that ran for weeks has.
    const old = openSqliteStore(stateDbPath(stateDir), { now: () => new Date(Date.UTC(2020, 0, 1)) });
    for (let i = 0; i < size.prefill; i++) await old.deliveries.claim(`old-${i}`, 'ping');
    await old.close();

    daemon = await startTestDaemon({ emulator, stateDir, repository: { url, branch: 'main' } });
    await statusWhere(daemon, (s) => s.revision === remote.first && !s.running, 'the first revision applied', 120_000);
    const requestsBefore = daemon.requests.length;

    const planned = plan(size, random);
    const answers: { planned: Planned; status: number; body: Record<string, unknown> }[] = [];
    const floodStart = Date.now();
    result.memoryMiB.before = result.memoryMiB.peak = sample();
    for (let i = 0; i < planned.length; i += size.concurrency) {
      const batch = planned.slice(i, i + size.concurrency);
      answers.push(...(await Promise.all(batch.map(async (p) => ({ planned: p, ...(await deliver(daemon!.url, await deliveryFor(p, url, remote.first))) })))));
      if ((i / size.concurrency) % 64 === 63) {
        const now = sample();
        if (now.heapUsed > result.memoryMiB.peak.heapUsed) result.memoryMiB.peak = now;
      }
    }
    result.deliveriesPerSecond = Math.round(planned.length / ((Date.now() - floodStart) / 1000));
    // Let the last dispatches and runs finish.
    await statusWhere(daemon, (s) => !s.running && daemon!.daemon.queue.size === 0, 'the queue to drain', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    result.memoryMiB.after = sample();
    result.logCaptureMiB = Math.round((daemon.logs.text().length / 2 ** 20) * 10) / 10;

    result.sent = answers.length;
    const validIds = new Map<string, Kind>();
    for (const a of answers) {
      result.statuses[a.status] = (result.statuses[a.status] ?? 0) + 1;
      if (a.planned.forged) {
        result.forged += 1;
        if (a.status !== 401) result.forgedNotRefused += 1;
      } else if (a.planned.duplicate) {
        result.duplicates += 1;
      } else {
        validIds.set(a.planned.id, a.planned.kind);
      }
    }
    result.valid = validIds.size;
    const reused = new Set(planned.filter((p) => p.forged && validIds.has(p.id)).map((p) => p.id));
    result.forgedReusingIds = planned.filter((p) => p.forged && reused.has(p.id)).length;
    // Of all the answers to one valid id (its delivery and its redeliveries), exactly one is 202; the others say duplicate.
    for (const id of validIds.keys()) {
      const mine = answers.filter((a) => a.planned.id === id && !a.planned.forged);
      if (mine.filter((a) => a.status === 202).length !== 1) result.notAcceptedOnce.push(id);
      result.duplicatesNotRefused += mine.filter((a) => a.status !== 202 && !(a.status === 200 && a.body.status === 'duplicate')).length;
    }
    result.expectedRequests = [...validIds.values()].filter((k) => k === 'push-tracked').length;
    result.requests = daemon.requests.length - requestsBefore;

    const handled = new Map<string, number>();
    for (const line of daemon.logs.lines()) if (line.msg === 'webhook delivery handled') handled.set(String(line.delivery), (handled.get(String(line.delivery)) ?? 0) + 1);
    for (const [id, kind] of validIds) {
      const want = kind === 'issues' ? 0 : 1;
      if ((handled.get(id) ?? 0) !== want) result.handledWrong.push(`${id} (${kind}) handled ${handled.get(id) ?? 0} times`);
    }
    for (const [id, n] of handled) if (!validIds.has(id)) result.handledWrong.push(`${id} handled ${n} times but not valid`);

    const stateDirOf = daemon.stateDir;
    await daemon.stop();
    daemon = undefined;
    const store = openSqliteStore(stateDbPath(stateDirOf));
    try {
      const rows = await store.history.recentDeliveries(deliveriesKept * 2);
      result.deliveryRows = rows.length;
      const byId = new Map(rows.map((r) => [r.id, r.result]));
      for (const [id, kind] of validIds) {
        const want = kind === 'issues' ? 'ignored' : 'dispatched';
        if (byId.get(id) !== want) result.logWrong.push(`${id}: ${byId.get(id) ?? 'missing'}, expected ${want}`);
      }
      for (const id of reused) if (!byId.has(id)) result.logWrong.push(`${id}: a forgery under this id kept its delivery out`);
    } finally {
      await store.close();
    }
  } finally {
    await daemon?.stop();
    await emulator.stop();
  }
  result.durationMs = Date.now() - started;
  result.violations = floodViolations(result, size);
  return result;
}

export function floodViolations(r: FloodResult, size: FloodSize): string[] {
  const out: string[] = [];
  const list = (items: string[]) => `${items.slice(0, 5).join(', ')}${items.length > 5 ? ` and ${items.length - 5} more` : ''}`;
  if (r.sent !== size.deliveries) out.push(`${r.sent} deliveries sent instead of ${size.deliveries}`);
  if (r.notAcceptedOnce.length) out.push(`valid deliveries not accepted exactly once: ${list(r.notAcceptedOnce)}`);
  if (r.forgedNotRefused) out.push(`${r.forgedNotRefused} forged deliveries not refused with 401`);
  if (r.duplicatesNotRefused) out.push(`${r.duplicatesNotRefused} redeliveries not answered "duplicate"`);
  if (r.requests !== r.expectedRequests) out.push(`${r.requests} requests queued, expected ${r.expectedRequests}`);
  if (r.handledWrong.length) out.push(`deliveries handled other than once: ${list(r.handledWrong)}`);
  if (r.logWrong.length) out.push(`delivery log wrong: ${list(r.logWrong)}`);
  const expectedRows = Math.min(r.deliveryBound, size.prefill + r.valid);
  if (r.deliveryRows !== expectedRows) out.push(`${r.deliveryRows} rows in the delivery log, expected ${expectedRows} (bound ${r.deliveryBound})`);
  return out;
}
