// The AWS driver's Terraform JSON: closed networks, private buckets and databases,
// names within AWS limits, tags, the outputs apps are wired with, and snapshots.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validationRecordsOutput } from '../src/drivers/aws/certificate.js';
import { awsDriver } from '../src/drivers/aws/index.js';
import { awsName, bucketName } from '../src/drivers/aws/names.js';
import { siteHostOutput } from '../src/drivers/aws/static-site.js';
import type { DriverSettings, StackInput } from '../src/drivers/contract.js';
import { fitName } from '../src/drivers/names.js';
import { appOutput, connectionOf, databaseOutput, databaseFields, wiringOf, type StackOutputs } from '../src/drivers/outputs.js';
import { sizeOf } from '../src/drivers/sizes.js';
import { stackInputs } from '../src/drivers/stack-inputs.js';
import { fixturesRoot } from './support/fixtures.js';
import { desired } from './support/reconcile-plan.js';

// ---- Inputs ------------------------------------------------------------------

const fixture = (name: string) => readFileSync(path.join(fixturesRoot, 'valid', name, 'pilot.yaml'), 'utf8');

/**
 * The longest names the manifest rules let through, with "--" that RDS and ECR refuse
 * as it is: 30 characters, except where `pilot-<project>-<name>` must fit 63 (S3, RDS).
 */
const longest = {
  project: 'edge--project'.padEnd(30, 'p'),
  api: 'api-'.padEnd(30, 'a'),
  site: 'site-'.padEnd(26, 's'),
  database: 'main-'.padEnd(26, 'd'),
  region: 'ap-southeast-2',
};

const longestManifest = `apiVersion: pilot.dev/v1
kind: Project
name: ${longest.project}
defaults: { provider: aws, region: ${longest.region} }
apps:
  - name: ${longest.api}
    source: { repo: https://github.com/acme/api.git }
    build: { builder: pack }
    deploy: { platform: ecs, port: 9000 }
    env:
      DATABASE_URL: { fromDatabase: ${longest.database}, property: url }
  - name: ${longest.site}
    source: { repo: https://github.com/acme/site.git }
    build: { builder: yarn }
    deploy: { platform: static }
    release: { domain: www.example.com }
databases:
  - name: ${longest.database}
`;

const docsManifest = `apiVersion: pilot.dev/v1
kind: Project
name: docs
defaults: { provider: aws, region: eu-central-1 }
apps:
  - name: handbook
    source: { repo: https://github.com/acme/handbook.git }
    build: { builder: yarn }
    deploy: { platform: static }
`;

const pilotNetwork = {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  appSubnetIds: ['subnet-0aaa000000000000a', 'subnet-0aaa000000000000b'],
  databaseSubnetIds: ['subnet-0ddd000000000000a', 'subnet-0ddd000000000000b'],
};

interface Case {
  manifest: string;
  settings?: DriverSettings;
}

const cases = {
  'app-database': { manifest: fixture('aws-app-database') },
  'reused-network': { manifest: fixture('aws-app-database'), settings: { aws: { network: pilotNetwork } } },
  static: { manifest: fixture('aws-static') },
  'static-no-domain': { manifest: docsManifest },
  lambda: { manifest: fixture('aws-lambda-docker') },
  ecs: { manifest: fixture('aws-ecs-pack') },
  longest: { manifest: longestManifest },
} satisfies Record<string, Case>;
type CaseName = keyof typeof cases;
const caseNames = Object.keys(cases) as CaseName[];
const databaseCases: CaseName[] = ['app-database', 'reused-network', 'longest'];
const staticCases: CaseName[] = ['static', 'static-no-domain', 'longest'];

function inputOf(name: CaseName): StackInput {
  const { manifest, settings } = cases[name] as Case;
  const inputs = stackInputs(desired({ 'pilot.yaml': manifest }), settings);
  expect(inputs).toHaveLength(1);
  return inputs[0]!;
}

// ---- Reading the Terraform JSON ------------------------------------------------

// The JSON is walked by hand; its blocks are loosely typed on purpose.
type Block = Record<string, any>;
interface TfJson {
  terraform: { required_providers: Record<string, { source: string; version: string }> };
  provider: Record<string, Block[]>;
  resource?: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
}

function synth(name: CaseName): { input: StackInput; json: TfJson } {
  const input = inputOf(name);
  return { input, json: awsDriver.synth(input) as unknown as TfJson };
}

function ofType(json: TfJson, type: string): [string, Block][] {
  return Object.entries(json.resource?.[type] ?? {});
}

function one(json: TfJson, type: string, name: string): Block {
  const body = json.resource?.[type]?.[name];
  if (!body) throw new Error(`no ${type}.${name}`);
  return body;
}

function allResources(json: TfJson): { type: string; name: string; body: Block }[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, body })));
}

const ref = (address: string) => `\${${address}}`;
const anywhere = ['0.0.0.0/0', '::/0'];

// ---- Network ------------------------------------------------------------------

describe('network', () => {
  it.each(caseNames)('%s: nothing admits traffic from anywhere', (name) => {
    const { json } = synth(name);
    let ingressSeen = 0;
    for (const [, group] of ofType(json, 'aws_security_group')) {
      for (const rule of group.ingress ?? []) {
        ingressSeen++;
        for (const cidr of [...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])]) expect(anywhere).not.toContain(cidr);
      }
    }
    for (const [, rule] of ofType(json, 'aws_vpc_security_group_ingress_rule')) {
      ingressSeen++;
      expect(anywhere).not.toContain(rule.cidr_ipv4);
      expect(anywhere).not.toContain(rule.cidr_ipv6);
    }
    for (const [, rule] of ofType(json, 'aws_security_group_rule')) {
      if (rule.type !== 'ingress') continue;
      ingressSeen++;
      for (const cidr of [...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])]) expect(anywhere).not.toContain(cidr);
    }
    expect(ingressSeen > 0).toBe(databaseCases.includes(name));
  });

  it.each(databaseCases)('%s: Postgres admits only the app security group, the app group only the app subnets (where the load balancers are)', (name) => {
    const { input, json } = synth(name);
    const vpcCidr = name === 'reused-network' ? ref('data.aws_vpc.network-vpc.cidr_block') : ref('aws_vpc.network-vpc.cidr_block');
    const appGroup = ref('aws_security_group.network-app-sg.id');
    const databaseGroup = ref('aws_security_group.network-db-sg.id');
    const rules = (type: string, group: string) => ofType(json, type).map(([, rule]) => rule).filter((rule) => rule.security_group_id === group);

    const intoDatabase = rules('aws_vpc_security_group_ingress_rule', databaseGroup);
    expect(intoDatabase).toHaveLength(1);
    expect(intoDatabase[0]).toMatchObject({ ip_protocol: 'tcp', from_port: 5432, to_port: 5432, referenced_security_group_id: appGroup });
    expect(intoDatabase[0]!.cidr_ipv4).toBeUndefined();
    expect(rules('aws_vpc_security_group_egress_rule', databaseGroup)).toEqual([expect.objectContaining({ ip_protocol: '-1', cidr_ipv4: vpcCidr })]);

    const ports = input.apps.filter((app) => app.databases.length > 0).map((app) => app.deploy.port);
    const intoApps = rules('aws_vpc_security_group_ingress_rule', appGroup);
    const appSubnets =
      name === 'reused-network' ? [0, 1].map((i) => ref(`data.aws_subnet.network-app-subnet-${i}.cidr_block`)) : ['10.20.0.0/24', '10.20.1.0/24'];
    expect(intoApps.map((rule) => [rule.from_port, rule.to_port, rule.cidr_ipv4])).toEqual(ports.flatMap((port) => appSubnets.map((cidr) => [port, port, cidr])));
    expect(intoApps.map((rule) => rule.cidr_ipv4)).not.toContain(vpcCidr);
    expect(ports.length).toBeGreaterThan(0);

    for (const [, db] of ofType(json, 'aws_db_instance')) expect(db.vpc_security_group_ids).toEqual([databaseGroup]);
  });

  it('creates a VPC with private database subnets and public app subnets in two zones', () => {
    const { json } = synth('app-database');
    expect(one(json, 'aws_vpc', 'network-vpc')).toMatchObject({ cidr_block: '10.20.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
    const zones = ofType(json, 'aws_subnet').map(([, subnet]) => subnet.availability_zone);
    expect(new Set(zones)).toEqual(new Set([0, 1].map((i) => ref(`element(data.aws_availability_zones.network-zones.names, ${i})`))));
    const associated = ofType(json, 'aws_route_table_association').map(([, a]) => a.subnet_id);
    expect(associated.sort()).toEqual([ref('aws_subnet.network-app-subnet-0.id'), ref('aws_subnet.network-app-subnet-1.id')]);
    for (const i of [0, 1]) {
      expect(one(json, 'aws_subnet', `network-app-subnet-${i}`).map_public_ip_on_launch).toBe(true);
      expect(one(json, 'aws_subnet', `network-db-subnet-${i}`).map_public_ip_on_launch).toBeUndefined();
    }
    expect(one(json, 'aws_db_subnet_group', 'network-db-subnet-group').subnet_ids).toEqual([ref('aws_subnet.network-db-subnet-0.id'), ref('aws_subnet.network-db-subnet-1.id')]);
  });

  it('reuses the network of the settings: no VPC or subnets, the given ids', () => {
    const { json } = synth('reused-network');
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_internet_gateway', 'aws_route_table', 'aws_route', 'aws_route_table_association']) {
      expect(ofType(json, type)).toEqual([]);
    }
    expect(json.data?.aws_vpc?.['network-vpc']).toMatchObject({ id: pilotNetwork.vpcId });
    expect(one(json, 'aws_db_subnet_group', 'network-db-subnet-group').subnet_ids).toEqual(pilotNetwork.databaseSubnetIds);
    for (const [, group] of ofType(json, 'aws_security_group')) expect(group.vpc_id).toBe(pilotNetwork.vpcId);
    expect(json.output?.[appOutput('api', 'subnets')]?.value).toEqual(pilotNetwork.appSubnetIds);
  });

  it.each(['lambda', 'ecs', 'static', 'static-no-domain'] as CaseName[])('%s: no database, so no network and no random provider', (name) => {
    const { json } = synth(name);
    const networkTypes = allResources(json).filter(({ name: id }) => id.startsWith('network-'));
    expect(networkTypes).toEqual([]);
    expect(json.provider.random).toBeUndefined();
    expect(json.terraform.required_providers.random).toBeUndefined();
  });
});

// ---- Databases -------------------------------------------------------------------

describe('databases', () => {
  it.each([
    { db: 'main', deletionProtection: true },
    { db: 'reports', deletionProtection: false },
  ])('$db: deletion protection $deletionProtection as the manifest says, private, encrypted', ({ db, deletionProtection }) => {
    const { input, json } = synth('app-database');
    const desiredDb = input.databases.find((d) => d.name === db)!;
    const size = sizeOf('aws', desiredDb.size, desiredDb.storageGB);
    const instance = one(json, 'aws_db_instance', `db-${db}`);
    expect(instance).toMatchObject({
      engine: 'postgres',
      engine_version: desiredDb.version,
      instance_class: size.instanceClass,
      allocated_storage: desiredDb.storageGB,
      max_allocated_storage: size.maxStorageGB,
      storage_type: 'gp3',
      apply_immediately: true,
      allow_major_version_upgrade: true,
      deletion_protection: deletionProtection,
      skip_final_snapshot: !deletionProtection,
      publicly_accessible: false,
      storage_encrypted: true,
      backup_retention_period: 7,
      copy_tags_to_snapshot: true,
      auto_minor_version_upgrade: true,
      username: 'pilot',
      db_name: db,
      port: 5432,
      password: ref(`random_password.db-${db}-password.result`),
      db_subnet_group_name: ref('aws_db_subnet_group.network-db-subnet-group.name'),
    });
    expect(instance.final_snapshot_identifier !== undefined).toBe(deletionProtection);
    expect(one(json, 'random_password', `db-${db}-password`)).toMatchObject({ length: 32, special: false });
  });

  it.each(databaseCases)('%s: no literal password anywhere, the password output is sensitive', (name) => {
    const { input, json } = synth(name);
    // Every argument named like a password, at any depth, and every password output.
    const passwords: unknown[] = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          if (/password/i.test(key) && typeof v !== 'object') passwords.push(v);
          else walk(v);
        }
      }
    };
    walk(json.resource);
    walk(json.data ?? {});
    for (const [key, output] of Object.entries(json.output ?? {})) if (/password/i.test(key)) passwords.push(output.value);
    expect(passwords).toHaveLength(2 * input.databases.length);
    for (const password of passwords) expect(password).toMatch(/^\$\{random_password\.db-[a-z0-9-]+-password\.result\}$/);
    for (const db of input.databases) {
      for (const field of databaseFields) expect(json.output?.[databaseOutput(db.name, field)]?.sensitive).toBe(field === 'password');
      expect(json.output?.[databaseOutput(db.name, 'host')]?.value).toBe(ref(`aws_db_instance.db-${db.name}.address`));
    }
  });

  it('makes the database name a Postgres identifier', () => {
    const { json } = synth('longest');
    expect(one(json, 'aws_db_instance', `db-${longest.database}`).db_name).toBe(longest.database.replace(/-/g, '_'));
  });
});

// ---- Static sites and registries -----------------------------------------------------

describe('static sites', () => {
  it.each(staticCases)('%s: every bucket is private and only its distribution reads it', (name) => {
    const { input, json } = synth(name);
    const sites = input.apps.filter((app) => app.deploy.platform === 'static');
    expect(ofType(json, 'aws_s3_bucket')).toHaveLength(sites.length);
    for (const type of ['aws_s3_bucket_acl', 'aws_s3_bucket_website_configuration']) expect(ofType(json, type)).toEqual([]);
    for (const [id, bucket] of ofType(json, 'aws_s3_bucket')) {
      expect(bucket.acl).toBeUndefined();
      expect(bucket.website).toBeUndefined();
      expect(bucket.policy).toBeUndefined();
      const ofBucket = (type: string) => ofType(json, type).map(([, b]) => b).filter((b) => b.bucket === ref(`aws_s3_bucket.${id}.id`));
      expect(ofBucket('aws_s3_bucket_public_access_block')).toEqual([expect.objectContaining({
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      })]);
      expect(ofBucket('aws_s3_bucket_ownership_controls')).toEqual([expect.objectContaining({ rule: { object_ownership: 'BucketOwnerEnforced' } })]);
      expect(ofBucket('aws_s3_bucket_server_side_encryption_configuration')).toHaveLength(1);
      const policies = ofBucket('aws_s3_bucket_policy');
      expect(policies).toHaveLength(1);
      const document = /^\$\{data\.aws_iam_policy_document\.([a-z0-9-]+)\.json\}$/.exec(policies[0]!.policy)?.[1];
      const appId = id.replace(/-bucket$/, '');
      for (const statement of json.data?.aws_iam_policy_document?.[document ?? '']?.statement ?? [undefined]) {
        expect(statement).toMatchObject({
          effect: 'Allow',
          actions: ['s3:GetObject'],
          principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [ref(`aws_cloudfront_distribution.${appId}-cdn.arn`)] }],
        });
        expect(statement.not_principals).toBeUndefined();
      }
    }
  });

  it.each(staticCases)('%s: CloudFront signs its requests and serves HTTPS', (name) => {
    const { input, json } = synth(name);
    for (const app of input.apps.filter((a) => a.deploy.platform === 'static')) {
      const id = `app-${app.name}`;
      expect(one(json, 'aws_cloudfront_origin_access_control', `${id}-oac`)).toMatchObject({
        origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4',
      });
      const distribution = one(json, 'aws_cloudfront_distribution', `${id}-cdn`);
      expect(distribution).toMatchObject({
        enabled: true,
        default_root_object: 'index.html',
        default_cache_behavior: { viewer_protocol_policy: 'redirect-to-https' },
        origin: [{ origin_access_control_id: ref(`aws_cloudfront_origin_access_control.${id}-oac.id`), domain_name: ref(`aws_s3_bucket.${id}-bucket.bucket_regional_domain_name`) }],
      });
      const domain = app.release.domain;
      if (domain === undefined) {
        expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
        expect(distribution.aliases).toBeUndefined();
        continue;
      }
      expect(distribution.aliases).toEqual([domain]);
      expect(distribution.viewer_certificate).toMatchObject({ acm_certificate_arn: ref(`aws_acm_certificate_validation.${id}-validation.certificate_arn`), ssl_support_method: 'sni-only' });
      expect(one(json, 'aws_acm_certificate', `${id}-certificate`)).toMatchObject({ domain_name: domain, validation_method: 'DNS', provider: 'aws.us-east-1' });
      expect(one(json, 'aws_acm_certificate_validation', `${id}-validation`)).toMatchObject({ provider: 'aws.us-east-1', timeouts: { create: expect.any(String) } });
      expect(json.output?.[validationRecordsOutput(app.name)]).toMatchObject({ value: ref(`tolist(aws_acm_certificate.${id}-certificate.domain_validation_options)`) });
      expect(json.output?.[validationRecordsOutput(app.name)]?.sensitive).not.toBe(true);
    }
  });

  it('needs no certificate and no us-east-1 provider without a domain', () => {
    const { json } = synth('static-no-domain');
    expect(ofType(json, 'aws_acm_certificate')).toEqual([]);
    expect(json.provider.aws).toHaveLength(1);
  });

  it.each(['app-database', 'lambda', 'ecs'] as CaseName[])('%s: one scanned, encrypted ECR repository per container app', (name) => {
    const { input, json } = synth(name);
    for (const app of input.apps) {
      expect(one(json, 'aws_ecr_repository', `app-${app.name}-repository`)).toMatchObject({
        name: fitName(['pilot', app.project, app.name], 256),
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'AES256' }],
      });
    }
    expect(ofType(json, 'aws_ecr_repository')).toHaveLength(input.apps.length);
  });
});

// ---- Names, tags, providers, outputs --------------------------------------------------

describe('names', () => {
  /** The longest case with every name at 30 characters, past what the manifest rules allow today. */
  function widest(): TfJson {
    // A copy: what a load hands out is frozen and shared with the next load.
    const input = structuredClone(inputOf('longest'));
    const [api, site] = input.apps;
    const db = input.databases[0]!;
    db.name = db.name.padEnd(30, 'd');
    site!.name = site!.name.padEnd(30, 's');
    api!.databases = [db.name];
    return awsDriver.synth(input) as unknown as TfJson;
  }

  it.each([
    { what: 'the longest names the manifest allows', json: () => synth('longest').json },
    { what: 'every name at 30 characters', json: widest },
  ])('fits every name within its AWS limit: $what', ({ json: synthesized }) => {
    const json = synthesized();
    const names: [string, string, number, RegExp][] = [];
    const add = (type: string, attribute: string, max: number, pattern: RegExp) => {
      const found = ofType(json, type).map(([, body]) => body[attribute] as string);
      expect(found.length).toBeGreaterThan(0);
      for (const value of found) names.push([`${type}.${attribute}`, value, max, pattern]);
    };
    const rds = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
    add('aws_db_instance', 'identifier', 63, rds);
    add('aws_db_instance', 'final_snapshot_identifier', 255, rds);
    add('aws_db_instance', 'db_name', 63, /^[a-z][a-z0-9_]*$/);
    add('aws_s3_bucket', 'bucket', 63, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    add('aws_db_subnet_group', 'name', 255, /^[a-z0-9][a-z0-9-]*$/);
    add('aws_security_group', 'name', 255, /^(?!sg-)[a-z0-9-]+$/);
    add('aws_cloudfront_origin_access_control', 'name', 64, /^[a-z0-9-]+$/);
    add('aws_ecr_repository', 'name', 256, /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/);
    add('aws_cloudfront_distribution', 'comment', 128, /^[\x20-\x7e]+$/);
    for (const [what, value, max, pattern] of names) {
      expect({ what, length: value.length <= max, pattern: pattern.test(value) }).toEqual({ what, length: true, pattern: true });
    }
  });

  it('gives buckets a global name with the region and a stable hash', () => {
    const name = bucketName('acme-site', 'web', 'us-east-1');
    expect(name).toMatch(/^pilot-acme-site-web-us-east-1-[0-9a-f]{8}$/);
    expect(bucketName('acme-site', 'web', 'us-east-1')).toBe(name);
    expect(bucketName('acme-site', 'web', 'eu-west-1')).not.toBe(name.replace('us-east-1', 'eu-west-1'));
    const long = bucketName(longest.project, longest.site, longest.region);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toContain(`-${longest.region}-`);
  });

  it.each([
    { parts: ['pilot', 'shop', 'api'], max: 63, same: true },
    { parts: ['pilot', 'a'.repeat(30), 'b'.repeat(30)], max: 63, same: true },
    { parts: ['pilot', 'a--b', 'api'], max: 63, same: false },
  ])('awsName($parts) folds "--" and otherwise is fitName', ({ parts, max, same }) => {
    const name = awsName(parts, max);
    expect(name.length).toBeLessThanOrEqual(max);
    expect(name).not.toContain('--');
    expect(name === fitName(parts, max)).toBe(same);
  });

  it('keeps "a--b" and "a-b" apart', () => {
    expect(awsName(['pilot', 'a--b'], 63)).not.toBe(awsName(['pilot', 'a-b'], 63));
  });

  it.each(caseNames)('%s: the same input gives the same JSON', (name) => {
    expect(JSON.stringify(synth(name).json)).toBe(JSON.stringify(synth(name).json));
  });
});

/** Resources whose Terraform type takes no `tags` argument (checked against the provider schema below). */
const untaggable = [
  'aws_route',
  'aws_route_table_association',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_policy',
  'aws_cloudfront_origin_access_control',
  'aws_acm_certificate_validation',
  'random_password',
];

describe('tags', () => {
  it.each(untaggable)('%s has no tags argument', (type) => {
    const [provider, ...rest] = type.split('_');
    const file = path.join('node_modules', '@cdktf', `provider-${provider}`, 'lib', rest.join('-'), 'index.d.ts');
    const config = /export interface \w+Config extends cdktf\.TerraformMetaArguments \{([\s\S]*?)\n\}/.exec(readFileSync(file, 'utf8'))?.[1];
    expect(config).toBeDefined();
    expect(config).not.toMatch(/readonly tags\?/);
  });

  it.each(caseNames)('%s: every taggable resource names its project, and its app or database', (name) => {
    const { input, json } = synth(name);
    const resources = allResources(json).filter(({ type }) => !untaggable.includes(type));
    expect(resources.length).toBeGreaterThan(0);
    for (const { type, name: id, body } of resources) {
      const app = input.apps.find((a) => id.startsWith(`app-${a.name}-`));
      const db = input.databases.find((d) => id === `db-${d.name}` || id.startsWith(`db-${d.name}-`));
      const expected = { 'pilot:project': input.project, ...(app ? { 'pilot:app': app.name } : {}), ...(db ? { 'pilot:database': db.name } : {}) };
      expect({ resource: `${type}.${id}`, tags: body.tags }).toEqual({ resource: `${type}.${id}`, tags: expect.objectContaining(expected) });
      if (!app) expect(body.tags['pilot:app']).toBeUndefined();
      if (!db) expect(body.tags['pilot:database']).toBeUndefined();
    }
    for (const provider of json.provider.aws!) {
      expect(provider.default_tags).toEqual([{ tags: { 'pilot:project': input.project, 'pilot:managed-by': 'pilot' } }]);
    }
  });
});

const providerVersion = (name: string): string =>
  JSON.parse(readFileSync(path.join('node_modules', '@cdktf', `provider-${name}`, 'package.json'), 'utf8')).cdktf.provider.version;

describe('providers', () => {
  it.each(caseNames)('%s: AWS in the stack region, pinned to the version of the bindings', (name) => {
    const { input, json } = synth(name);
    expect(json.terraform.required_providers.aws).toMatchObject({ version: providerVersion('aws') });
    expect(json.provider.aws![0]).toMatchObject({ region: input.region });
    expect(json.provider.aws![0]!.alias).toBeUndefined();
    const withDomain = input.apps.some((app) => app.deploy.platform === 'static' && app.release.domain);
    expect(json.provider.aws!.slice(1)).toEqual(withDomain ? [expect.objectContaining({ alias: 'us-east-1', region: 'us-east-1' })] : []);
    if (input.databases.length > 0) expect(json.terraform.required_providers.random).toMatchObject({ source: 'hashicorp/random', version: providerVersion('random') });
  });

  it('rejects a stack of another cloud', () => {
    expect(() => awsDriver.synth({ ...inputOf('lambda'), provider: 'gcp' })).toThrow(/not aws/);
  });
});

describe('outputs', () => {
  it.each(caseNames)('%s: exactly the outputs the apps and databases need, readable by wiringOf and connectionOf', (name) => {
    const { input, json } = synth(name);
    const expected: string[] = [];
    for (const db of input.databases) expected.push(...databaseFields.map((field) => databaseOutput(db.name, field)));
    for (const app of input.apps) {
      if (app.deploy.platform === 'static') {
        expected.push(appOutput(app.name, 'bucket'), appOutput(app.name, 'distributionId'), siteHostOutput(app.name));
        if (app.release.domain) expected.push(validationRecordsOutput(app.name));
      } else {
        expected.push(appOutput(app.name, 'ecrRepository'));
        if (app.databases.length > 0) expected.push(appOutput(app.name, 'subnets'), appOutput(app.name, 'securityGroupIds'));
      }
    }
    const outputs = json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(expected.sort());

    // What `terraform output -json` would give once applied: a fake value per output.
    const applied: StackOutputs = Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, {
      value: Array.isArray(output.value) ? output.value.map((_, i) => `${key}-${i}`) : key.endsWith('_port') ? 5432 : `${key}-value`,
      sensitive: output.sensitive ?? false,
    }]));
    for (const db of input.databases) {
      expect(connectionOf(applied, db.name)).toEqual({
        host: `${databaseOutput(db.name, 'host')}-value`, port: 5432, user: `${databaseOutput(db.name, 'user')}-value`,
        password: `${databaseOutput(db.name, 'password')}-value`, database: `${databaseOutput(db.name, 'database')}-value`,
      });
    }
    for (const app of input.apps) {
      const keys = app.deploy.platform === 'static'
        ? ['bucket', 'distributionId']
        : ['ecrRepository', ...(app.databases.length > 0 ? ['securityGroupIds', 'subnets'] : [])];
      expect(Object.keys(wiringOf(applied, app.name)).sort()).toEqual(keys.sort());
    }
  });
});

// ---- Terraform and snapshots -----------------------------------------------------------

describe('terraform', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** `terraform providers` reads and checks the configuration's structure without downloading any provider. */
  function terraformProviders(json: unknown) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pilot-aws-tf-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(json, null, 2));
    writeFileSync(path.join(dir, 'cli.tfrc'), '');
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: path.join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1' };
    return spawnSync('terraform', ['providers', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
  }

  it.each(['app-database', 'static'] as CaseName[])('%s: terraform reads the configuration', (name) => {
    const { json } = synth(name);
    const result = terraformProviders(json);
    expect(result.error).toBeUndefined();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain(`provider[registry.terraform.io/hashicorp/aws] ${providerVersion('aws')}`);
    if (name === 'app-database') expect(result.stdout).toContain(`provider[registry.terraform.io/hashicorp/random] ${providerVersion('random')}`);

    // The same check fails on a configuration Terraform cannot read, so it is not vacuous.
    const broken = structuredClone(json);
    allResources(broken)[0]!.body.lifecycle = { not_an_argument: true };
    expect(terraformProviders(broken).status).not.toBe(0);
  });
});

describe('snapshots', () => {
  it.each(['app-database', 'static', 'reused-network'] as CaseName[])('%s', async (name) => {
    const { json } = synth(name);
    await expect(`${JSON.stringify(json, null, 2)}\n`).toMatchFileSnapshot(`./golden/stacks/aws-${name}.tf.json`);
  });
});
