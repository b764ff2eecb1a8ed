// Requests and waits shared by the emulator tests.

import type { Reply, Stub } from './emulator-stub.js';

export const commitA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** A waypoint.hcl declaring the given apps. */
export function hclFor(project: string, apps: string[]): Buffer {
  const blocks = apps.map((app) => `app "${app}" {\n  build {\n    use "pack" {}\n  }\n\n  deploy {\n    use "docker" {}\n  }\n}\n`);
  return Buffer.from([`project = "${project}"\n`, ...blocks].join('\n'));
}

export const gitSource = { git: { url: 'https://git.example.com/acme/apps.git', ref: 'main', path: 'services' } };

/** A valid `up` job for project/app; fields override the defaults. */
export function upJob(project: string, app: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    application: { project, application: app },
    workspace: { workspace: 'default' },
    target_runner: { any: {} },
    up: {},
    ...fields,
  };
}

export async function queue(stub: Stub, job: Record<string, unknown>, expiresIn = ''): Promise<string> {
  const reply = await stub.call('QueueJob', { job, expires_in: expiresIn });
  return reply.job_id as string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls GetJob until `done` holds (default: the job finished). */
export async function waitForJob(stub: Stub, id: string, done: (job: Reply) => boolean = (job) => ['SUCCESS', 'ERROR'].includes(job.state), timeoutMs = 8000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await stub.call('GetJob', { job_id: id });
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs} ms`);
    await sleep(10);
  }
}

export function ms(timestamp: { seconds: string; nanos: number } | null): number {
  if (!timestamp) return 0;
  return Number(timestamp.seconds) * 1000 + timestamp.nanos / 1e6;
}

/** The text of every line event in terminal events. */
export function lineTexts(events: Reply[]): string[] {
  return events.filter((event) => event.line).map((event) => event.line.msg as string);
}
