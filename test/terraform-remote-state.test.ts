// Terraform state in S3, with the real terraform binary: Pilot's s3 backend pointed at the
// S3 stand-in (path-style, a custom https endpoint), a stack applied and planned again
// with nothing to do, and two Pilot processes applying one stack kept apart by
// Terraform's S3 lock file alone.

import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTerraform } from '../src/drivers/terraform/index.js';
import { repoRoot } from './support/reconcile-child.js';
import { keyPrefix, markedStack, readMarks, remoteBackend, remoteEnv, stateBucket, stateKey, inputsOf, type TerraformState } from './support/remote-state.js';
import { unsignedTrailer, readPayload, isProblem } from './support/s3-payload.js';
import { startS3StandIn, type S3StandIn } from './support/s3-stand-in.js';
import { startTlsFront, type TlsFront } from './support/tls-front.js';
import { selfSignedCertificate, type TestCertificate } from './support/tls.js';
import { eventually, removeTempDirs, tempDir } from './support/terraform-fixtures.js';

let s3: S3StandIn;
let front: TlsFront;
let certificate: TestCertificate;

beforeAll(async () => {
  certificate = await selfSignedCertificate();
  s3 = await startS3StandIn({ key: stateKey, buckets: [stateBucket] });
  front = await startTlsFront(s3.url, certificate);
});

afterAll(async () => {
  await front?.close();
  await s3?.close();
  if (certificate) await rm(path.dirname(certificate.certFile), { recursive: true, force: true });
});

afterEach(async () => {
  await removeTempDirs();
});

const objects = () => s3.buckets.get(stateBucket)!;
const stateOf = (stack: string) => `${keyPrefix}/${stack}/terraform.tfstate`;


function storedState(stack: string): TerraformState | undefined {
  const object = objects().get(stateOf(stack));
  return object && (JSON.parse(object.body.toString('utf8')) as TerraformState);
}

/** Every version of a stack's state written to the stand-in, in order, as S3 stored them. */
function writtenStates(stack: string): TerraformState[] {
  return s3.requests
    .filter((req) => req.method === 'PUT' && req.path === `/${stateBucket}/${stateOf(stack)}`)
    .map((req) => readPayload(req))
    .filter((payload) => !isProblem(payload))
    .map((payload) => JSON.parse((payload as { body: Buffer }).body.toString('utf8')) as TerraformState);
}


describe('terraform state in S3', () => {
  it('is written to the bucket, locked while terraform runs, and read back: a second plan has nothing to do', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const terraform = openTerraform({ dir, backend: remoteBackend(front.url), env: remoteEnv(certificate.certFile) });
    const stack = terraform.stack('shop-aws');
    await stack.write(markedStack('one'));
    const from = s3.requests.length;
    const plan = await stack.plan();
    expect(plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create terraform_data.marked']);
    await stack.apply(plan);

    expect(inputsOf(storedState('shop-aws'))).toEqual([['terraform_data.marked', 'one']]);
    expect((await stack.outputs()).label).toEqual({ value: 'one', sensitive: false });
    // The state lives in the bucket only, and the lock is given back.
    expect((await readdir(stack.dir)).filter((name) => name.includes('tfstate'))).toEqual([]);
    expect([...objects().keys()].filter((key) => key.endsWith('.tflock'))).toEqual([]);
    const seen = s3.requests.slice(from);
    const locks = seen.filter((req) => req.path === `/${stateBucket}/${stateOf('shop-aws')}.tflock`);
    expect(locks.filter((req) => req.method === 'PUT').every((req) => req.headers['if-none-match'] === '*')).toBe(true);
    expect(locks.map((req) => req.method)).toEqual(expect.arrayContaining(['PUT', 'DELETE']));
    // Over https the SDK sent aws-chunked bodies with a checksum trailer, and they were read as S3 reads them.
    expect(seen.some((req) => req.method === 'PUT' && req.headers['x-amz-content-sha256'] === unsignedTrailer && req.headers['x-amz-trailer'] === 'x-amz-checksum-sha256')).toBe(true);
    expect(s3.errors.filter((e) => e.status !== 404)).toEqual([]);

    // A second Pilot, with nothing on its disk, finds the state in the bucket.
    const other = openTerraform({ dir: await tempDir(), backend: remoteBackend(front.url), env: remoteEnv(certificate.certFile) }).stack('shop-aws');
    await other.write(markedStack('one'));
    expect((await other.plan()).empty).toBe(true);
    expect((await stack.plan()).empty).toBe(true);
    // Read back as the SDK's download manager reads: a ranged GET, answered with the part.
    const reads = s3.requests.slice(from).filter((req) => req.method === 'GET' && req.path === `/${stateBucket}/${stateOf('shop-aws')}`);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((req) => req.headers.range === 'bytes=0-5242879')).toBe(true);
  });

  it('keeps two Pilot processes applying one stack apart: the second waits on the lock file', { timeout: 120_000 }, async () => {
    const marks = path.join(await tempDir(), 'marks');
    const env = remoteEnv(certificate.certFile, { PILOT_TEST_MARKS: marks, PILOT_TEST_SLEEP: '2' });
    // Each its own working dir, so Pilot's own stack lock (a file there) cannot keep them apart.
    const children = await Promise.all(['blue', 'green'].map(async (label) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/terraform-remote-apply-child.ts', await tempDir(), 'shared', label, front.url], {
        cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      return { label, child, output: () => output, exited };
    }));
    try {
      for (const c of children) {
        await eventually(async () => c.output().includes('planned') || c.child.exitCode !== null, 60_000);
        expect(c.output()).toContain('planned');
      }
      // Both plans were made against the same state; now both apply at once.
      const told = Date.now();
      for (const c of children) c.child.stdin.write('apply\n');
      for (const c of children) expect(await c.exited, c.output()).toBe(0);

      const [first, second] = await readMarks(marks);
      expect([first?.label, second?.label].sort()).toEqual(['blue', 'green']);
      expect(first!.end).toBeLessThanOrEqual(second!.begin);
      // The second's lock file PUT was refused while the first held the lock.
      const refused = s3.errors.filter((e) => e.method === 'PUT' && e.key === `${stateOf('shared')}.tflock`);
      expect(refused.map((e) => [e.status, e.code])).toContainEqual([412, 'PreconditionFailed']);
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
      expect([...objects().keys()].filter((key) => key.endsWith('.tflock'))).toEqual([]);
      const check = openTerraform({ dir: await tempDir(), backend: remoteBackend(front.url), env: remoteEnv(certificate.certFile) }).stack('shared');
      await check.write(markedStack(second!.label));
      expect((await check.plan()).empty).toBe(true);
    } finally {
      for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    }
  });
});
