// The Pilot VM's Terraform stacks on AWS and GCP: what is open to whom, what the VM's
// identity may do, the state bucket, IMDSv2, outputs and user-data, for several
// option sets; and proof that each check in support/vm-stack-checks.ts can fail.

import { describe, expect, it } from 'vitest';
import { vmOutputs, vmPorts, type BootstrapOptions, type VmStackInput } from '../src/bootstrap/options.js';
import { awsDriver } from '../src/drivers/aws/index.js';
import { awsNetworkOutputs } from '../src/drivers/aws/vm/outputs.js';
import { awsPermissions } from '../src/drivers/aws/vm/permissions.js';
import { gcpDriver } from '../src/drivers/gcp/index.js';
import { gcpVmExtraOutputs } from '../src/drivers/gcp/vm/outputs.js';
import { customRolePermissions, gcpPermissions } from '../src/drivers/gcp/vm/permissions.js';
import {
  dockerPortProblems, iamProblems, imdsProblems, ingressProblems, outputProblems, policyStatementsOf, stateBucketProblems,
  terraformEscaped, unpackUserData, userDataProblems, vmStackProblems, type TerraformJson,
} from './support/vm-stack-checks.js';

// ---- Inputs ------------------------------------------------------------------------

const adminCidr = '203.0.113.0/24';
const sshCidr = '198.51.100.7/32';
/** Shell and cloud-init text full of what Terraform would read as templates. */
const userData = [
  '#cloud-config',
  'write_files:',
  '  - path: /etc/pilot/env',
  '    content: "HOME=${HOME} PATH=$${PATH} %{ if x } 100%{y}"',
  'runcmd:',
  '  - [sh, -c, \'echo "${USER}" > /tmp/who\']',
  '',
].join('\n');

type Variant = 'plain' | 'ssh-domain' | 'shared' | 'everything';
const variants: Variant[] = ['plain', 'ssh-domain', 'shared', 'everything'];

function optionsOf(cloud: 'aws' | 'gcp', variant: Variant): BootstrapOptions {
  const withSsh = variant === 'ssh-domain' || variant === 'everything';
  return {
    cloud,
    name: 'pilot',
    region: cloud === 'aws' ? 'eu-west-1' : 'europe-west1',
    ...(cloud === 'gcp' ? { gcpProject: 'acme-prod' } : {}),
    machineType: cloud === 'aws' ? 't3.medium' : 'e2-medium',
    diskGb: 30,
    adminCidr,
    ...(withSsh ? { sshCidr, domain: 'pilot.acme.dev' } : {}),
    repo: 'https://github.com/acme/infra.git',
    branch: 'main',
    stateBucket: 'pilot-acme-state',
    shareDatabaseNetwork: variant === 'shared' || variant === 'everything',
    runnerImage: 'ghcr.io/acme/pilot-runner@sha256:' + '0'.repeat(64),
    pilotPackage: '@acme/pilot@1.0.0',
  };
}

// The JSON is walked by hand; its blocks are loosely typed on purpose.
type Block = Record<string, any>;

function synth(cloud: 'aws' | 'gcp', variant: Variant, change: Partial<BootstrapOptions> = {}): { input: VmStackInput; json: Block } {
  const input = { options: { ...optionsOf(cloud, variant), ...change }, userData };
  const driver = cloud === 'aws' ? awsDriver : gcpDriver;
  return { input, json: driver.synthVm!(input) as Block };
}

function ofType(json: Block, type: string): [string, Block][] {
  return Object.entries(json.resource?.[type] ?? {});
}

function one(json: Block, type: string, name: string): Block {
  const body = json.resource?.[type]?.[name];
  if (!body) throw new Error(`no ${type}.${name}`);
  return body;
}

const contextOf = (input: VmStackInput) => ({ adminCidr, sshCidr: input.options.sshCidr, stateBucket: input.options.stateBucket, userData });
const clone = (json: Block): Block => JSON.parse(JSON.stringify(json)) as Block;

// ---- Both clouds -------------------------------------------------------------------

describe.each(['aws', 'gcp'] as const)('%s VM stack', (cloud) => {
  it.each(variants)('%s: passes every check (ingress, Docker ports, IAM, state bucket, IMDSv2, user-data, outputs)', (variant) => {
    const { input, json } = synth(cloud, variant);
    expect(vmStackProblems(json, contextOf(input))).toEqual([]);
  });

  it.each(variants)('%s: 22 is open only with an SSH CIDR, and then from it alone', (variant) => {
    const { input, json } = synth(cloud, variant);
    const text = JSON.stringify(json.resource);
    if (input.options.sshCidr) {
      expect(text).toContain(sshCidr);
      expect(ingressProblems(json, { adminCidr })).toContainEqual(expect.stringMatching(/port 22 is open although no SSH CIDR/));
    } else {
      expect(text).not.toContain(sshCidr);
      expect(ingressProblems(json, { adminCidr, sshCidr })).toEqual(['port 22 has no ingress rule']);
    }
  });

  it('the same input gives the same JSON', () => {
    expect(JSON.stringify(synth(cloud, 'everything').json)).toBe(JSON.stringify(synth(cloud, 'everything').json));
    expect(JSON.stringify(synth(cloud, 'plain').json)).not.toBe(JSON.stringify(synth(cloud, 'everything').json));
  });

  it('hands the user-data to the VM unchanged: gzipped on aws (EC2 takes 16 KB), templates escaped for Terraform on gcp', () => {
    const { json } = synth(cloud, 'plain');
    if (cloud === 'aws') {
      const instance = one(json, 'aws_instance', 'instance');
      expect(instance.user_data).toBeUndefined();
      expect(unpackUserData(instance.user_data_base64)).toBe(userData);
      // gzip's magic bytes, which cloud-init looks for.
      expect(Buffer.from(instance.user_data_base64, 'base64').subarray(0, 2).toString('hex')).toBe('1f8b');
      return;
    }
    const given = one(json, 'google_compute_instance', 'instance').metadata['user-data'];
    expect(given).toBe(terraformEscaped(userData));
    expect(given).toContain('HOME=$${HOME} PATH=$$${PATH} %%{ if x } 100%%{y}');
    expect(given.replaceAll('$${', '${').replaceAll('%%{', '%{')).toBe(userData);
  });

  it('outputs every name of vmOutputs, the webhook secret as sensitive, and never the secret in the user-data', () => {
    const { json } = synth(cloud, 'plain');
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(Object.values(vmOutputs)));
    expect(json.output[vmOutputs.webhookSecret]).toEqual({ value: '${random_password.webhook-secret-value.result}', sensitive: true });
    const password = one(json, 'random_password', 'webhook-secret-value');
    expect(password).toMatchObject({ length: 48, special: false });
    expect(JSON.stringify(json)).not.toMatch(/user[-_]data[^,]*random_password/);
  });

  it('uploads the packed Pilot to the state bucket only when there is a bundle, from beside the configuration', () => {
    const bundle = { file: 'pilot-0.1.0.tgz', key: `bootstrap/packages/pilot-0.1.0-${'a'.repeat(12)}.tgz`, sha256: 'a'.repeat(64) };
    const { json } = synth(cloud, 'plain', { pilotPackage: bundle.file, pilotBundle: bundle });
    const type = cloud === 'aws' ? 'aws_s3_object' : 'google_storage_bucket_object';
    const object = one(json, type, 'pilot-package');
    expect(object.source).toBe(bundle.file);
    expect(cloud === 'aws' ? [object.key, object.source_hash, object.bucket] : [object.name, object.bucket]).toEqual(
      cloud === 'aws' ? [bundle.key, bundle.sha256, '${aws_s3_bucket.state-bucket.id}'] : [bundle.key, '${google_storage_bucket.state-bucket.name}'],
    );
    expect(vmStackProblems(json, contextOf(synth(cloud, 'plain').input))).toEqual([]);
    expect(ofType(synth(cloud, 'plain').json, type)).toEqual([]);
  });

  it('refuses an admin or SSH CIDR that is the whole internet, and a CIDR that is not one', () => {
    expect(() => synth(cloud, 'plain', { adminCidr: '0.0.0.0/0' })).toThrow(/whole internet/);
    expect(() => synth(cloud, 'plain', { sshCidr: '0.0.0.0/0' })).toThrow(/--ssh-cidr 0\.0\.0\.0\/0 would open/);
    expect(() => synth(cloud, 'plain', { adminCidr: '203.0.113.0/33' })).toThrow(/not an IPv4 CIDR/);
    expect(() => synth(cloud, 'plain', { cloud: cloud === 'aws' ? 'gcp' : 'aws' })).toThrow(/was asked for cloud/);
  });
});

// ---- AWS -----------------------------------------------------------------------------

describe('AWS VM', () => {
  it('runs Canonical Ubuntu 24.04 on an encrypted gp3 disk, IMDSv2 only with hop limit 2, no key pair, an Elastic IP', () => {
    const { json } = synth('aws', 'plain');
    const ami = json.data.aws_ami.ubuntu;
    expect(ami.owners).toEqual(['099720109477']);
    expect(ami.most_recent).toBe(true);
    expect(ami.filter).toContainEqual({ name: 'name', values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*'] });
    const instance = one(json, 'aws_instance', 'instance');
    expect(instance).toMatchObject({
      ami: '${data.aws_ami.ubuntu.id}', instance_type: 't3.medium', user_data_replace_on_change: true,
      iam_instance_profile: '${aws_iam_instance_profile.instance-profile.name}',
      root_block_device: { volume_size: 30, volume_type: 'gp3', encrypted: true },
      metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 2, http_endpoint: 'enabled' },
    });
    expect(instance.key_name).toBeUndefined();
    expect(ofType(json, 'aws_key_pair')).toEqual([]);
    expect(one(json, 'aws_eip', 'address')).toMatchObject({ domain: 'vpc', instance: '${aws_instance.instance.id}' });
    expect(json.output[vmOutputs.publicIp].value).toBe('${aws_eip.address.public_ip}');
  });

  it('opens 443 to IPv4 and IPv6, 9701 and 9702 to the admin CIDR, egress to all', () => {
    const { json } = synth('aws', 'plain');
    const ingress = ofType(json, 'aws_vpc_security_group_ingress_rule').map(([, r]) => [r.from_port, r.to_port, r.cidr_ipv4 ?? r.cidr_ipv6]);
    expect(ingress).toEqual([[443, 443, '0.0.0.0/0'], [443, 443, '::/0'], [vmPorts.waypointGrpc, vmPorts.waypointGrpc, adminCidr], [vmPorts.waypointUi, vmPorts.waypointUi, adminCidr]]);
    expect(ofType(json, 'aws_vpc_security_group_egress_rule').map(([, r]) => r.ip_protocol)).toEqual(['-1', '-1']);
    expect(ofType(json, 'aws_security_group_rule')).toEqual([]);
  });

  it('tags every resource through the provider default tags', () => {
    const { json } = synth('aws', 'plain', { name: 'ops' });
    expect(json.provider.aws[0].default_tags).toEqual([{ tags: { 'pilot:component': 'vm', 'pilot:name': 'ops' } }]);
    expect(one(json, 'aws_iam_role', 'role').name).toBe('ops-vm');
    expect(one(json, 'aws_secretsmanager_secret', 'webhook-secret').name).toBe('ops/webhook-secret');
  });

  it('builds one public subnet, and with a shared network two app and two database subnets in two zones, as outputs', () => {
    const plain = synth('aws', 'plain').json;
    expect(ofType(plain, 'aws_subnet').map(([name]) => name)).toEqual(['vm-subnet']);
    for (const name of Object.values(awsNetworkOutputs)) expect(plain.output[name]).toBeUndefined();

    const shared = synth('aws', 'shared').json;
    const subnets = Object.fromEntries(ofType(shared, 'aws_subnet'));
    expect(Object.keys(subnets).sort()).toEqual(['app-subnet-0', 'app-subnet-1', 'db-subnet-0', 'db-subnet-1', 'vm-subnet']);
    expect(subnets['db-subnet-0']!.availability_zone).not.toBe(subnets['db-subnet-1']!.availability_zone);
    const routed = ofType(shared, 'aws_route_table_association').map(([, a]) => a.subnet_id);
    expect(routed.some((id: string) => id.includes('db-subnet'))).toBe(false);
    expect(shared.output[awsNetworkOutputs.vpcId].value).toBe('${aws_vpc.vpc.id}');
    expect(shared.output[awsNetworkOutputs.appSubnetIds].value).toEqual(['${aws_subnet.app-subnet-0.id}', '${aws_subnet.app-subnet-1.id}']);
    expect(shared.output[awsNetworkOutputs.databaseSubnetIds].value).toEqual(['${aws_subnet.db-subnet-0.id}', '${aws_subnet.db-subnet-1.id}']);
  });

  it('lets only EC2 assume the role, and reads the webhook secret and the state bucket through these statements alone', () => {
    const { json } = synth('aws', 'plain');
    expect(json.data.aws_iam_policy_document['assume-role'].statement).toEqual([
      { actions: ['sts:AssumeRole'], effect: 'Allow', principals: [{ identifiers: ['ec2.amazonaws.com'], type: 'Service' }] },
    ]);
    const allows = policyStatementsOf(json).filter((s) => s.effect === 'Allow');
    const secretReaders = allows.filter((s) => s.actions.some((a) => a.startsWith('secretsmanager:')));
    expect(secretReaders.map((s) => [s.actions, s.resources])).toEqual([[['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], ['${aws_secretsmanager_secret.webhook-secret.arn}']]]);
    const onState = allows.filter((s) => s.resources.some((r) => r.includes('pilot-acme-state')));
    expect(onState.map((s) => s.where.replace(/.*\((.*)\)$/, '$1'))).toEqual(['StateBucketList', 'StateObjects']);
    // The state bucket's name matches the site buckets' "pilot-*": a Deny keeps its settings out of reach.
    const kept = policyStatementsOf(json).find((s) => s.where.endsWith('(StateBucketKept)'))!;
    expect(kept.effect).toBe('Deny');
    expect(kept.actions).toEqual(expect.arrayContaining(['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:DeleteObjectVersion']));
  });

  it('passes only the Waypoint roles, only to ECS tasks and Lambda, and attaches only their two AWS policies', () => {
    const passRole = awsPermissions.filter((g) => g.actions.includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(passRole[0]!.resources).toEqual(['arn:{partition}:iam::{account}:role/ecr-*', 'arn:{partition}:iam::{account}:role/lambda-*']);
    expect(passRole[0]!.condition).toEqual([{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'] }]);
    const attach = awsPermissions.find((g) => g.actions.includes('iam:AttachRolePolicy'))!;
    expect(attach.condition?.[0]?.variable).toBe('iam:PolicyARN');
    const iamActions = awsPermissions.filter((g) => g.effect !== 'Deny').flatMap((g) => g.actions).filter((a) => a.startsWith('iam:'));
    expect(new Set(iamActions)).toEqual(new Set(['iam:CreateServiceLinkedRole', 'iam:GetRole', 'iam:CreateRole', 'iam:DeleteRole', 'iam:ListAttachedRolePolicies', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PassRole']));
  });

  it('keeps "*" resources to groups that say why, and every managed policy under IAM\'s 6,144 characters', () => {
    for (const group of awsPermissions) {
      if (group.resources.includes('*')) expect(group.why).toMatch(/hence "\*"/);
      for (const action of group.actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
    }
    const fill = (text: string) =>
      text.replaceAll('{partition}', 'aws-us-gov').replaceAll('{account}', '123456789012').replaceAll('{stateBucket}', 'x'.repeat(63))
        .replaceAll('{webhookSecret}', `arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:${'x'.repeat(20)}/webhook-secret-AbCdEf`);
    for (const policy of ['core', 'stacks', 'waypoint', 'sync']) {
      const statements = awsPermissions.filter((g) => g.policy === policy).map((g) => ({
        Sid: g.sid, Effect: g.effect ?? 'Allow', Action: g.actions, Resource: g.resources.map(fill),
        ...(g.condition ? { Condition: Object.fromEntries(g.condition.map((c) => [c.test, { [c.variable]: c.values.map(fill) }])) } : {}),
      }));
      expect(statements.length).toBeGreaterThan(0);
      expect(JSON.stringify({ Version: '2012-10-17', Statement: statements }).length).toBeLessThan(6144);
    }
    const { json } = synth('aws', 'plain');
    expect(ofType(json, 'aws_iam_role_policy_attachment')).toHaveLength(4);
  });

  it('keeps the state bucket: versioned, AES256, public access blocked, ACLs off, TLS only, never force-destroyed', () => {
    const { json } = synth('aws', 'plain');
    expect(one(json, 'aws_s3_bucket', 'state-bucket')).toMatchObject({ bucket: 'pilot-acme-state', force_destroy: false });
    expect(one(json, 'aws_s3_bucket_server_side_encryption_configuration', 'state-bucket-encryption').rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    expect(ofType(json, 'aws_dynamodb_table')).toEqual([]);
  });
});

// ---- GCP -----------------------------------------------------------------------------

describe('GCP VM', () => {
  it('runs Ubuntu 24.04 LTS as a Shielded VM with its own account, a static address, project SSH keys blocked', () => {
    const { json } = synth('gcp', 'plain');
    const instance = one(json, 'google_compute_instance', 'instance');
    expect(instance).toMatchObject({
      machine_type: 'e2-medium', zone: 'europe-west1-a',
      boot_disk: { initialize_params: { image: 'ubuntu-os-cloud/ubuntu-2404-lts-amd64', size: 30 } },
      shielded_instance_config: { enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true },
      service_account: { email: '${google_service_account.service-account.email}', scopes: ['cloud-platform'] },
      network_interface: [{ access_config: [{ nat_ip: '${google_compute_address.address.address}' }] }],
    });
    expect(instance.metadata['block-project-ssh-keys']).toBe('true');
    expect(one(json, 'google_compute_address', 'address').address_type).toBe('EXTERNAL');
    expect(synth('gcp', 'plain', { zone: 'europe-west1-c' }).json.resource.google_compute_instance.instance.zone).toBe('europe-west1-c');
    expect(() => synth('gcp', 'plain', { gcpProject: undefined })).toThrow(/--gcp-project/);
  });

  it('admits 443 from anywhere, 9701-9702 from the admin CIDR, and targets the VM by its tag', () => {
    const { json } = synth('gcp', 'everything');
    const rules = ofType(json, 'google_compute_firewall').map(([, f]) => [f.allow[0].ports, f.source_ranges, f.target_tags]);
    expect(rules).toEqual([[['443'], ['0.0.0.0/0'], ['pilot-vm']], [['9701', '9702'], [adminCidr], ['pilot-vm']], [['22'], [sshCidr], ['pilot-vm']]]);
  });

  it('binds a custom role of exact permissions to a keyless service account, and nothing primitive', () => {
    const { json } = synth('gcp', 'plain');
    const role = one(json, 'google_project_iam_custom_role', 'custom-role');
    expect(role.role_id).toBe('pilot_vm');
    expect(role.permissions).toEqual(customRolePermissions());
    expect(role.permissions.length).toBe(new Set(gcpPermissions.flatMap((g) => g.permissions)).size);
    expect(one(json, 'google_project_iam_member', 'custom-role-member')).toMatchObject({
      role: '${google_project_iam_custom_role.custom-role.name}', member: 'serviceAccount:${google_service_account.service-account.email}',
    });
    const roles = Object.values(json.resource as Record<string, Record<string, Block>>).flatMap((byName) => Object.values(byName)).map((b) => b.role).filter(Boolean);
    expect(roles.sort()).toEqual(['${google_project_iam_custom_role.custom-role.name}', 'roles/iam.serviceAccountUser', 'roles/secretmanager.secretAccessor', 'roles/storage.objectUser']);
    expect(ofType(json, 'google_service_account_key')).toEqual([]);
    // actAs on the apps' account only: never on the project, never on the default compute account.
    expect(one(json, 'google_service_account_iam_member', 'apps-service-account-user').service_account_id).toBe('${google_service_account.apps-service-account.name}');
    expect(json.output[gcpVmExtraOutputs.appsIdentity].value).toBe('${google_service_account.apps-service-account.email}');
  });

  it('keeps the webhook secret in Secret Manager, readable by the VM account through a grant on that secret', () => {
    const { json } = synth('gcp', 'plain');
    expect(one(json, 'google_secret_manager_secret', 'webhook-secret').secret_id).toBe('pilot-webhook-secret');
    expect(one(json, 'google_secret_manager_secret_version', 'webhook-secret-version').secret_data).toBe('${random_password.webhook-secret-value.result}');
    expect(one(json, 'google_secret_manager_secret_iam_member', 'webhook-secret-reader')).toMatchObject({
      secret_id: '${google_secret_manager_secret.webhook-secret.id}', role: 'roles/secretmanager.secretAccessor',
      member: 'serviceAccount:${google_service_account.service-account.email}',
    });
  });

  it('labels through the provider, enables its APIs for good, and shares its network only when asked', () => {
    const plain = synth('gcp', 'plain').json;
    expect(plain.provider.google[0].default_labels).toEqual({ 'pilot-component': 'vm', 'pilot-name': 'pilot' });
    for (const [, service] of ofType(plain, 'google_project_service')) expect(service.disable_on_destroy).toBe(false);
    expect(plain.output[gcpVmExtraOutputs.network]).toBeUndefined();
    expect(synth('gcp', 'shared').json.output[gcpVmExtraOutputs.network].value).toBe('${google_compute_network.vpc-network.id}');
  });

  it('replaces the VM when the user-data changes, by a plain address Terraform accepts', () => {
    const { json } = synth('gcp', 'plain');
    expect(one(json, 'google_compute_instance', 'instance').lifecycle.replace_triggered_by).toEqual(['terraform_data.user-data-revision']);
    const before = one(json, 'terraform_data', 'user-data-revision').input.sha256;
    const after = gcpDriver.synthVm!({ options: optionsOf('gcp', 'plain'), userData: userData + '# changed\n' }) as Block;
    expect(after.resource.terraform_data['user-data-revision'].input.sha256).not.toBe(before);
  });
});

// ---- The checks can fail -------------------------------------------------------------

describe('the checks report what is wrong', () => {
  const bad: TerraformJson = {
    data: {
      aws_iam_policy_document: {
        wide: { statement: [{ effect: 'Allow', actions: ['ecs:*', 'iam:CreateAccessKey', 'iam:PassRole'], resources: ['*'] }] },
        notaction: { statement: [{ effect: 'Allow', not_actions: ['iam:DeleteRole'], resources: ['*'] }] },
      },
    },
    resource: {
      aws_vpc_security_group_ingress_rule: {
        ssh: { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' },
        docker: { ip_protocol: 'tcp', from_port: 2375, to_port: 2376, cidr_ipv4: '198.51.100.7/32' },
      },
      google_compute_firewall: { web: { allow: [{ protocol: 'tcp', ports: ['80', '9701-9702'] }] } },
      aws_iam_access_key: { key: { user: 'pilot' } },
      google_service_account_key: { key: { service_account_id: 'x' } },
      google_project_iam_member: { editor: { role: 'roles/editor', member: 'serviceAccount:x' } },
      aws_iam_role_policy: { literal: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) } },
      aws_s3_bucket: { state: { bucket: 'state', force_destroy: true } },
      aws_instance: { vm: { user_data: 'echo ${HOME}', metadata_options: { http_tokens: 'optional' } } },
    },
    output: { public_ip: { value: 'x' }, webhook_secret: { value: '${random_password.p.result}' } },
  };

  it('ingress: 22 from anywhere, 80 and 9701-9702 from anywhere (no source ranges on GCP), Docker ports', () => {
    const problems = ingressProblems(bad, { adminCidr });
    expect(problems).toEqual(expect.arrayContaining([
      'aws_vpc_security_group_ingress_rule.ssh: port 22 is open to 0.0.0.0/0; only 443 may be',
      'aws_vpc_security_group_ingress_rule.ssh: port 22 is open although no SSH CIDR was given',
      'google_compute_firewall.web: port 80 is open to 0.0.0.0/0; only 443 may be',
      'google_compute_firewall.web: port 80 is not one the VM may open',
      'google_compute_firewall.web: port 9701 admits 0.0.0.0/0, not only the admin CIDR 203.0.113.0/24',
      'aws_vpc_security_group_ingress_rule.docker: port 2375-2376 is not one the VM may open',
      'port 443 has no ingress rule',
    ]));
    expect(dockerPortProblems(bad)).toEqual(expect.arrayContaining([
      "aws_vpc_security_group_ingress_rule.docker: admits Docker's API port 2375",
      "aws_vpc_security_group_ingress_rule.docker: admits Docker's API port 2376",
    ]));
    expect(dockerPortProblems({ resource: { aws_instance: { vm: { user_data: '{"hosts": ["tcp://0.0.0.0:2375"]}' } } } })).toEqual(['the user-data makes Docker listen on TCP']);
  });

  it('IAM: wildcards, access keys, users, unbounded PassRole, NotAction, key resources, primitive roles', () => {
    const problems = iamProblems(bad);
    expect(problems).toEqual(expect.arrayContaining([
      'data.aws_iam_policy_document.wide.statement[0]: action ecs:* has a wildcard',
      'data.aws_iam_policy_document.wide.statement[0]: allows iam:CreateAccessKey',
      'data.aws_iam_policy_document.wide.statement[0]: iam:PassRole on any role',
      'data.aws_iam_policy_document.wide.statement[0]: iam:PassRole without an iam:PassedToService condition',
      'data.aws_iam_policy_document.notaction.statement[0]: an Allow with NotAction grants everything else',
      'aws_iam_role_policy.literal.policy[0]: action s3:* has a wildcard',
      'aws_iam_access_key.key: long-lived credentials or users are never created',
      'google_service_account_key.key: long-lived credentials or users are never created',
      'google_project_iam_member.editor: grants the primitive role roles/editor',
    ]));
    expect(iamProblems({ data: { aws_iam_policy_document: { tls: { statement: [{ effect: 'Deny', actions: ['s3:*'], resources: ['*'] }] } } } })).toEqual([]);
  });

  it('state bucket, IMDSv2, user-data and outputs', () => {
    expect(stateBucketProblems(bad, 'state')).toEqual([
      'aws_s3_bucket.state: force_destroy would delete every project\'s state with the VM',
      'aws_s3_bucket.state: the state bucket state is not versioned',
      'aws_s3_bucket.state: the state bucket is not encrypted by default',
      'aws_s3_bucket.state: public access is not blocked (all four flags)',
      'aws_s3_bucket.state: ACLs are not disabled (BucketOwnerEnforced)',
      'aws_s3_bucket.state: the bucket policy does not deny requests without TLS',
    ]);
    expect(stateBucketProblems(bad, 'other')).toEqual(['no state bucket named other']);
    expect(stateBucketProblems({ resource: { google_storage_bucket: { s: { name: 'state', versioning: { enabled: false } } } } }, 'state')).toEqual([
      'google_storage_bucket.s: uniform bucket-level access is off',
      'google_storage_bucket.s: public access prevention is not enforced',
      'google_storage_bucket.s: the state bucket is not versioned',
    ]);
    expect(imdsProblems(bad)).toEqual(['aws_instance.vm: IMDSv2 is not required (metadata_options.http_tokens)']);
    expect(userDataProblems(bad, 'echo ${HOME}')).toEqual(['aws_instance.vm.user_data: not the rendered user-data as it was given']);
    expect(outputProblems(bad)).toEqual(expect.arrayContaining([
      'output instance_id is missing', 'output vm_identity is missing', 'output webhook_secret is not sensitive',
      'output webhook_secret shows a generated password without being sensitive',
    ]));
  });

  it.each(['aws', 'gcp'] as const)('%s: a synthesized stack with one thing broken is caught', (cloud) => {
    const { input, json } = synth(cloud, 'plain');
    const context = contextOf(input);
    const broken = (edit: (copy: Block) => void) => {
      const copy = clone(json);
      edit(copy);
      return vmStackProblems(copy, context);
    };
    if (cloud === 'aws') {
      expect(broken((c) => { c.resource.aws_instance.instance.metadata_options.http_tokens = 'optional'; })).toEqual([
        'aws_instance.instance: IMDSv2 is not required (metadata_options.http_tokens)',
      ]);
      expect(broken((c) => { c.resource.aws_vpc_security_group_ingress_rule['ingress-waypoint-ui'].cidr_ipv4 = '0.0.0.0/0'; })).toHaveLength(2);
      expect(broken((c) => { c.resource.aws_s3_bucket_versioning['state-bucket-versioning'].versioning_configuration.status = 'Suspended'; })).toHaveLength(1);
      expect(broken((c) => { c.data.aws_iam_policy_document['policy-waypoint'].statement[0].actions.push('ecs:*'); })).toHaveLength(1);
      expect(broken((c) => { c.resource.aws_instance.instance.user_data_base64 = Buffer.from(`${userData}# changed\n`).toString('base64'); })).toHaveLength(1);
    } else {
      expect(broken((c) => { c.resource.google_compute_firewall['firewall-waypoint'].source_ranges = ['0.0.0.0/0']; })).toHaveLength(4);
      expect(broken((c) => { c.resource.google_storage_bucket['state-bucket'].public_access_prevention = 'inherited'; })).toHaveLength(1);
      expect(broken((c) => { c.resource.google_project_iam_member['custom-role-member'].role = 'roles/owner'; })).toHaveLength(1);
      expect(broken((c) => { c.resource.google_compute_instance.instance.metadata['user-data'] = 'changed'; })).toHaveLength(1);
    }
    expect(broken((c) => { delete c.output[vmOutputs.identity]; })).toEqual([`output ${vmOutputs.identity} is missing`]);
  });
});
