// Reading the site out of its image through the Docker Engine API: the docker-engine stand-in of
// the Waypoint emulator on its own, then pilot-sync (the built bundle) against it.

import { request } from 'node:http';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { list } from 'tar';
import { startDockerEngine, type DockerEngine } from '../src/dev/waypoint-emulator/docker-engine.js';
import { cleanEnv, ensurePilotSyncBuilt, lines, runPilotSync, smallSite, writeSite } from './support/pilot-sync.js';
import { startS3StandIn, type S3StandIn } from './support/s3-stand-in.js';

const key = { accessKeyId: 'AKIAPILOTSYNCIMAGE1', secretAccessKey: 'image-test-secret-0123456789abcdefghij' };
let work: string;
let socketPath: string;
let docker: DockerEngine;
let s3: S3StandIn;
let env: Record<string, string>;

beforeAll(async () => {
  await ensurePilotSyncBuilt();
  work = await mkdtemp(path.join(os.tmpdir(), 'pilot-sync-image-'));
  socketPath = path.join(work, 'docker.sock');
  docker = await startDockerEngine({ socketPath });
  // The final stage of the site's Dockerfile: only the built site, under /site.
  await writeSite(path.join(work, 'image', 'site'), smallSite);
  await symlink('/etc/passwd', path.join(work, 'image', 'site', 'passwd'));
  docker.images.set('acme-web:3f9a1c2b7d10', path.join(work, 'image'));
  docker.images.set('acme-empty', path.join(work, 'empty-image'));
  s3 = await startS3StandIn({ key, buckets: ['acme-web'] });
  env = await cleanEnv({ DOCKER_HOST: `unix://${socketPath}`, AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey, AWS_ENDPOINT_URL_S3: s3.url });
});

afterAll(async () => {
  await docker?.close();
  await s3?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

function engine(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path: urlPath, headers: { 'content-type': 'application/json' } }, async (res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const json = (reply: { body: Buffer }) => JSON.parse(reply.body.toString()) as unknown;

describe('the docker-engine stand-in', () => {
  it('creates a container from a known image and serves a folder of it as a tar whose top entry is the folder', async () => {
    const created = await engine('POST', '/v1.41/containers/create', { Image: 'acme-web:3f9a1c2b7d10' });
    expect(created.status).toBe(201);
    const { Id } = json(created) as { Id: string };
    const archive = await engine('GET', `/v1.41/containers/${Id}/archive?path=/site`);
    expect(archive.status).toBe(200);
    const entries: string[] = [];
    const parser = list({ onReadEntry: (entry) => void entries.push(entry.path) });
    parser.end(archive.body);
    expect(entries).toEqual(expect.arrayContaining(['site/', 'site/index.html', 'site/assets/main.3f9a1c2b.js', 'site/blog/first-post/index.html']));
    expect((await engine('DELETE', `/v1.41/containers/${Id}?force=true`)).status).toBe(204);
    expect(json(await engine('DELETE', `/v1.41/containers/${Id}?force=true`))).toEqual({ message: `No such container: ${Id}` });
  });

  it('answers like the engine for an unknown image, a missing Image, a missing path and an unknown route', async () => {
    expect(await engine('POST', '/v1.41/containers/create', { Image: 'acme-web' }).then((r) => [r.status, json(r)])).toEqual([404, { message: 'No such image: acme-web:latest' }]);
    expect((await engine('POST', '/v1.41/containers/create', {})).status).toBe(400);
    const { Id } = json(await engine('POST', '/v1.41/containers/create', { Image: 'acme-web:3f9a1c2b7d10' })) as { Id: string };
    expect(await engine('GET', `/v1.41/containers/${Id}/archive?path=/nope`).then((r) => [r.status, json(r)])).toEqual([404, { message: `Could not find the file /nope in container ${Id}` }]);
    expect((await engine('GET', '/v1.41/images/json')).status).toBe(404);
    await engine('DELETE', `/v1.41/containers/${Id}?force=true`);
    expect(docker.containers.size).toBe(0);
  });
});

describe('pilot-sync --image', () => {
  it('reads the site from the image, syncs it, leaves links out and removes the container', async () => {
    const from = docker.requests.length;
    const result = await runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--image', 'acme-web:3f9a1c2b7d10'], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(lines(result.stdout).slice(0, 2)).toEqual([
      'reading site from image acme-web:3f9a1c2b7d10',
      'left out 1 entry that is not a regular file (links are never followed): passwd',
    ]);
    expect(lines(result.stdout)).toContain('5 files in the site; 5 to upload, 0 to delete, 0 unchanged');
    expect([...(s3.buckets.get('acme-web')?.keys() ?? [])].sort()).toEqual(Object.keys(smallSite).sort());
    const calls = docker.requests.slice(from).map((req) => `${req.method} ${req.path.replace(/[0-9a-f]{64}/, 'ID')}`);
    // The API version is negotiated from the engine's /_ping, as the docker CLI does.
    expect(calls).toEqual(['GET /_ping', 'POST /v1.41/containers/create', 'GET /v1.41/containers/ID/archive?path=%2Fsite', 'DELETE /v1.41/containers/ID?force=true']);
    expect(docker.containers.size).toBe(0);
  });

  it('turns an unknown image into one clear error line', async () => {
    const result = await runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--image', 'acme-web:nope'], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('pilot-sync: error: cannot use image acme-web:nope: No such image: acme-web:nope\n');
  });

  it('removes the container even when the image has no /site', async () => {
    const result = await runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--image', 'acme-empty'], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^pilot-sync: error: cannot read \/site from the image: Could not find the file \/site in container [0-9a-f]{64}\n$/);
    expect(docker.requests.at(-1)?.method).toBe('DELETE');
    expect(docker.containers.size).toBe(0);
  });

  it('says so when no engine listens on DOCKER_HOST', async () => {
    const result = await runPilotSync(['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--image', 'acme-web:1'], { ...env, DOCKER_HOST: `unix://${work}/none.sock` });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`pilot-sync: error: cannot reach Docker at unix://${work}/none.sock: no Docker engine listens there\n`);
  });
});
