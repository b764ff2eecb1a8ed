// The emulator's runner is as strict as a real v0.11.4 runner (../shared/waypoint/runner-facts.md):
// it clones the job's source with real git, resolves the app path the way the runner does,
// needs the Dockerfile, and refuses plugin pairings Waypoint cannot run, with the real words.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaypointClient } from '../src/waypoint/client/client.js';
import { queueJobRequest } from '../src/waypoint/client/queue-request.js';
import { startEmulator, type Emulator } from '../src/dev/waypoint-emulator/index.js';
import { watchJob } from '../src/waypoint/job-runner.js';
import { renderWaypointHcl } from '../src/waypoint/render/app.js';
import type { DesiredApp } from '../src/reconciler/desired-state.js';
import type { WaypointJob } from '../src/reconciler/ports.js';
import { appFiles, createSourceRepo, git, removeTemporaryFolders, temporaryFolder, type SourceRepo } from './support/git-repos.js';
import { startGitHttpServer, type GitHttpServer } from './support/git-http-server.js';

const token = 'runner-test-token';
let emulator: Emulator;
let client: WaypointClient;
let monorepo: SourceRepo & { first: string };

beforeAll(async () => {
  emulator = await startEmulator({ token, stepMs: 5 });
  client = await WaypointClient.connect({ address: emulator.address, tls: 'off', token, deadlineMs: 10_000 });
  await client.ensureProject('shop');
  const files = Object.fromEntries(Object.entries(appFiles('api')).map(([name, text]) => [`services/api/${name}`, text]));
  monorepo = await createSourceRepo('monorepo', files);
});

afterAll(async () => {
  client?.close();
  await emulator?.stop();
  await removeTemporaryFolders();
});

function ecsApp(overrides: Partial<DesiredApp> = {}): DesiredApp {
  return {
    project: 'shop', name: 'api', provider: 'aws', region: 'us-east-1',
    source: { repo: monorepo.url, ref: 'main', path: 'services/api' },
    build: { builder: 'docker', dockerfile: 'Dockerfile' },
    deploy: { platform: 'ecs', port: 8080, cpu: 0.25, memory: 512, instances: { min: 1, max: 1 } },
    release: {}, env: {}, dependsOn: [], databases: [], origin: { file: 'pilot.yaml', line: 1 },
    ...overrides,
  };
}

/** Pilot's up job for the app the file names, from the monorepo unless told otherwise. */
function upJob(waypointHcl: string, source: Partial<WaypointJob['source']> = {}): WaypointJob {
  const app = /app "([^"]+)"/.exec(waypointHcl)![1]!;
  return {
    operation: 'up', project: 'shop', app, intent: `i-${app}`, revision: 'r', configHash: 'h', waypointHcl,
    source: { repo: monorepo.url, commit: monorepo.first, ...source },
  };
}

/** Queues an up job with the given file and source, follows it, returns what Waypoint reports. */
async function run(waypointHcl: string, source: Partial<WaypointJob['source']> & { path?: string } = {}) {
  const { path: gitPath, ...rest } = source;
  const job = upJob(waypointHcl, rest);
  await client.ensureApp('shop', job.app);
  // The old, wrong shape sent the sub-folder as the job's git path too: allowed here to show it fails.
  const jobId = gitPath === undefined ? await client.queueJob(job) : await queueWithGitPath(job, gitPath);
  const outcome = await watchJob(client, jobId);
  return { outcome, job: await client.getJob(jobId) };
}

async function queueWithGitPath(job: WaypointJob, gitPath: string): Promise<string> {
  const rpc = (client as unknown as { rpc: { unary<T>(m: string, r: object): Promise<T> } }).rpc;
  const request = queueJobRequest(job);
  const git = { ...request.job.data_source.git, path: gitPath };
  return (await rpc.unary<{ job_id: string }>('QueueJob', { ...request, job: { ...request.job, data_source: { git } } })).job_id;
}

describe('paths (runner-facts: Paths)', () => {
  it('deploys an app in a sub-folder when only `app { path }` carries the folder', async () => {
    const { outcome, job } = await run(renderWaypointHcl(ecsApp(), { commit: monorepo.first }));
    expect(outcome.error?.message).toBeUndefined();
    expect(outcome.state).toBe('success');
    expect(job.commit).toBe(monorepo.first);
  });

  it('fails when the job git path and the app path both carry it (the runner looks in P/P)', async () => {
    const { outcome } = await run(renderWaypointHcl(ecsApp(), { commit: monorepo.first }), { path: 'services/api' });
    expect(outcome.state).toBe('error');
    expect(outcome.error!.message).toContain('services/api/services/api');
  });

  it('fails a docker build whose Dockerfile is not in the app folder', async () => {
    const { outcome } = await run(renderWaypointHcl(ecsApp({ build: { builder: 'docker', dockerfile: 'docker/Dockerfile.prod' } }), { commit: monorepo.first }));
    expect(outcome.error!.message).toContain('Cannot locate specified Dockerfile: docker/Dockerfile.prod');
  });
});

describe('plugins (runner-facts: Components each builtin plugin implements)', () => {
  it('fails an ECS `up` with a release block after the deploy: aws-ecs implements no release manager', async () => {
    const hcl = renderWaypointHcl(ecsApp(), { commit: monorepo.first }).replace(/\n}\n$/, '\n  release {\n    use "aws-ecs" {}\n  }\n}\n');
    const { outcome } = await run(hcl);
    expect(outcome.state).toBe('error');
    expect(outcome.error!.message).toContain('plugin does not implement: release manager');
    expect(outcome.lastLines.join('\n')).toContain('Deployment v');
  });

  it('releases an ECS app without a release block, through the platform default releaser', async () => {
    const { outcome } = await run(renderWaypointHcl(ecsApp({ name: 'api2' }), { commit: monorepo.first }));
    expect(outcome.state).toBe('success');
    expect(outcome.urls.release).toMatch(/^http:\/\//);
  });

  it('refuses `files` build with an `exec` deploy: no mapper makes an exec.Input from files.Files', async () => {
    const hcl = 'project = "shop"\n\napp "site" {\n  path = "services/api"\n\n  build {\n    use "files" {}\n  }\n\n  deploy {\n    use "exec" {\n      command = ["true"]\n    }\n  }\n}\n';
    const { outcome } = await run(hcl);
    expect(outcome.error!.message).toContain('no mapper makes one from files.Files');
  });

  it('refuses an argument the plugin does not have, and a missing required one, as HCL decoding does', async () => {
    const hcl = renderWaypointHcl(ecsApp({ name: 'typo' }), { commit: monorepo.first }).replace('memory', 'memroy');
    const { outcome } = await run(hcl);
    expect(outcome.error!.message).toContain('An argument named "memroy" is not expected here');
    expect(outcome.error!.message).toContain('The argument "memory" is required');
  });
});

describe('private sources (runner-facts: Jobs and runners)', () => {
  let server: GitHttpServer;
  let url: string;
  let commit: string;

  beforeAll(async () => {
    const root = await temporaryFolder('pilot-git-http-');
    const source = await createSourceRepo('private');
    await git(root, ['clone', '--quiet', '--bare', source.bare, path.join(root, 'private.git')]);
    server = await startGitHttpServer({ root, username: 'x-access-token', token: 'ghs_secret123' });
    url = server.url('private.git');
    commit = source.first;
  });
  afterAll(() => server?.close());

  it('fails the clone without credentials, ABORTED "Git clone failed"', async () => {
    const { outcome, job } = await run(renderWaypointHcl(ecsApp({ name: 'priv', source: { repo: url, ref: 'main', path: '.' } })), { repo: url, commit });
    expect(outcome.state).toBe('error');
    expect(job.error).toMatchObject({ code: 10 });
    expect(outcome.error!.message).toContain('Git clone failed');
  });

  it('clones with the basic credentials sent on the job', async () => {
    const auth = { username: 'x-access-token', password: 'ghs_secret123' };
    const waypointHcl = renderWaypointHcl(ecsApp({ name: 'priv', source: { repo: url, ref: 'main', path: '.' } }), { commit });
    const jobId = await client.queueJob(upJob(waypointHcl, { repo: url, commit }), auth);
    const outcome = await watchJob(client, jobId);
    expect(outcome.state).toBe('success');
    expect(outcome.lastLines.join('\n')).not.toContain('ghs_secret123');
  });
});
