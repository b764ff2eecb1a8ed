// The terraform executor against the real binary (offline: built-in terraform_data
// only): plan, apply exactly that plan, outputs, secrets kept out of everything we
// emit, stale and foreign plans, locks, timeouts, a killed apply, the CLI config.

import { spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTerraform, type StackPlan, type TerraformSettings } from '../src/drivers/terraform/index.js';
import { isPilotError, type PilotError } from '../src/reconciler/errors.js';
import { repoRoot } from './support/reconcile-child.js';
import { dataStack, eventually, processesIn, recordingLogger, removeTempDirs, secret, tempDir } from './support/terraform-fixtures.js';

afterEach(async () => {
  await removeTempDirs();
});

async function rig(extra: Partial<TerraformSettings> = {}) {
  const dir = await tempDir();
  const logger = recordingLogger();
  const progress: { stack: string; message: string }[] = [];
  const terraform = openTerraform({ dir, logger, onProgress: (event) => progress.push(event), ...extra });
  return { dir, logger, progress, terraform };
}

async function failure(promise: Promise<unknown>): Promise<PilotError> {
  try {
    await promise;
  } catch (error) {
    if (isPilotError(error)) return error;
    throw error;
  }
  throw new Error('expected a PilotError, but the call succeeded');
}

function summary(plan: StackPlan) {
  return plan.changes.map((c) => `${c.action} ${c.address}`);
}

describe('terraform executor', () => {
  it('plans a new stack, applies exactly that plan, and then has nothing to do', async () => {
    const { dir, terraform, progress } = await rig();
    expect(await terraform.version()).toMatch(/^\d+\.\d+\.\d+/);
    const stack = terraform.stack('shop-aws');
    expect(stack.dir).toBe(path.join(dir, 'stacks', 'shop-aws'));
    await stack.write(dataStack());

    const written = JSON.parse(await readFile(path.join(stack.dir, 'main.tf.json'), 'utf8'));
    expect(written.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    const plan = await stack.plan();
    expect(summary(plan)).toEqual(['create terraform_data.a', 'create terraform_data.b', 'create terraform_data.c']);
    expect(plan.changes[0]).toMatchObject({ type: 'terraform_data', name: 'a', destructive: false });
    expect(plan.changes[0]!.attributes).toEqual([
      { name: 'id', after: '(known after apply)' },
      { name: 'input', after: 'x' },
      { name: 'output', after: '(known after apply)' },
    ]);
    expect(plan).toMatchObject({ stack: 'shop-aws', outputChanges: ['plain', 'secret'], empty: false, destroy: false });

    // Apply runs the saved plan, not a new one: a change written after the plan is not in it.
    await stack.write(dataStack({ a: 'written after the plan' }));
    await stack.apply(plan);
    expect(await stack.outputs()).toEqual({ plain: { value: 'x', sensitive: false }, secret: { value: secret, sensitive: true } });
    await stack.write(dataStack());
    const again = await stack.plan();
    expect(again).toMatchObject({ changes: [], outputChanges: [], empty: true });
    expect(progress.map((p) => p.message)).toContain('terraform_data.a: Creating...');
    expect(progress.every((p) => p.stack === 'shop-aws')).toBe(true);

    const mode = (file: string) => import('node:fs/promises').then((fs) => fs.stat(file)).then((s) => s.mode & 0o777);
    expect(await mode(stack.dir)).toBe(0o700);
    expect(await mode(path.join(dir, 'stacks'))).toBe(0o700);
  });

  it('shows updates, replaces with their reason, deletes, and a destroy plan', async () => {
    const { terraform } = await rig();
    const stack = terraform.stack('changes');
    await stack.write(dataStack());
    await stack.apply(await stack.plan());

    await stack.write(dataStack({ a: 'y', trigger: '2', withC: false }));
    const plan = await stack.plan();
    expect(summary(plan)).toEqual(['update terraform_data.a', 'replace terraform_data.b', 'delete terraform_data.c']);
    const [update, replace, remove] = plan.changes;
    expect(update!.attributes).toEqual([
      { name: 'input', before: 'x', after: 'y' },
      { name: 'output', before: 'x', after: '(known after apply)' },
    ]);
    expect(update!.destructive).toBe(false);
    expect(replace).toMatchObject({ destructive: true, replaceBecause: ['triggers_replace'] });
    expect(replace!.attributes.find((a) => a.name === 'triggers_replace')).toEqual({ name: 'triggers_replace', before: ['1'], after: ['2'] });
    expect(remove).toMatchObject({ destructive: true, action: 'delete' });
    expect(plan.outputChanges).toEqual(['plain']);
    await stack.apply(plan);
    expect((await stack.outputs()).plain).toEqual({ value: 'y', sensitive: false });

    const destroy = await stack.plan({ destroy: true });
    expect(destroy.destroy).toBe(true);
    expect(summary(destroy)).toEqual(['delete terraform_data.a', 'delete terraform_data.b']);
    expect(destroy.changes.every((c) => c.destructive)).toBe(true);
    await stack.apply(destroy);
    expect(await stack.outputs()).toEqual({});

    await stack.apply(await stack.plan());
    await stack.destroy();
    expect(await stack.outputs()).toEqual({});
    expect(summary(await stack.plan())).toEqual(['create terraform_data.a', 'create terraform_data.b']);
  });

  it('forgets resources it is told to: a destroy then leaves them, and the state stays private', async () => {
    const { terraform } = await rig();
    const stack = terraform.stack('keep-bucket');
    await stack.write(dataStack());
    await stack.apply(await stack.plan());
    await stack.forget(['terraform_data.a']);
    const stateFiles = (await readdir(stack.dir)).filter((name) => name.includes('tfstate'));
    expect(stateFiles.length).toBeGreaterThan(1);
    for (const name of stateFiles) expect({ name, mode: (await stat(path.join(stack.dir, name))).mode & 0o777 }).toEqual({ name, mode: 0o600 });
    expect(summary(await stack.plan({ destroy: true }))).toEqual(['delete terraform_data.b', 'delete terraform_data.c']);
    await stack.destroy();
    // Terraform no longer knows it: with the configuration unchanged it would make it again.
    expect(summary(await stack.plan())).toEqual(['create terraform_data.a', 'create terraform_data.b', 'create terraform_data.c']);
    const error = await failure(stack.forget(['terraform_data.nowhere']));
    expect(error.code).toBe('terraform.failed');
    expect(error.message).toContain('terraform state rm for stack keep-bucket failed');
  });

  it('keeps sensitive values out of logs, progress, plans and errors', async () => {
    const { terraform, logger, progress } = await rig();
    const stack = terraform.stack('secrets');
    await stack.write(dataStack());
    const first = await stack.plan();
    await stack.apply(first);
    await stack.write(dataStack({ trigger: '2', withC: false }));
    const second = await stack.plan();
    // terraform_data copies the sensitive input into `output` without the mark: masked anyway.
    const replaced = second.changes.find((c) => c.address === 'terraform_data.b')!;
    expect(replaced.attributes.find((a) => a.name === 'output')).toEqual({ name: 'output', before: '(sensitive)', after: '(known after apply)' });
    expect(replaced.attributes.find((a) => a.name === 'input')).toBeUndefined();
    const created = first.changes.find((c) => c.address === 'terraform_data.b')!;
    expect(created.attributes.find((a) => a.name === 'input')).toEqual({ name: 'input', after: '(sensitive)' });
    await stack.apply(second);
    expect((await stack.outputs()).secret).toEqual({ value: secret, sensitive: true });

    await stack.write(dataStack({ failing: true }));
    const error = await failure(stack.apply(await stack.plan()));
    expect(error.code).toBe('terraform.failed');
    expect(error.message).toContain('terraform apply for stack secrets failed:\n  Error: local-exec provisioner error (terraform_data.failing)');
    expect(error.message).toContain('local-exec provisioner error');

    const emitted = JSON.stringify([first, second, logger.entries, progress, error.message]);
    expect(emitted).not.toContain(secret);
    expect(logger.entries.length).toBeGreaterThan(10);
    expect(progress.length).toBeGreaterThan(5);
  });

  it('refuses a stale plan and a plan of another stack', async () => {
    const { terraform } = await rig();
    const one = terraform.stack('one');
    const two = terraform.stack('two');
    await one.write(dataStack());
    await two.write(dataStack());

    const older = await one.plan();
    const newer = await one.plan();
    await one.apply(newer);
    const superseded = await failure(one.apply(older));
    expect(superseded.code).toBe('terraform.stale-plan');
    expect(superseded.message).toMatch(/stack one .*newer plan/);

    // A plan whose file survives a later apply: terraform's own check says it is stale.
    await one.write(dataStack({ a: 'second' }));
    const kept = await one.plan();
    const copy = path.join(path.dirname(one.dir), 'kept.tfplan');
    await copyFile(kept.file, copy);
    await one.apply(kept);
    await one.write(dataStack({ a: 'third' }));
    const later = await one.plan();
    await copyFile(copy, kept.file);
    await one.apply(later);
    const stale = await failure(one.apply(kept));
    expect(stale.code).toBe('terraform.stale-plan');
    expect(stale.message).toContain('the state changed after the plan was made');

    const foreign = await failure(two.apply(await one.plan()));
    expect(foreign.code).toBe('terraform.foreign-plan');
    expect(foreign.message).toContain('made for stack one');
    const moved = await failure(two.apply({ ...(await two.plan()), file: path.join(one.dir, 'plans', 'x.tfplan') }));
    expect(moved.code).toBe('terraform.foreign-plan');
  });

  it('checks stack ids', async () => {
    const { terraform } = await rig();
    for (const id of ['', 'Upper', '-lead', '../escape', 'a/b', 'x'.repeat(64)]) {
      expect(() => terraform.stack(id), id).toThrow(/not valid/);
    }
    expect(terraform.stack('x'.repeat(63)).id).toHaveLength(63);
    expect(terraform.stack('same')).toBe(terraform.stack('same'));
  });

  it('says how to install terraform when the binary is missing', async () => {
    const { terraform } = await rig({ binary: '/nonexistent/terraform' });
    const error = await failure(terraform.version());
    expect(error).toMatchObject({ kind: 'stalled', code: 'terraform.missing' });
    expect(error.message).toContain('/nonexistent/terraform');
    expect(error.message).toMatch(/install terraform >= 1\.5 .*or set the path/);
    expect(error.message).toMatch(/^terraform version: /);
    const stack = terraform.stack('nobinary');
    await stack.write(dataStack());
    expect((await failure(stack.plan())).message).toMatch(/^terraform init for stack nobinary: terraform binary "\/nonexistent\/terraform" was not found/);
  });

  it('fails fast offline on a registry provider, naming it and the way out', async () => {
    const { terraform } = await rig();
    const stack = terraform.stack('needs-aws');
    await stack.write({
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' } } },
      resource: { aws_s3_bucket: { b: { bucket: 'pilot-test' } } },
    });
    const error = await failure(stack.init());
    expect(error).toMatchObject({ kind: 'stalled', code: 'terraform.provider-unavailable' });
    expect(error.message).toContain('stack needs-aws');
    expect(error.message).toContain('hashicorp/aws');
    expect(error.message).toContain('terraform.mirror in pilot.config.yaml');
    expect(error.message).toContain('registry.terraform.io');
    // A failed init is not remembered as done.
    expect((await failure(stack.plan())).code).toBe('terraform.provider-unavailable');
  });

  it('writes its CLI config and terraform uses it: providers come from the mirror alone', async () => {
    const base = await tempDir();
    const mirror = path.join(base, 'mirror');
    const { dir, terraform, logger } = await rig({ mirror });
    // An empty mirror (not even created yet) does not stop the built-in provider.
    const builtin = terraform.stack('builtin');
    await builtin.write(dataStack());
    await builtin.apply(await builtin.plan());

    // An unpacked mirror layout with a stand-in binary: init installs it from there.
    const platform = `linux_${process.arch === 'arm64' ? 'arm64' : 'amd64'}`;
    const providerDir = path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', '6.25.0', platform);
    await mkdir(providerDir, { recursive: true });
    await writeFile(path.join(providerDir, 'terraform-provider-aws_v6.25.0'), '#!/bin/sh\nexit 1\n');
    await chmod(path.join(providerDir, 'terraform-provider-aws_v6.25.0'), 0o755);

    const aws = terraform.stack('mirrored-aws');
    await aws.write({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' } } }, resource: { aws_s3_bucket: { b: { bucket: 'x' } } } });
    await aws.init();
    const lockFile = await readFile(path.join(aws.dir, '.terraform.lock.hcl'), 'utf8');
    expect(lockFile).toContain('registry.terraform.io/hashicorp/aws');

    const rc = await readFile(path.join(dir, 'terraformrc'), 'utf8');
    expect(rc).toContain(`plugin_cache_dir = "${path.join(dir, 'plugin-cache')}"`);
    expect(rc).toContain(`path = "${mirror}"`);

    // The second init is skipped: nothing it depends on changed.
    const inits = () => logger.entries.filter((e) => e.message === 'terraform command started' && (e.data as { command?: string }).command === 'init').length;
    const before = inits();
    await aws.init();
    expect(inits()).toBe(before);
    // A provider missing from the mirror fails without trying the network.
    await aws.write({ terraform: { required_providers: { google: { source: 'hashicorp/google', version: '6.50.0' } } }, resource: { google_storage_bucket: { b: { name: 'x' } } } });
    const error = await failure(aws.init());
    expect(error.code).toBe('terraform.provider-unavailable');
    expect(error.message).toContain('hashicorp/google');
    expect(inits()).toBe(before + 1);
  });

  it('serializes concurrent calls on one stack in this process', async () => {
    // No wait on the lock file: only the in-process queue can make the later calls wait.
    const { terraform, logger } = await rig({ env: { ...process.env, PILOT_TEST_SLEEP: '1' }, lockWaitMs: 0 });
    const stack = terraform.stack('busy');
    await stack.write(dataStack({ slow: 'one' }));
    const first = await stack.plan();
    const [, , secondPlan] = await Promise.all([
      stack.apply(first),
      stack.write(dataStack({ slow: 'two' })),
      stack.plan(),
    ]);
    expect(summary(secondPlan)).toEqual(['update terraform_data.slow']);
    await Promise.all([stack.apply(secondPlan), stack.apply(secondPlan).catch((e: PilotError) => e.code)]).then(([, second]) => {
      // The second call waited for the first, then found its plan used.
      expect(second).toBe('terraform.stale-plan');
    });
    // No two terraform commands of the stack ever ran at once.
    const spans: [number, number][] = [];
    let open: number | undefined;
    for (const entry of logger.entries) {
      if (entry.message === 'terraform command started') {
        expect(open).toBeUndefined();
        open = entry.at;
      } else if (entry.message === 'terraform command finished') {
        spans.push([open!, entry.at]);
        open = undefined;
      }
    }
    expect(spans.length).toBeGreaterThanOrEqual(6);
    expect((await stack.plan()).empty).toBe(true);
  });

  it('waits for a live lock holder up to a bound, and takes over a dead one', async () => {
    const { terraform, logger } = await rig({ lockWaitMs: 300 });
    const stack = terraform.stack('held');
    await stack.write(dataStack());
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(stack.dir, 'pilot.lock'), JSON.stringify({ pid: holder.pid, since: '2026-01-01T00:00:00.000Z', token: 'other' }));
      const error = await failure(stack.plan());
      expect(error).toMatchObject({ kind: 'waiting', code: 'terraform.locked' });
      expect(error.message).toContain(`terraform plan for stack held: the stack is busy (locked by process ${holder.pid} since 2026-01-01T00:00:00.000Z)`);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    expect(summary(await stack.plan())).toHaveLength(3);
    expect(logger.entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual(['took over a stale terraform stack lock']);
  });

  it('stops terraform on a timeout and leaves no process behind', async () => {
    const { terraform } = await rig({ env: { ...process.env, PILOT_TEST_SLEEP: '30' }, timeoutMs: { apply: 1500 }, killGraceMs: 1000 });
    const stack = terraform.stack('slow');
    await stack.write(dataStack({ slow: 'one' }));
    const error = await failure(stack.apply(await stack.plan()));
    expect(error).toMatchObject({ kind: 'transient', code: 'terraform.timeout' });
    expect(error.message).toBe('terraform apply for stack slow timed out after 1.5 s and was stopped');
    expect(await processesIn(stack.dir)).toEqual([]);
    // Stopped gracefully: the lock is free, and terraform marked the half-made resource to be replaced.
    expect(summary(await stack.plan())).toEqual(['replace terraform_data.slow']);
  });

  it('recovers a stack whose apply was killed with SIGKILL', { timeout: 30_000 }, async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/terraform-apply-child.ts', dir, 'killed'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const lockFile = path.join(dir, 'stacks', 'killed', 'pilot.lock');
    const terraformPid = async () => {
      try {
        return (JSON.parse(await readFile(lockFile, 'utf8')) as { command?: { pid: number } }).command?.pid;
      } catch {
        return undefined;
      }
    };
    const started = await eventually(async () => output.includes("terraform_data.slow: Provisioning with 'local-exec'") && (await terraformPid()) !== undefined, 20_000);
    expect(started, output).toBe(true);
    const pid = (await terraformPid())!;
    // The child and its own group, then terraform's group: everything dies at once.
    process.kill(-child.pid!, 'SIGKILL');
    process.kill(-pid, 'SIGKILL');
    await exited;
    expect(output).not.toContain('applied');
    expect(await eventually(async () => (await processesIn(path.join(dir, 'stacks', 'killed'))).length === 0)).toBe(true);

    const logger = recordingLogger();
    const terraform = openTerraform({ dir, logger });
    const stack = terraform.stack('killed');
    // terraform saves state as it goes: what it created before the kill is kept (how much
    // depends on timing), and the plan finishes the job.
    await stack.apply(await stack.plan());
    expect((await stack.outputs()).plain).toEqual({ value: 'x', sensitive: false });
    expect((await stack.plan()).empty).toBe(true);
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    expect(warnings.map((w) => w.message)).toContain('took over a stale terraform stack lock');
    expect(warnings.find((w) => w.message === 'took over a stale terraform stack lock')!.data).toMatchObject({ stack: 'killed', terraformPid: pid });
    // The killed terraform's fcntl lock died with it, but its lock note stayed behind.
    expect(warnings.map((w) => w.message)).toContain('removed a leftover terraform state lock');
  });
});
