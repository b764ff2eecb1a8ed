// `pilot bootstrap` through the real CLI: --dry-run writes files that pass cloud-init's own
// schema check and the VM stacks' security checks; a real run plans, asks, applies with
// progress and says what to do next, against the real terraform binary with the clouds'
// stand-in (terraform_data); destroy keeps the state bucket unless asked.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { removeTemporaryFolders, temporaryFolder } from './support/git-repos.js';
import { vmStackProblems, type TerraformJson } from './support/vm-stack-checks.js';

afterAll(removeTemporaryFolders);

const image = `registry.example.com/acme/pilot-runner@sha256:${'4f'.repeat(32)}`;
const required = ['--repo', 'https://github.com/acme/infra', '--runner-image', image, '--pilot-package', 'https://downloads.example.com/pilot-0.1.0.tgz'];
const cloudArgs = { aws: [], gcp: ['--gcp-project', 'acme-prod'] } as const;

async function cloudInitSchema(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('cloud-init', ['schema', '--config-file', file]);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: string | number; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') throw new Error('cloud-init is not installed: apt-get install cloud-init (.ci/run does)');
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('pilot bootstrap --dry-run', () => {
  for (const cloud of ['aws', 'gcp'] as const) {
    it(`${cloud}: writes the Terraform JSON and the user-data, which pass cloud-init's schema and the stack checks`, async () => {
      const out = await temporaryFolder('pilot-bootstrap-out-');
      const extra = ['--admin-cidr', '203.0.113.7/32', '--ssh-cidr', '198.51.100.0/24', '--domain', 'pilot.acme.com'];
      const result = await cli(['bootstrap', cloud, ...cloudArgs[cloud], ...required, ...extra, '--dry-run', '--out', out]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Pilot VM on ${cloud}`);
      expect(result.stdout).toContain('port 443 (webhooks and the status page, over TLS) open to anywhere');
      expect(result.stdout).toContain('port 9701 (Waypoint\'s API) open to 203.0.113.7/32');
      expect(result.stdout).toContain('port 22 (SSH) open to 198.51.100.0/24');
      expect(result.stdout).toContain('Nothing applied (--dry-run).');
      expect((await readdir(out)).sort()).toEqual(['cdk.tf.json', 'user-data.yaml']);

      const userData = await readFile(path.join(out, 'user-data.yaml'), 'utf8');
      const schema = await cloudInitSchema(path.join(out, 'user-data.yaml'));
      expect(schema, schema.output).toMatchObject({ ok: true });
      const config = JSON.parse(await readFile(path.join(out, 'cdk.tf.json'), 'utf8')) as TerraformJson;
      const stateBucket = /state bucket for the project stacks: (\S+)/.exec(result.stdout)![1]!;
      expect(vmStackProblems(config, { adminCidr: '203.0.113.7/32', sshCidr: '198.51.100.0/24', stateBucket, userData })).toEqual([]);
      // Cloud Run apps run as the account the VM may act as, which the stack makes.
      if (cloud === 'gcp') {
        expect(userData).toContain('appsServiceAccount: pilot-apps@acme-prod.iam.gserviceaccount.com');
        expect(JSON.stringify(config)).toContain('"account_id":"pilot-apps"');
      } else {
        expect(userData).not.toContain('appsServiceAccount');
      }
    });
  }

  for (const cloud of ['aws', 'gcp'] as const) {
    it(`${cloud}: with nothing but --repo, packs this Pilot for the stack to upload and the VM to build its Waypoint image from`, async () => {
      const out = await temporaryFolder('pilot-bootstrap-out-');
      const result = await cli(['bootstrap', cloud, ...cloudArgs[cloud], '--dry-run', '--repo', 'https://github.com/acme/infra', '--out', out]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Waypoint image: built on the VM from runner-image/ at first boot');
      const tarball = (await readdir(out)).find((name) => name.endsWith('.tgz'))!;
      expect(tarball).toMatch(/^pilot-\d+\.\d+\.\d+\.tgz$/);
      const sha256 = createHash('sha256').update(await readFile(path.join(out, tarball))).digest('hex');
      expect(result.stdout).toContain(`installs ${tarball} (this Pilot, packed; sha256 ${sha256.slice(0, 12)}`);

      const userData = await readFile(path.join(out, 'user-data.yaml'), 'utf8');
      expect((await cloudInitSchema(path.join(out, 'user-data.yaml'))).ok).toBe(true);
      expect(userData).toContain(`PILOT_BUNDLE_SHA256='${sha256}'`);
      expect(userData).toContain("PILOT_BUILD_RUNNER='true'");
      const config = JSON.parse(await readFile(path.join(out, 'cdk.tf.json'), 'utf8')) as TerraformJson & { resource: Record<string, Record<string, Record<string, unknown>>> };
      const stateBucket = /state bucket for the project stacks: (\S+)/.exec(result.stdout)![1]!;
      expect(vmStackProblems(config, { stateBucket, userData })).toEqual([]);
      // The stack uploads the tarball from beside cdk.tf.json, under a key that carries its hash.
      const object = cloud === 'aws' ? config.resource.aws_s3_object!['pilot-package']! : config.resource.google_storage_bucket_object!['pilot-package']!;
      expect(object.source).toBe(tarball);
      expect(String(cloud === 'aws' ? object.key : object.name)).toBe(`bootstrap/packages/${tarball.replace(/\.tgz$/, '')}-${sha256.slice(0, 12)}.tgz`);
      expect(userData).toContain(`PILOT_BUNDLE_KEY='bootstrap/packages/`);
    });
  }

  it('with no --admin-cidr and no --ssh-cidr, opens 443 alone, and says so', async () => {
    const out = await temporaryFolder('pilot-bootstrap-out-');
    const result = await cli(['bootstrap', 'aws', ...required, '--dry-run', '--out', out, '--format', 'json']);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { summary: { ingress: { port: number; from: string }[]; stateBucket: string }; written: string[] };
    expect(printed.summary.ingress).toEqual([{ port: 443, what: 'webhooks and the status page, over TLS', from: 'anywhere' }]);
    expect(printed.written.map((file) => path.basename(file))).toEqual(['cdk.tf.json', 'user-data.yaml']);
    const config = JSON.parse(await readFile(path.join(out, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    const userData = await readFile(path.join(out, 'user-data.yaml'), 'utf8');
    expect(vmStackProblems(config, { stateBucket: printed.summary.stateBucket, userData })).toEqual([]);
    // The same checks catch the ports a missing --admin-cidr must leave closed.
    expect(vmStackProblems(config, { adminCidr: '203.0.113.7/32', stateBucket: printed.summary.stateBucket, userData })).toEqual([
      'port 9701 has no ingress rule',
      'port 9702 has no ingress rule',
    ]);
  });

  it('refuses bad flags with every problem at once, naming each flag, and writes nothing', async () => {
    const out = await temporaryFolder('pilot-bootstrap-out-');
    const result = await cli(['bootstrap', 'gcp', '--repo', 'https://user:hunter2@github.com/acme/infra', '--admin-cidr', '0.0.0.0/0', '--ssh-cidr', '10.0.0.1', '--runner-image', 'acme/runner:latest', '--dry-run', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    for (const expected of ['--gcp-project is required on gcp', '--admin-cidr 0.0.0.0/0 is the whole internet', '--ssh-cidr "10.0.0.1" is not a network in CIDR form', 'carries a user name or password before the @', '--runner-image "acme/runner:latest" is not pinned by digest']) {
      expect(result.stderr).toContain(expected);
    }
    expect(result.stderr).not.toContain('hunter2');
    expect(await readdir(out)).toEqual([]);
    expect((await cli(['bootstrap', 'azure', ...required, '--dry-run'])).stderr).toContain('run pilot bootstrap aws or pilot bootstrap gcp');
    // What the stacks and the files could not take is refused here, as usage, never as an internal error.
    const ipv6 = await cli(['bootstrap', 'aws', ...required, '--admin-cidr', '2001:db8::/32', '--dry-run']);
    expect([ipv6.code, ipv6.stderr]).toEqual([2, expect.stringContaining('--admin-cidr 2001:db8::/32 is an IPv6 network')]);
    const dollar = await cli(['bootstrap', 'aws', '--repo', 'https://github.com/acme/$(reboot)', '--dry-run']);
    expect([dollar.code, dollar.stderr]).toEqual([2, expect.stringContaining('has a character a git URL does not need')]);
    expect(ipv6.stderr + dollar.stderr).not.toContain('internal error');
    expect((await cli(['bootstrap', 'aws', ...required, '--out', out])).stderr).toContain('--out goes with --dry-run');
  });
});

describe('pilot bootstrap against terraform with the clouds stand-in', () => {
  it('plans, asks, applies, says what to do next; runs again with nothing to do; destroy keeps the state bucket', { timeout: 120_000 }, async () => {
    const stateDir = await temporaryFolder('pilot-bootstrap-state-');
    // No --runner-image and no --pilot-package: this Pilot is packed into the stack's folder.
    const args = ['bootstrap', 'aws', '--repo', 'https://github.com/acme/infra', '--admin-cidr', '203.0.113.7/32', '--clouds', 'stand-in', '--state-dir', stateDir];

    // No terminal and no --yes: the plan is shown, nothing is applied.
    const refused = await cli(args);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('+ aws_instance.instance');
    expect(refused.stdout).toMatch(/\d+ to create, 0 to change, 0 to replace, 0 to destroy/);
    expect(refused.stderr).toContain('run again with --yes');

    // A person at a terminal who says no: still nothing.
    const declined = await cli(args, { tty: true, prompter: { input: async () => '', select: async () => { throw new Error('no select'); }, confirm: async () => false } });
    expect(declined.code).toBe(0);
    expect(declined.stdout).toContain('Nothing changed.');

    const applied = await cli([...args, '--yes']);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toContain('aws_instance.instance: Creation complete');
    expect(applied.stderr).not.toContain('terraform_data');
    const secret = /Secret {8}(\S+)/.exec(applied.stdout)?.[1];
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    expect(applied.stdout).toContain('Payload URL   https://stand-in-address-public_ip/webhooks/github');
    expect(applied.stdout).toContain('from 203.0.113.7/32');
    // The secret is printed once, to the person: not in the progress lines.
    expect(applied.stderr).not.toContain(secret);

    const again = await cli([...args, '--yes', '--format', 'json']);
    expect(again.code).toBe(0);
    const printed = JSON.parse(again.stdout) as { status: string; outputs: Record<string, unknown> };
    expect(printed.status).toBe('unchanged');
    expect(printed.outputs.public_ip).toBe('stand-in-address-public_ip');
    expect(printed.outputs).not.toHaveProperty('webhook_secret');
    expect(again.stdout).not.toContain(secret);

    const [stackDir] = await readdir(path.join(stateDir, 'bootstrap', 'stacks'));
    expect((await readdir(path.join(stateDir, 'bootstrap', 'stacks', stackDir!))).some((name) => /^pilot-.*\.tgz$/.test(name))).toBe(true);

    const destroyed = await cli(['bootstrap', 'destroy', 'aws', ...args.slice(2), '--yes']);
    expect(destroyed.code).toBe(0);
    expect(destroyed.stdout).toContain('= aws_s3_bucket.state-bucket (kept)');
    expect(destroyed.stdout).toContain('Kept: the state bucket');
    const [stack] = await readdir(path.join(stateDir, 'bootstrap', 'stacks'));
    const state = JSON.parse(await readFile(path.join(stateDir, 'bootstrap', 'stacks', stack!, 'terraform.tfstate'), 'utf8')) as { resources: unknown[] };
    // Terraform forgot the bucket (it stands, outside any state) and destroyed the rest.
    expect(state.resources).toEqual([]);
    expect((await cli(['bootstrap', 'destroy', 'aws', ...args.slice(2), '--yes'])).stdout).toContain('The Pilot VM is destroyed.');
  });
});
