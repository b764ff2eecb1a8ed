// The client against the emulator, over real gRPC on loopback with TLS.

import { readdir, readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PilotError } from '../src/reconciler/errors.js';
import type { WaypointJob } from '../src/reconciler/ports.js';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { classifyGrpcError } from '../src/waypoint/client/errors.js';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/server.js';
import { queueJobRequest } from '../src/waypoint/client/queue-request.js';
import { inFlightJobs, watchJob } from '../src/waypoint/job-runner.js';
import { waypointService } from '../src/waypoint/proto/load.js';
import type { JobEvent } from '../src/waypoint/client/types.js';
import { createSourceRepo, type SourceRepo } from './support/git-repos.js';
import { selfSignedCertificate, type TestCertificate } from './support/tls.js';

const token = 'test-token-0123456789';
const hcl = 'project = "acme"\n\napp "web" {\n  build {\n    use "pack" {}\n  }\n\n  deploy {\n    use "aws-ecs" {\n      region = "us-east-1"\n      memory = 512\n    }\n  }\n}\n';
// The runner clones the source for real: a local repository stands in for the app's.
let source: SourceRepo & { first: string };
let commit: string;

let certificate: TestCertificate;
let emulator: Emulator;
const clients: WaypointClient[] = [];

async function connect(options: Partial<Parameters<typeof WaypointClient.connect>[0]> = {}): Promise<WaypointClient> {
  const client = await WaypointClient.connect({
    address: emulator.address.replace('127.0.0.1', 'localhost'),
    token,
    tls: 'verify',
    caFile: certificate.certFile,
    deadlineMs: 5_000,
    ...options,
  });
  clients.push(client);
  return client;
}

function request(app: string): WaypointJob {
  return {
    operation: 'up',
    project: 'acme',
    app,
    intent: `intent-${app}`,
    waypointHcl: hcl.replace('"web"', `"${app}"`),
    source: { repo: source.url, commit },
    revision: 'rev-1',
    configHash: 'hash-1',
  };
}

/** Queues a job and follows it to its end. */
async function runJob(client: WaypointClient, job: WaypointJob, onEvent?: (event: JobEvent) => void) {
  return watchJob(client, await client.queueJob(job), onEvent);
}

beforeAll(async () => {
  source = await createSourceRepo('web');
  commit = source.first;
  certificate = await selfSignedCertificate();
  emulator = await startEmulator({ token, tls: { cert: certificate.cert, key: certificate.key }, stepMs: 30, failApps: new Set(['acme/broken']) });
  const client = await connect();
  await client.ensureProject('acme');
  for (const app of ['web', 'api', 'broken', 'slow', 'again']) await client.ensureApp('acme', app);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await emulator?.stop();
});

describe('connecting', () => {
  it('verifies the server certificate against a CA file, and reports the version', async () => {
    const client = await connect();
    const version = await client.versionInfo();
    expect(version.api).toEqual({ current: 1, minimum: 1 });
    expect(version.version).toContain('0.11');
  });

  it('accepts the self-signed certificate with skip-verify, and warns', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (_: object, message: string) => void warnings.push(message) };
    const client = await connect({ tls: 'skip-verify', caFile: undefined, address: emulator.address, logger });
    expect(await client.listProjects()).toContain('acme');
    expect(warnings).toEqual(['waypoint certificate not verified (tls skip-verify)']);
  });

  it('refuses a certificate it cannot verify, as a transient (retryable) failure', async () => {
    const client = await connect({ caFile: undefined });
    const error = await client.listProjects().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PilotError);
    expect((error as PilotError).kind).toBe('transient');
  });

  it('refuses plaintext to anything but loopback, before sending the token', async () => {
    await expect(WaypointClient.connect({ address: 'waypoint.example.com', token, tls: 'off' })).rejects.toMatchObject({ kind: 'stalled', code: 'waypoint.insecure' });
  });

  it('without a token: a clear authentication error that needs a person', async () => {
    const client = await connect({ token: undefined });
    const error = (await client.listProjects().catch((e: unknown) => e)) as PilotError;
    expect(error.kind).toBe('stalled');
    expect(error.code).toBe('waypoint.unauthenticated');
    expect(error.message).toContain('authentication failed');
    expect(error.message).toContain('PILOT_WAYPOINT_TOKEN');
  });

  it('with a wrong token: the same authentication error, not a retry', async () => {
    const client = await connect({ token: 'not-the-token' });
    await expect(client.listProjects()).rejects.toMatchObject({ kind: 'stalled', code: 'waypoint.unauthenticated' });
  });

  it('classifies a call with a wrong protocol header once, as stalled', async () => {
    const Service = waypointService();
    const stub = new Service(emulator.address, grpc.credentials.createSsl(certificate.cert), { 'grpc.ssl_target_name_override': 'localhost' });
    const metadata = new grpc.Metadata();
    metadata.set('waypoint-token', token);
    const error = await new Promise<unknown>((resolve) => {
      (stub as unknown as Record<string, Function>).ListProjects!({}, metadata, (e: unknown) => resolve(e));
    });
    stub.close();
    const classified = classifyGrpcError(error, 'ListProjects', emulator.address);
    expect(classified).toMatchObject({ kind: 'stalled', code: 'waypoint.invalid-argument' });
    expect(classified.message).toContain('client-api-protocol');
  });
});

describe('projects and apps', () => {
  it('ensures a project and an app idempotently', async () => {
    const client = await connect();
    expect(await client.ensureProject('shop')).toBe('created');
    expect(await client.ensureProject('shop')).toBe('unchanged');
    expect(await client.ensureApp('shop', 'cart')).toBe('created');
    expect(await client.ensureApp('shop', 'cart')).toBe('unchanged');
    expect((await client.getProject('shop'))?.applications).toEqual(['cart']);
    expect(await client.getProject('nope')).toBeUndefined();
  });
});

describe('jobs', () => {
  it('queues an up pinned to the commit and streams it to success with log lines and URLs', async () => {
    const client = await connect();
    const events: JobEvent[] = [];
    const outcome = await runJob(client, request('web'), (e) => events.push(e));
    expect(outcome.state).toBe('success');
    expect(outcome.commit).toBe(commit);
    expect(outcome.urls.release ?? outcome.urls.app).toMatch(/^https?:\/\//);
    const states = events.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state);
    expect(states.at(-1)).toBe('success');
    expect(states).toContain('running');
    expect(events.filter((e) => e.type === 'line').length).toBeGreaterThan(0);
    const sent = emulator.queuedJobs.at(-1)!;
    expect(sent.job.singleton_id).toBe('pilot/acme/web');
    expect(sent.job.data_source.git.ref).toBe(commit);
    expect(sent.job.labels).toMatchObject({ 'pilot/revision': 'rev-1', 'pilot/config-hash': 'hash-1', 'pilot/commit': commit });
    expect(Buffer.from(sent.job.waypoint_hcl.contents).toString()).toContain('app "web"');
    const deployment = await client.latestDeployment('acme', 'web');
    expect(deployment).toMatchObject({ state: 'success', jobId: outcome.jobId });
  });

  it('sends an expiry with every job and no git path (the sub-folder travels in the file only)', async () => {
    const client = await connect();
    await client.queueJob(request('web'));
    const sent = emulator.queuedJobs.at(-1)!;
    expect(sent.expires_in).toBe('30m');
    expect(sent.job.data_source.git.path).toBe('');
  });

  it('labels an up with its intent, and queues a destroy of the app with only the revision and commit labels', async () => {
    const client = await connect();
    await client.queueJob(request('web'));
    expect(emulator.queuedJobs.at(-1)!.job.labels).toEqual({ 'pilot/revision': 'rev-1', 'pilot/config-hash': 'hash-1', 'pilot/commit': commit, 'pilot/intent': 'intent-web' });
    const { project, app, waypointHcl, source, revision } = request('broken');
    const jobId = await client.queueJob({ operation: 'destroy', project, app, waypointHcl, source, revision });
    const sent = emulator.queuedJobs.at(-1)!;
    expect(sent.job.labels).toEqual({ 'pilot/revision': 'rev-1', 'pilot/commit': commit });
    expect(sent.job.singleton_id).toBe('pilot/acme/broken');
    expect(sent.job.operation).toBe('destroy');
    await watchJob(client, jobId);
  });

  it('reports a job no runner took before it expired as needing attention, not as a failed deploy', async () => {
    emulator.faults.noRunner(true);
    try {
      const client = await connect();
      // Pilot always asks for 30 minutes: the request is sent as it is, with a shorter expiry.
      const rpc = (client as unknown as { rpc: { unary<T>(m: string, r: object): Promise<T> } }).rpc;
      const { job_id: jobId } = await rpc.unary<{ job_id: string }>('QueueJob', { ...queueJobRequest(request('web')), expires_in: '300ms' });
      const outcome = await watchJob(client, jobId);
      expect(outcome.state).toBe('error');
      expect(outcome.error).toMatchObject({ kind: 'stalled', code: 'waypoint.no-runner' });
      expect(outcome.error!.message).toContain('waypoint runner list');
    } finally {
      emulator.faults.noRunner(false);
    }
  });

  it('stops following a job at its deadline and says so; the job goes on', async () => {
    emulator.faults.noRunner(true);
    try {
      const client = await connect();
      const jobId = await client.queueJob(request('slow'));
      await expect(watchJob(client, jobId, () => {}, { deadlineMs: 300 })).rejects.toMatchObject({ kind: 'stalled', code: 'waypoint.job-deadline' });
      expect((await client.getJob(jobId)).state).toBe('queued');
      await client.cancelJob(jobId, true);
    } finally {
      emulator.faults.noRunner(false);
    }
  });

  it('sends basic credentials on the job and never in a message', async () => {
    const client = await connect();
    await client.queueJob(request('web'), { username: 'x-access-token', password: 'ghs_topsecret' });
    expect(emulator.queuedJobs.at(-1)!.job.data_source.git.basic).toEqual({ username: 'x-access-token', password: 'ghs_topsecret' });
  });

  it('a failing job returns a classified error with its last log lines', async () => {
    const client = await connect();
    const outcome = await runJob(client, request('broken'));
    expect(outcome.state).toBe('error');
    expect(outcome.error).toMatchObject({ kind: 'stalled', code: 'waypoint.job-failed' });
    expect(outcome.lastLines.length).toBeGreaterThan(0);
    expect(outcome.error!.message).toContain(outcome.lastLines.at(-1)!);
  });

  it('cancels a running job', async () => {
    emulator.faults.stepMs = 400;
    try {
      const client = await connect();
      const jobId = await client.queueJob(request('slow'));
      expect((await inFlightJobs(client, 'acme', 'slow')).map((j) => j.id)).toEqual([jobId]);
      await client.cancelJob(jobId, true);
      const outcome = await watchJob(client, jobId);
      expect(outcome.state).toBe('error');
      expect(outcome.error!.message).toMatch(/cancel/i);
      expect(await inFlightJobs(client, 'acme', 'slow')).toEqual([]);
    } finally {
      emulator.faults.stepMs = 30;
    }
  });

  it('re-attaches to a job by id from a new connection, without repeating lines', async () => {
    emulator.faults.stepMs = 150;
    try {
      const first = await connect();
      const jobId = await first.queueJob(request('again'));
      const seen: string[] = [];
      const controller = new AbortController();
      const watching = watchJob(first, jobId, (e) => {
        if (e.type === 'line') {
          seen.push(e.text);
          controller.abort();
        }
      }, { signal: controller.signal });
      await expect(watching).rejects.toMatchObject({ code: 'watch.aborted' });
      first.close();
      const second = await connect();
      const all: string[] = [];
      const outcome = await watchJob(second, jobId, (e) => e.type === 'line' && all.push(e.text));
      expect(outcome.state).toBe('success');
      expect(all[0]).toBe(seen[0]);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      emulator.faults.stepMs = 30;
    }
  });

  it('keeps following through a short outage of the server', async () => {
    emulator.faults.stepMs = 150;
    try {
      const client = await connect();
      const jobId = await client.queueJob(request('api'));
      const following = watchJob(client, jobId);
      await new Promise((r) => setTimeout(r, 100));
      emulator.faults.unavailable(500);
      const outcome = await following;
      expect(outcome.state).toBe('success');
    } finally {
      emulator.faults.stepMs = 30;
    }
  });
});

describe('job output after the server dropped part of it (pkg/server/logbuffer)', () => {
  it('reconnects after the buffer was reset without skipping the lines that came after', { timeout: 60_000 }, async () => {
    // 3,000 progress lines per phase: more than the 32 x 164 entries the server keeps.
    const noisy = await startEmulator({ token, stepMs: 300, logLines: 3000 });
    const client = await WaypointClient.connect({ address: noisy.address, tls: 'off', token, deadlineMs: 10_000 });
    try {
      await client.ensureProject('acme');
      await client.ensureApp('acme', 'web');
      const jobId = await client.queueJob(request('web'));
      const lines: string[] = [];
      // The stream breaks after 4,000 lines; while it is down the job goes on and the buffer resets.
      const outcome = await watchJob(client, jobId, (e) => {
        if (e.type !== 'line') return;
        lines.push(e.text);
        if (lines.length === 4000) noisy.faults.unavailable(1500);
      });
      expect(outcome.state).toBe('success');
      // The replay after the reset is newer than anything delivered: all of it is new, none of it twice.
      expect(lines.at(-1)).toMatch(/^Deployment URL: /);
      expect(new Set(lines.filter((line) => line.includes('('))).size).toBe(lines.filter((line) => line.includes('(')).length);
      expect(lines.some((line) => line.startsWith('Routing traffic'))).toBe(true);
    } finally {
      client.close();
      await noisy.stop();
    }
  });

  it("takes a job's outcome from the stream even when `complete` outruns the last lines", async () => {
    emulator.faults.completeBeforeOutput(true);
    try {
      const outcome = await runJob(await connect(), request('api'));
      expect(outcome.state).toBe('success');
      expect(outcome.urls.release).toMatch(/^http:\/\//);
    } finally {
      emulator.faults.completeBeforeOutput(false);
    }
  });
});

describe('config', () => {
  it('sets, reads and deletes app config', async () => {
    const client = await connect();
    await client.setAppConfig('acme', 'web', {
      DATABASE_URL: { kind: 'static', value: 'postgres://u:p@h/db' },
      API_TOKEN: { kind: 'dynamic', from: 'aws-ssm', config: { path: '/acme/api-token' } },
    });
    expect(await client.getAppConfig('acme', 'web')).toEqual({
      DATABASE_URL: { kind: 'static', value: 'postgres://u:p@h/db' },
      API_TOKEN: { kind: 'dynamic', from: 'aws-ssm', config: { path: '/acme/api-token' } },
    });
    await client.deleteAppConfig('acme', 'web', ['DATABASE_URL']);
    expect(Object.keys(await client.getAppConfig('acme', 'web'))).toEqual(['API_TOKEN']);
  });
});

describe('formatHcl', () => {
  it('formats through the server and fails clearly on bad HCL', async () => {
    const client = await connect();
    expect(await client.formatHcl(hcl)).toBe(hcl);
    await expect(client.formatHcl('app "x" {')).rejects.toMatchObject({ kind: 'stalled', code: 'waypoint.hcl-invalid' });
  });

  it('leaves every rendered golden file unchanged (the renderer writes canonical HCL)', async () => {
    const client = await connect();
    const dir = new URL('./golden/', import.meta.url);
    const names = (await readdir(dir)).filter((name) => name.endsWith('.hcl'));
    expect(names.length).toBeGreaterThanOrEqual(7);
    for (const name of names) {
      const text = await readFile(new URL(name, dir), 'utf8');
      expect(await client.formatHcl(text), name).toBe(text);
    }
  });
});
