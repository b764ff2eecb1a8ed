// The GCP driver: the Terraform JSON of a stack, checked for what the seed got
// wrong (public database, public buckets, no HTTPS, APIs disabled on destroy),
// names within GCP's limits, labels, output names the reconciler reads, and goldens.
// `npx vitest run test/driver-gcp.test.ts -u` rewrites test/golden/stacks/gcp-*; review every diff.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DriverSettings, StackInput } from '../src/drivers/contract.js';
import { gcpDriver } from '../src/drivers/gcp/index.js';
import { bucketName } from '../src/drivers/gcp/names.js';
import { appOutput, connectionOf, databaseFields, databaseOutput, wiringOf, type StackOutputs } from '../src/drivers/outputs.js';
import { stackInputs } from '../src/drivers/stack-inputs.js';
import { renderWaypointHcl } from '../src/waypoint/render/app.js';
import { fixturesRoot } from './support/fixtures.js';
import { desired } from './support/reconcile-plan.js';

// Terraform JSON is untyped; the assertions below are its schema.
type Json = Record<string, any>;
interface Resource { type: string; name: string; body: Json }

const fixture = (name: string) => readFileSync(path.join(fixturesRoot, 'valid', name, 'pilot.yaml'), 'utf8');

function inputOf(manifest: string, settings: DriverSettings = {}): StackInput {
  const stacks = stackInputs(desired({ 'pilot.yaml': manifest }), settings).filter((s) => s.provider === 'gcp');
  expect(stacks).toHaveLength(1);
  return stacks[0]!;
}

const synth = (manifest: string, settings: DriverSettings = {}): Json => gcpDriver.synth(inputOf(manifest, settings));

/** Every value held under `key`, at any depth. */
function valuesUnder(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((n) => valuesUnder(n, key));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesUnder(v, key)]);
}

/** The app or database a resource belongs to, by its construct id (`app-<name>-...`, `db-<name>...`). */
function ownerOf(resourceName: string, input: StackInput): { label: string; name: string } | undefined {
  const owners = [
    ...input.apps.map((a) => ({ prefix: `app-${a.name}`, label: 'pilot-app', name: a.name })),
    ...input.databases.map((d) => ({ prefix: `db-${d.name}`, label: 'pilot-database', name: d.name })),
  ].filter((o) => resourceName === o.prefix || resourceName.startsWith(`${o.prefix}-`));
  return owners.sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

function resources(json: Json): Resource[] {
  return Object.entries((json.resource ?? {}) as Record<string, Json>).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ type, name, body: body as Json })));
}
const ofType = (json: Json, type: string) => resources(json).filter((r) => r.type === type);
const one = (json: Json, type: string, name: string): Json => {
  const body = json.resource?.[type]?.[name];
  if (!body) throw new Error(`no ${type}.${name}`);
  return body;
};

/** Every kind of resource the driver makes: apps with and without a database and a domain, two databases. */
const everything = `apiVersion: pilot.dev/v1
kind: Project
name: shop
defaults: { provider: gcp, region: us-central1, gcpProject: shop-prod-42 }
apps:
  - name: api
    source: { repo: https://github.com/acme/shop.git }
    build: { builder: pack }
    deploy: { platform: cloud-run }
    env:
      DATABASE_URL: { fromDatabase: orders, property: url }
  - name: worker
    source: { repo: https://github.com/acme/shop.git }
    build: { builder: docker }
    deploy: { platform: cloud-run }
  - name: www
    source: { repo: https://github.com/acme/www.git }
    build: { builder: yarn }
    deploy: { platform: static }
    release: { domain: www.shop.example }
  - name: docs
    source: { repo: https://github.com/acme/docs.git }
    build: { builder: yarn }
    deploy: { platform: static }
databases:
  - { name: orders, engine: postgres, version: "16", size: medium, storageGB: 50 }
  - { name: scratch-db, engine: postgres, version: "15", size: small, storageGB: 20, deletionProtection: false }
`;

/**
 * The longest names validation lets through: a 30-character project, GCP project and
 * database, and the longest apps whose `pilot-<project>-<app>` fits Cloud Run (49)
 * and Cloud Storage (63).
 */
const longest = {
  project: 'abcdefghijklmnopqrstuvwxyz0123',
  run: 'api-gateway1',
  site: 'static-site-with-a-long-na',
  db: 'database-with-a-very-long-nam3',
  gcpProject: 'my-very-long-gcp-project-id-01',
};
const longestManifest = `apiVersion: pilot.dev/v1
kind: Project
name: ${longest.project}
defaults: { provider: gcp, region: northamerica-northeast1, gcpProject: ${longest.gcpProject} }
apps:
  - name: ${longest.run}
    source: { repo: https://github.com/acme/a.git }
    build: { builder: pack }
    deploy: { platform: cloud-run }
    env: { PGHOST: { fromDatabase: ${longest.db}, property: host } }
  - name: ${longest.site}
    source: { repo: https://github.com/acme/b.git }
    build: { builder: yarn }
    deploy: { platform: static }
    release: { domain: www.example.com }
databases:
  - { name: ${longest.db}, engine: postgres, version: "17", size: large, storageGB: 100 }
`;

/** Past what validation allows: every app renamed to 30 characters, so the driver's own fitting is what keeps names legal. */
function stretched(input: StackInput): StackInput {
  const rename = (name: string) => `${name}-${'x'.repeat(30)}`.slice(0, 29) + '9';
  return { ...input, apps: input.apps.map((app) => ({ ...app, name: rename(app.name) })) };
}

const staticWithDomain = fixture('gcp-static').replace('deploy: { platform: static }', 'deploy: { platform: static }\n    release: { domain: docs.acme.example }');

const stacks: [string, string, DriverSettings?][] = [
  ['gcp-app-database', fixture('gcp-app-database')],
  ['gcp-static', fixture('gcp-static')],
  ['gcp-cloud-run-docker', fixture('gcp-cloud-run-docker')],
  ['everything', everything],
  ['everything on a reused network', everything, { gcp: { network: 'pilot-network' } }],
  ['longest names', longestManifest],
];

describe.each(stacks)('%s', (_name, manifest, settings) => {
  const input = inputOf(manifest, settings);
  const json: Json = gcpDriver.synth(input);

  it('opens no firewall and gives no database a public IP', () => {
    expect(ofType(json, 'google_compute_firewall')).toEqual([]);
    for (const r of resources(json)) expect(JSON.stringify(r.body.source_ranges ?? [])).not.toContain('0.0.0.0/0');
    for (const { body } of ofType(json, 'google_sql_database_instance')) {
      const ip = body.settings.ip_configuration;
      expect(ip.ipv4_enabled).toBe(false);
      expect(ip.authorized_networks).toBeUndefined();
      expect(ip.private_network).toMatch(/^(projects\/[a-z0-9-]+\/global\/networks\/[a-z0-9-]+|\$\{google_compute_network\.network\.id\})$/);
      expect(ip.ssl_mode).toBe('ENCRYPTED_ONLY');
    }
  });

  it('makes no bucket public', () => {
    expect(JSON.stringify(json)).not.toMatch(/allUsers|allAuthenticatedUsers/);
    for (const { body } of ofType(json, 'google_storage_bucket')) {
      expect(body.public_access_prevention).toBe('enforced');
      expect(body.uniform_bucket_level_access).toBe(true);
    }
    const grants = resources(json).filter((r) => /^google_storage_(bucket|default_object|object)_(iam|acl|access)/.test(r.type));
    for (const { type, body } of grants) {
      expect(type).toBe('google_storage_bucket_iam_member');
      expect(body).toMatchObject({ role: 'roles/storage.objectViewer', member: 'serviceAccount:service-${data.google_project.project.number}@cloud-cdn-fill.iam.gserviceaccount.com' });
    }
  });

  it('backs up every database and keeps its password out of the JSON', () => {
    for (const { name, body } of ofType(json, 'google_sql_database_instance')) {
      expect(body.settings.backup_configuration).toEqual({ enabled: true, point_in_time_recovery_enabled: true });
      expect(body.depends_on).toContain('google_service_networking_connection.private-services-connection');
      expect(one(json, 'random_password', `${name}-password`)).toMatchObject({ length: 32, special: false });
      expect(one(json, 'google_sql_user', `${name}-user`)).toMatchObject({ name: 'pilot', password: `\${random_password.${name}-password.result}` });
      expect(body.root_password).toBeUndefined();
    }
    // Secrets come only from random_* resources in state; nothing literal is ever written.
    const secrets = ['password', 'root_password', 'key_value'].flatMap((key) => valuesUnder(json.resource, key));
    for (const value of secrets) expect(value).toMatch(/^\$\{random_(password|id)\.[a-z0-9-]+\.(result|b64_url)\}(==)?$/);
    for (const db of input.databases) {
      expect(json.output[databaseOutput(db.name, 'password')]).toEqual({ value: `\${random_password.db-${db.name}-password.result}`, sensitive: true });
    }
  });

  it('enables APIs and never disables them on destroy', () => {
    for (const { body } of ofType(json, 'google_project_service')) {
      expect(body.disable_on_destroy).toBe(false);
      expect(body.disable_dependent_services).toBe(false);
    }
  });

  it('labels every resource that takes labels with its project, app and database', () => {
    for (const r of resources(json)) {
      const labels = labelsOf(r);
      if (labels === undefined) continue;
      expect(labels['pilot-project'], `${r.type}.${r.name}`).toBe(input.project);
      const owner = ownerOf(r.name, input);
      if (owner) expect(labels[owner.label], `${r.type}.${r.name}`).toBe(owner.name);
      for (const [key, value] of Object.entries(labels)) {
        expect(key).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
        expect(value).toMatch(/^[a-z0-9_-]{0,63}$/);
      }
    }
  });

  it('is the same JSON on every run', () => {
    expect(JSON.stringify(synth(manifest, settings))).toBe(JSON.stringify(json));
  });

  it('declares the providers at the versions the packages generate for', () => {
    expect(json.terraform.required_providers).toEqual({
      google: { source: 'google', version: generatedVersion('@cdktf/provider-google') },
      random: { source: 'hashicorp/random', version: generatedVersion('@cdktf/provider-random') },
    });
    expect(json.terraform.required_providers.google.version).toBe('6.50.0');
    expect(json.provider.google[0]).toMatchObject({ default_labels: { 'pilot-managed-by': 'pilot' } });
  });
});

// --- labels: which resource types take them, read from the provider packages ----

const require = createRequire(import.meta.url);

function typeFile(type: string): string {
  const [pkg, prefix] = type.startsWith('random_') ? ['@cdktf/provider-random', 'random_'] : ['@cdktf/provider-google', 'google_'];
  return require.resolve(`${pkg}/lib/${type.slice(prefix.length).replaceAll('_', '-')}/index.d.ts`);
}

/** 'labels', 'user_labels' (Cloud SQL settings) or undefined, by the resource's config interface. */
function labelField(type: string): 'labels' | 'settings.user_labels' | undefined {
  const dts = readFileSync(typeFile(type), 'utf8');
  const config = /export interface \w+Config extends cdktf\.TerraformMetaArguments \{([\s\S]*?)\n\}/.exec(dts)?.[1] ?? '';
  if (/readonly labels\?:/.test(config)) return 'labels';
  if (/readonly userLabels\?:/.test(dts)) return 'settings.user_labels';
  return undefined;
}

function labelsOf(r: Resource): Record<string, string> | undefined {
  const field = labelField(r.type);
  if (field === undefined) return undefined;
  const labels = field === 'labels' ? r.body.labels : r.body.settings?.user_labels;
  expect(labels, `${r.type}.${r.name} takes ${field} but has none`).toBeDefined();
  return labels;
}

/** Resource types that take no labels at all: a new type in the stack must be placed here or labelled. */
const unlabelable = [
  'google_compute_backend_bucket',
  'google_compute_backend_bucket_signed_url_key',
  'google_compute_managed_ssl_certificate',
  'google_compute_network',
  'google_compute_target_http_proxy',
  'google_compute_target_https_proxy',
  'google_compute_url_map',
  'google_project_service',
  'google_service_networking_connection',
  'google_sql_database',
  'google_sql_user',
  'google_storage_bucket_iam_member',
  'google_vpc_access_connector',
  'random_id',
  'random_password',
];

function generatedVersion(pkg: string): string {
  const source = readFileSync(require.resolve(`${pkg}/lib/provider/index.js`), 'utf8');
  const version = /providerVersion: '([^']+)'/.exec(source)?.[1];
  if (!version) throw new Error(`no providerVersion in ${pkg}`);
  return version;
}

describe('labels', () => {
  it('lists exactly the unlabelable types the full stack uses', () => {
    const types = [...new Set(resources(synth(everything)).map((r) => r.type))].sort();
    expect(types.filter((t) => labelField(t) === undefined)).toEqual(unlabelable);
    expect(types.filter((t) => labelField(t) !== undefined)).toEqual([
      'google_artifact_registry_repository', 'google_compute_global_address', 'google_compute_global_forwarding_rule',
      'google_sql_database_instance', 'google_storage_bucket',
    ]);
  });
});

// --- databases -------------------------------------------------------------------

describe('databases', () => {
  const json = synth(everything);

  it.each([
    ['orders', true],
    ['scratch-db', false],
  ])('%s: deletion protection %s, in Terraform and in the API', (name, protect) => {
    const instance = one(json, 'google_sql_database_instance', `db-${name}`);
    expect(instance.deletion_protection).toBe(protect);
    expect(instance.settings.deletion_protection_enabled).toBe(protect);
  });

  it('sizes, versions and names instances from the manifest', () => {
    expect(one(json, 'google_sql_database_instance', 'db-orders')).toMatchObject({
      name: 'pilot-shop-orders',
      database_version: 'POSTGRES_16',
      region: 'us-central1',
      settings: { tier: 'db-custom-2-7680', edition: 'ENTERPRISE', disk_size: 50, disk_autoresize: true, disk_autoresize_limit: 500 },
    });
    expect(one(json, 'google_sql_database_instance', 'db-scratch-db').settings).toMatchObject({ tier: 'db-custom-1-3840', disk_size: 20, disk_autoresize_limit: 100 });
    expect(one(json, 'google_sql_database', 'db-scratch-db-database').name).toBe('scratch_db');
  });

  it('puts the private services range and connector of its own network where they cannot overlap', () => {
    expect(one(json, 'google_compute_network', 'network')).toMatchObject({ name: 'pilot-shop-us-central1', auto_create_subnetworks: false });
    expect(one(json, 'google_compute_global_address', 'private-services-range')).toMatchObject({ purpose: 'VPC_PEERING', address_type: 'INTERNAL', prefix_length: 16, address: '10.16.0.0' });
    expect(one(json, 'google_vpc_access_connector', 'vpc-connector')).toMatchObject({ name: 'pilot-shop', ip_cidr_range: '10.8.0.0/28', network: '${google_compute_network.network.name}' });
  });

  it.each([
    ['a name', 'pilot-network'],
    ['a self link', 'https://www.googleapis.com/compute/v1/projects/shop-prod-42/global/networks/pilot-network'],
    ['an id', 'projects/shop-prod-42/global/networks/pilot-network'],
  ])('reuses the network of the settings, given as %s', (_how, network) => {
    const reused = synth(everything, { gcp: { network } });
    expect(ofType(reused, 'google_compute_network')).toEqual([]);
    const id = 'projects/shop-prod-42/global/networks/pilot-network';
    expect(one(reused, 'google_sql_database_instance', 'db-orders').settings.ip_configuration.private_network).toBe(id);
    expect(one(reused, 'google_service_networking_connection', 'private-services-connection').network).toBe(id);
    expect(one(reused, 'google_compute_global_address', 'private-services-range').address).toBeUndefined();
    const connector = one(reused, 'google_vpc_access_connector', 'vpc-connector');
    expect(connector.network).toBe('pilot-network');
    expect(connector.ip_cidr_range).toMatch(/^10\.8\.\d{1,3}\.(0|16|32|48|64|80|96|112|128|144|160|176|192|208|224|240)\/28$/);
  });

  it('refuses a network setting that is not a network', () => {
    expect(() => synth(everything, { gcp: { network: 'Not A Network!' } })).toThrow(/settings gcp.network/);
  });

  it('has no network, connector or SQL API without a database', () => {
    const json = synth(fixture('gcp-cloud-run-docker'));
    const types = new Set(resources(json).map((r) => r.type));
    for (const type of ['google_compute_network', 'google_vpc_access_connector', 'google_sql_database_instance', 'google_service_networking_connection']) expect(types).not.toContain(type);
    expect(ofType(json, 'google_project_service').map((r) => r.body.service)).toEqual(['artifactregistry.googleapis.com', 'run.googleapis.com']);
  });

  it('makes resources wait for the APIs they use', () => {
    const needs: [string, string, string][] = [
      ['google_compute_network', 'network', 'compute'],
      ['google_service_networking_connection', 'private-services-connection', 'servicenetworking'],
      ['google_vpc_access_connector', 'vpc-connector', 'vpcaccess'],
      ['google_sql_database_instance', 'db-orders', 'sqladmin'],
      ['google_artifact_registry_repository', 'registry', 'artifactregistry'],
      ['google_storage_bucket', 'app-www-bucket', 'storage'],
      ['google_compute_backend_bucket', 'app-www-backend', 'compute'],
    ];
    for (const [type, name, api] of needs) expect(one(json, type, name).depends_on, `${type}.${name}`).toContain(`google_project_service.service-${api}`);
    expect(json.data.google_project.project.depends_on).toEqual(['google_project_service.service-cloudresourcemanager']);
  });
});

// --- static sites ----------------------------------------------------------------

describe('static sites', () => {
  const json = synth(everything);

  it('redirects HTTP to HTTPS when the app has a domain', () => {
    expect(one(json, 'google_compute_managed_ssl_certificate', 'app-www-certificate').managed).toEqual({ domains: ['www.shop.example'] });
    expect(one(json, 'google_compute_target_https_proxy', 'app-www-https-proxy')).toMatchObject({
      url_map: '${google_compute_url_map.app-www-url-map.id}',
      ssl_certificates: ['${google_compute_managed_ssl_certificate.app-www-certificate.id}'],
    });
    expect(one(json, 'google_compute_global_forwarding_rule', 'app-www-https-rule')).toMatchObject({ port_range: '443', target: '${google_compute_target_https_proxy.app-www-https-proxy.id}' });
    expect(one(json, 'google_compute_url_map', 'app-www-redirect-url-map')).toMatchObject({ default_url_redirect: { https_redirect: true, strip_query: false } });
    expect(one(json, 'google_compute_url_map', 'app-www-redirect-url-map').default_service).toBeUndefined();
    expect(one(json, 'google_compute_target_http_proxy', 'app-www-http-proxy').url_map).toBe('${google_compute_url_map.app-www-redirect-url-map.id}');
    expect(one(json, 'google_compute_global_forwarding_rule', 'app-www-http-rule')).toMatchObject({ port_range: '80', target: '${google_compute_target_http_proxy.app-www-http-proxy.id}' });
    for (const rule of ['app-www-http-rule', 'app-www-https-rule']) {
      expect(one(json, 'google_compute_global_forwarding_rule', rule).ip_address).toBe('${google_compute_global_address.app-www-ip.address}');
    }
  });

  it('serves plain HTTP from the CDN without a domain, and has no certificate', () => {
    expect(one(json, 'google_compute_target_http_proxy', 'app-docs-http-proxy').url_map).toBe('${google_compute_url_map.app-docs-url-map.id}');
    expect(json.resource.google_compute_managed_ssl_certificate['app-docs-certificate']).toBeUndefined();
    expect(json.resource.google_compute_global_forwarding_rule['app-docs-https-rule']).toBeUndefined();
  });

  it('serves the bucket through Cloud CDN, which alone may read it', () => {
    expect(one(json, 'google_compute_backend_bucket', 'app-www-backend')).toMatchObject({ enable_cdn: true, bucket_name: '${google_storage_bucket.app-www-bucket.name}' });
    expect(one(json, 'google_compute_url_map', 'app-www-url-map').default_service).toBe('${google_compute_backend_bucket.app-www-backend.id}');
    expect(one(json, 'google_storage_bucket', 'app-www-bucket').website).toEqual({ main_page_suffix: 'index.html' });
    expect(one(json, 'google_storage_bucket_iam_member', 'app-www-cdn-reader').depends_on).toEqual(['google_compute_backend_bucket_signed_url_key.app-www-cdn-key']);
  });

  it('names buckets uniquely per GCP project, project and app, never with "google" in them', () => {
    expect(bucketName('p1', 'shop', 'www')).toMatch(/^pilot-shop-www-[0-9a-f]{8}$/);
    expect(bucketName('p1', 'shop', 'www')).not.toBe(bucketName('p2', 'shop', 'www'));
    expect(bucketName('p1', 'googler', 'g00gle-login')).toMatch(/^pilot-gcpr-gcp-login-[0-9a-f]{8}$/);
  });
});

// --- names -----------------------------------------------------------------------

describe.each([
  ['the longest valid names', inputOf(longestManifest)],
  ['30-character project, app and database names', stretched(inputOf(longestManifest))],
])('%s', (_name, input) => {
  const json: Json = gcpDriver.synth(input);
  const rfc1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
  const limits: [string, string, number, RegExp][] = [
    ['google_sql_database_instance', 'name', 80, rfc1035],
    ['google_vpc_access_connector', 'name', 25, /^[a-z][-a-z0-9]{0,23}[a-z0-9]$/],
    ['google_artifact_registry_repository', 'repository_id', 63, rfc1035],
    ['google_storage_bucket', 'name', 63, /^[a-z0-9][-a-z0-9]*[a-z0-9]$/],
    ...[
      'google_compute_network', 'google_compute_global_address', 'google_compute_backend_bucket', 'google_compute_backend_bucket_signed_url_key',
      'google_compute_url_map', 'google_compute_managed_ssl_certificate', 'google_compute_target_http_proxy',
      'google_compute_target_https_proxy', 'google_compute_global_forwarding_rule',
    ].map((type): [string, string, number, RegExp] => [type, 'name', 63, rfc1035]),
  ];

  it.each(limits)('%s.%s fits %i characters', (type, field, max, pattern) => {
    const found = ofType(json, type);
    expect(found.length).toBeGreaterThan(0);
    for (const { body } of found) {
      expect(body[field].length).toBeLessThanOrEqual(max);
      expect(body[field]).toMatch(pattern);
    }
  });

  it('keeps every name of one type distinct', () => {
    for (const type of new Set(resources(json).map((r) => r.type))) {
      const names = ofType(json, type).map((r) => r.body.name).filter((n) => typeof n === 'string' && !n.startsWith('${'));
      if (type !== 'google_compute_backend_bucket_signed_url_key') expect(new Set(names).size, type).toBe(names.length);
    }
  });

  it('gives the stacks of one project in two regions different global names', () => {
    const other = gcpDriver.synth({ ...input, region: 'us-east4' });
    expect(one(other, 'google_compute_network', 'network').name).not.toBe(one(json, 'google_compute_network', 'network').name);
    expect(one(other, 'google_compute_global_address', 'private-services-range').name).not.toBe(one(json, 'google_compute_global_address', 'private-services-range').name);
  });
});

// --- outputs ---------------------------------------------------------------------

/** What `terraform output -json` would give, with the expressions standing in for values. */
function fakeOutputs(json: Json): StackOutputs {
  return Object.fromEntries(Object.entries(json.output as Record<string, Json>).map(([name, o]) => [name, { value: o.value, sensitive: o.sensitive === true }]));
}

describe('outputs', () => {
  const json = synth(everything);
  const outputs = fakeOutputs(json);

  it('names every output by the rules of outputs.ts, and no others', () => {
    const expected = [
      ...['orders', 'scratch-db'].flatMap((db) => databaseFields.map((field) => databaseOutput(db, field))),
      appOutput('api', 'artifactRepository'), appOutput('api', 'vpcConnector'), appOutput('worker', 'artifactRepository'),
      ...['www', 'docs'].flatMap((app) => [appOutput(app, 'bucket'), appOutput(app, 'urlMap'), `app_${app}_siteAddress`]),
    ];
    expect(Object.keys(outputs).sort()).toEqual(expected.sort());
    expect(Object.entries(outputs).filter(([, o]) => o.sensitive).map(([name]) => name).sort()).toEqual(['db_orders_password', 'db_scratch-db_password']);
  });

  it('reads back as the connection of each database', () => {
    expect(connectionOf(outputs, 'orders')).toEqual({
      host: '${google_sql_database_instance.db-orders.private_ip_address}',
      port: 5432,
      user: '${google_sql_user.db-orders-user.name}',
      password: '${random_password.db-orders-password.result}',
      database: '${google_sql_database.db-orders-database.name}',
    });
  });

  it.each([
    ['api', { artifactRepository: '${google_artifact_registry_repository.registry.repository_id}', vpcConnector: '${google_vpc_access_connector.vpc-connector.id}' }],
    ['worker', { artifactRepository: '${google_artifact_registry_repository.registry.repository_id}' }],
    ['www', { bucket: '${google_storage_bucket.app-www-bucket.name}', urlMap: '${google_compute_url_map.app-www-url-map.name}' }],
  ])('reads back as the wiring of %s', (app, wiring) => {
    expect(wiringOf(outputs, app)).toEqual(wiring);
  });

  it('names the account Cloud Run apps run as when the settings give one (a bootstrapped VM may act as no other), and it is rendered', () => {
    const account = 'pilot-apps@acme-prod.iam.gserviceaccount.com';
    const withAccount = fakeOutputs(synth(everything, { gcp: { appsServiceAccount: account } }));
    expect(wiringOf(withAccount, 'api').serviceAccount).toBe(account);
    expect(wiringOf(withAccount, 'worker').serviceAccount).toBe(account);
    expect(wiringOf(withAccount, 'www').serviceAccount).toBeUndefined();
    expect(wiringOf(outputs, 'api').serviceAccount).toBeUndefined();
    const api = inputOf(everything).apps.find((app) => app.name === 'api')!;
    expect(renderWaypointHcl(api, { wiring: wiringOf(withAccount, 'api') })).toContain(`service_account_name = "${account}"`);
    expect(renderWaypointHcl(api, { wiring: wiringOf(outputs, 'api') })).not.toContain('service_account_name');
  });

  it('gives the registry and the connector the names Waypoint expects', () => {
    expect(one(json, 'google_artifact_registry_repository', 'registry')).toMatchObject({ repository_id: 'pilot-shop', format: 'DOCKER', location: 'us-central1' });
    expect(json.output.app_www_siteAddress.value).toBe('${google_compute_global_address.app-www-ip.address}');
  });
});

// --- input checks and goldens ----------------------------------------------------

describe('the stack input', () => {
  it('needs a GCP project, and only one', () => {
    const [input] = stackInputs(desired({ 'pilot.yaml': everything }));
    expect(() => gcpDriver.synth({ ...input!, gcpProject: undefined })).toThrow(/needs a gcpProject/);
    const elsewhere = { ...input!.apps[0]!, gcpProject: 'another-project' };
    expect(() => gcpDriver.synth({ ...input!, apps: [elsewhere] })).toThrow(/shop\/api is in GCP project another-project/);
  });
});

describe('goldens', () => {
  it.each([
    ['app-database', fixture('gcp-app-database')],
    ['static-domain', staticWithDomain],
    ['cloud-run-docker', fixture('gcp-cloud-run-docker')],
  ])('gcp-%s', async (name, manifest) => {
    await expect(`${JSON.stringify(synth(manifest), null, 2)}\n`).toMatchFileSnapshot(`./golden/stacks/gcp-${name}.tf.json`);
  });
});
