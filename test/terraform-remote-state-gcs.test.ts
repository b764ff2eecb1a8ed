// Terraform state in Cloud Storage, with the real terraform binary: Pilot's gcs backend
// pointed at the Cloud Storage stand-in (a custom https endpoint, a bearer token from the
// environment), a stack applied and planned again with nothing to do, and two Pilot
// processes applying one stack kept apart by Terraform's .tflock object alone.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTerraform } from '../src/drivers/terraform/index.js';
import { startGcsStandIn, type GcsStandIn } from './support/gcs-stand-in.js';
import { parseMultipart } from './support/gcs-upload.js';
import { repoRoot } from './support/reconcile-child.js';
import { markedStack, readMarks, inputsOf, type TerraformState } from './support/remote-state.js';
import { gcsBackend, gcsEnv, gcsPrefix, gcsStateBucket, gcsStateToken } from './support/remote-state-gcs.js';
import { eventually, removeTempDirs, tempDir } from './support/terraform-fixtures.js';
import { startTlsFront, type TlsFront } from './support/tls-front.js';
import { selfSignedCertificate, type TestCertificate } from './support/tls.js';

let gcs: GcsStandIn;
let front: TlsFront;
let certificate: TestCertificate;

beforeAll(async () => {
  certificate = await selfSignedCertificate();
  gcs = await startGcsStandIn({ buckets: [gcsStateBucket], isValidToken: (token) => token === gcsStateToken });
  front = await startTlsFront(gcs.url, certificate);
});

afterAll(async () => {
  await front?.close();
  await gcs?.close();
  if (certificate) await rm(path.dirname(certificate.certFile), { recursive: true, force: true });
});

afterEach(async () => {
  await removeTempDirs();
});

const objects = () => gcs.buckets.get(gcsStateBucket)!;
const stateOf = (stack: string) => `${gcsPrefix}/${stack}/default.tfstate`;
const lockOf = (stack: string) => `${gcsPrefix}/${stack}/default.tflock`;
const uploadPath = `/upload/storage/v1/b/${gcsStateBucket}/o`;
const auth = { authorization: `Bearer ${gcsStateToken}` };


function storedState(stack: string): TerraformState | undefined {
  const object = objects().get(stateOf(stack));
  return object && (JSON.parse(object.content.toString('utf8')) as TerraformState);
}

/** Every version of a stack's state uploaded to the stand-in, in order. */
function writtenStates(stack: string): TerraformState[] {
  return gcs.requests
    .filter((req) => req.method === 'POST' && req.path === uploadPath && req.query.get('name') === stateOf(stack))
    .map((req) => parseMultipart(req))
    .map((upload) => JSON.parse((upload as { content: Buffer }).content.toString('utf8')) as TerraformState);
}


function multipart(name: string, content: string): { body: string; headers: Record<string, string> } {
  const body = [
    '--b', 'Content-Type: application/json', '', JSON.stringify({ bucket: gcsStateBucket, name }),
    '--b', 'Content-Type: text/plain; charset=utf-8', '', content, '--b--', '',
  ].join('\r\n');
  return { body, headers: { ...auth, 'content-type': 'multipart/related; boundary=b' } };
}

describe('terraform state in Cloud Storage', () => {
  it('has a stand-in as strict as Cloud Storage about the lock: a second create-only upload is 412, a delete of another generation too', async () => {
    const name = 'strict/default.tflock';
    const create = () => fetch(`${gcs.url}${uploadPath}?uploadType=multipart&ifGenerationMatch=0&name=${encodeURIComponent(name)}`, { method: 'POST', ...multipart(name, '{"ID":"1"}') });
    const first = await create();
    expect(first.status).toBe(200);
    const { generation } = (await first.json()) as { generation: string };
    const second = await create();
    expect([second.status, ((await second.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason]).toEqual([412, 'conditionNotMet']);
    expect(objects().get(name)?.content.toString()).toBe('{"ID":"1"}');

    const remove = (match: string) => fetch(`${gcs.url}/storage/v1/b/${gcsStateBucket}/o/${encodeURIComponent(name)}?ifGenerationMatch=${match}`, { method: 'DELETE', headers: auth });
    expect((await remove(String(BigInt(generation) + 1n))).status).toBe(412);
    expect(objects().has(name)).toBe(true);
    expect((await remove(generation)).status).toBe(204);
    expect(objects().has(name)).toBe(false);
    expect((await create()).status).toBe(200);
    objects().delete(name);
  });

  it('is written to the bucket, locked while terraform runs, and read back: a second plan has nothing to do', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const terraform = openTerraform({ dir, backend: gcsBackend(front.url), env: gcsEnv(certificate.certFile) });
    const stack = terraform.stack('shop-gcp');
    await stack.write(markedStack('one'));
    const from = gcs.requests.length;
    const fromErrors = gcs.errors.length;
    const plan = await stack.plan();
    expect(plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create terraform_data.marked']);
    await stack.apply(plan);

    expect(inputsOf(storedState('shop-gcp'))).toEqual([['terraform_data.marked', 'one']]);
    expect((await stack.outputs()).label).toEqual({ value: 'one', sensitive: false });
    // The state lives in the bucket only, and the lock is given back.
    expect((await readdir(stack.dir)).filter((name) => name.includes('tfstate'))).toEqual([]);
    expect(objects().has(lockOf('shop-gcp'))).toBe(false);
    const seen = gcs.requests.slice(from);
    expect(seen.every((req) => req.headers.authorization === auth.authorization)).toBe(true);
    // Taken only if absent, given back only if still the generation taken: the stand-in refuses anything else.
    const creates = seen.filter((req) => req.method === 'POST' && req.query.get('name') === lockOf('shop-gcp'));
    const deletes = seen.filter((req) => req.method === 'DELETE' && req.path === `/storage/v1/b/${gcsStateBucket}/o/${encodeURIComponent(lockOf('shop-gcp'))}`);
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.every((req) => req.query.get('ifGenerationMatch') === '0')).toBe(true);
    expect(deletes.length).toBe(creates.length);
    expect(deletes.every((req) => /^[1-9]\d*$/.test(req.query.get('ifGenerationMatch') ?? ''))).toBe(true);
    expect(gcs.errors.slice(fromErrors).filter((e) => e.status !== 404)).toEqual([]);

    // A second Pilot, with nothing on its disk, finds the state in the bucket.
    const other = openTerraform({ dir: await tempDir(), backend: gcsBackend(front.url), env: gcsEnv(certificate.certFile) }).stack('shop-gcp');
    await other.write(markedStack('one'));
    expect((await other.plan()).empty).toBe(true);
    expect((await stack.plan()).empty).toBe(true);
    // Read back through the XML API at the endpoint's host, not the JSON API's alt=media.
    const reads = gcs.requests.slice(from).filter((req) => req.method === 'GET' && req.path === `/${gcsStateBucket}/${stateOf('shop-gcp')}`);
    expect(reads.length).toBeGreaterThan(0);
  });

  it('reaches the bucket given the JSON API base without its final slash, or a bare host', { timeout: 60_000 }, async () => {
    for (const [stack, apiBase] of [['no-slash', `${front.url}/storage/v1`], ['bare-host', front.url]] as const) {
      const from = gcs.requests.length;
      const check = openTerraform({ dir: await tempDir(), backend: gcsBackend(front.url, apiBase), env: gcsEnv(certificate.certFile) }).stack(stack);
      await check.write(markedStack(stack));
      expect((await check.plan()).changes.map((c) => c.address)).toEqual(['terraform_data.marked']);
      expect(gcs.requests.slice(from).some((req) => req.path === `/storage/v1/b/${gcsStateBucket}/o` && req.query.get('prefix') === `${gcsPrefix}/${stack}/`)).toBe(true);
    }
  });

  it('fails a stack\'s first init at once, as a transient error, while another run holds the lock, and plans once it is given back', { timeout: 60_000 }, async () => {
    // The gcs backend writes a new workspace's empty state under the lock, trying once: no -lock-timeout wait.
    const lock = lockOf('newborn');
    const held = await fetch(`${gcs.url}${uploadPath}?uploadType=multipart&ifGenerationMatch=0&name=${encodeURIComponent(lock)}`, {
      method: 'POST', ...multipart(lock, JSON.stringify({ ID: 'other', Operation: 'OperationTypeApply', Who: 'pilot@other-vm' })),
    });
    expect(held.status).toBe(200);
    const stack = openTerraform({ dir: await tempDir(), backend: gcsBackend(front.url), env: gcsEnv(certificate.certFile) }).stack('newborn');
    await stack.write(markedStack('newborn'));
    const started = Date.now();
    const refused = await stack.plan().then(() => undefined, (error: unknown) => error);
    expect(refused).toMatchObject({ kind: 'transient', code: 'terraform.failed', message: expect.stringContaining(`${lock}" failed`) });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(objects().get(lock)?.content.toString()).toContain('pilot@other-vm');

    objects().delete(lock);
    expect((await stack.plan()).changes.map((c) => c.address)).toEqual(['terraform_data.marked']);
    expect(objects().has(stateOf('newborn'))).toBe(true);
  });

  it('keeps two Pilot processes applying one stack apart: the second waits on the lock object', { timeout: 120_000 }, async () => {
    const marks = path.join(await tempDir(), 'marks');
    const env = gcsEnv(certificate.certFile, { PILOT_TEST_MARKS: marks, PILOT_TEST_SLEEP: '2' });
    const children: { label: string; child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> }[] = [];
    // Each its own working dir, so Pilot's own stack lock (a file there) cannot keep them apart.
    const start = async (label: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/terraform-remote-apply-child.ts', await tempDir(), 'shared', label, front.url, 'gcs'], {
        cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      children.push({ label, child, output: () => output, exited });
      await eventually(async () => output.includes('planned') || child.exitCode !== null, 60_000);
      expect(output).toContain('planned');
    };
    try {
      // One after the other up to their plans: the gcs backend's init writes a stack's first,
      // empty state under the lock without waiting for it (plan and apply wait), so two first
      // inits at once fail one of them, with a transient error the reconciler would retry.
      await start('blue');
      await start('green');
      // Both plans were made against the same state; now both apply at once.
      const told = Date.now();
      for (const c of children) c.child.stdin.write('apply\n');
      for (const c of children) expect(await c.exited, c.output()).toBe(0);

      const [first, second] = await readMarks(marks);
      expect([first?.label, second?.label].sort()).toEqual(['blue', 'green']);
      expect(first!.end).toBeLessThanOrEqual(second!.begin);
      // The second's create-only upload of the lock object was refused while the first held it.
      const refused = gcs.errors.filter((e) => e.method === 'POST' && e.name === lockOf('shared'));
      expect(refused.map((e) => [e.status, e.reason])).toContainEqual([412, 'conditionNotMet']);
      expect(refused.some((e) => e.status === 412 && e.at >= told && e.at < first!.end)).toBe(true);
      // Its saved plan went stale under it: it planned again on the first's state.
      const loser = children.find((c) => c.label === second!.label)!;
      expect(loser.output()).toContain('applied after 2 plans');

      // No write was lost: one lineage, each version newer than the last, the second's resource last.
      const states = writtenStates('shared');
      expect(new Set(states.map((s) => s.lineage)).size).toBe(1);
      expect(states.map((s) => s.serial)).toEqual([...states.map((s) => s.serial)].sort((a, b) => a - b));
      expect(new Set(states.map((s) => s.serial)).size).toBe(states.length);
      expect(storedState('shared')).toEqual(states.at(-1));
      expect(inputsOf(storedState('shared'))).toEqual([['terraform_data.marked', second!.label]]);
      expect(objects().has(lockOf('shared'))).toBe(false);
      const check = openTerraform({ dir: await tempDir(), backend: gcsBackend(front.url), env: gcsEnv(certificate.certFile) }).stack('shared');
      await check.write(markedStack(second!.label));
      expect((await check.plan()).empty).toBe(true);
    } finally {
      for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    }
  });
});
