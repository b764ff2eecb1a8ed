// Requests and waits shared by the emulator tests, and the real repository their jobs
// clone: the emulator's runner checks sources out with git, as a real runner does.

import type { Reply, Stub } from './emulator-stub.js';
import { createSourceRepo } from './git-repos.js';

/** Apps live under services/ (the projects' git path); main moved on after commitA. */
const appsRepo = await createSourceRepo('apps', { 'services/README.md': 'the apps\n' });
export const commitA = appsRepo.first;
await appsRepo.commit({ 'services/CHANGELOG.md': 'moved on\n' });
export const appsRepoUrl = appsRepo.url;

/** A waypoint.hcl declaring the given apps. */
export function hclFor(project: string, apps: string[]): Buffer {
  const deploy = '    use "aws-ecs" {\n      region = "us-east-1"\n      memory = 512\n    }';
  const blocks = apps.map((app) => `app "${app}" {\n  build {\n    use "pack" {}\n  }\n\n  deploy {\n${deploy}\n  }\n}\n`);
  return Buffer.from([`project = "${project}"\n`, ...blocks].join('\n'));
}

export const gitSource = { git: { url: appsRepoUrl, ref: 'main', path: 'services' } };

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
