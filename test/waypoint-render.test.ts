// The waypoint.hcl renderer: byte-for-byte goldens, HashiCorp's own HCL parser on every
// output, only plugin keys the facts list, no secret ever in a file, and `pilot render`.
// UPDATE_GOLDEN=1 rewrites test/golden/*.waypoint.hcl; review every diff before committing.

import { parse } from '@cdktf/hcl2json';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DesiredApp, DesiredState } from '../src/reconciler/desired-state.js';
import { loadDesiredStateFromDirectory } from '../src/sources/manifests/load.js';
import { pipelineOf } from '../src/dev/waypoint-emulator/runner-pipeline.js';
import { renderWaypointHcl } from '../src/waypoint/render/app.js';
import { attribute, block, hclMap, printHcl } from '../src/waypoint/render/hcl.js';
import { quoteHclString } from '../src/waypoint/render/hcl-string.js';
import type { RenderOptions } from '../src/waypoint/render/options.js';
import { renderProject, renderState } from '../src/waypoint/render/project.js';
import { cli } from './support/cli.js';
import { fixturesRoot } from './support/fixtures.js';

const goldenDir = path.join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'pilot-render-'));

// hcl2json's output is untyped JSON; the assertions below are its schema.
type Json = Record<string, any>;
const parseHcl = (text: string) => parse('waypoint.hcl', text) as Promise<Json>;

const states = new Map<string, DesiredState>();
async function fixtureApp(fixture: string, name: string): Promise<DesiredApp> {
  let state = states.get(fixture);
  if (!state) {
    const result = await loadDesiredStateFromDirectory(path.join(fixturesRoot, 'valid', fixture));
    if (!result.state) throw new Error(`fixture ${fixture} is invalid`);
    state = result.state;
    states.set(fixture, state);
  }
  const app = state.projects.flatMap((p) => p.apps).find((a) => `${a.project}/${a.name}` === name);
  if (!app) throw new Error(`no app ${name} in ${fixture}`);
  return app;
}

interface GoldenCase {
  golden: string;
  fixture: string;
  app: string;
  options: RenderOptions;
  /** Checks on hcl2json's reading of the file. */
  check(app: Json): void;
}

const use = (stage: Json, plugin: string): Json => stage.use[plugin][0];

const goldens: GoldenCase[] = [
  {
    golden: 'ecs-aws',
    fixture: 'aws-ecs-pack',
    app: 'shop/worker',
    options: { commit: '3f2a9c1d4b5e6f708192a3b4c5d6e7f809112233' },
    check(app) {
      expect(app.path).toBe('services/worker');
      expect(app.build[0].use.pack).toEqual([{}]);
      expect(use(app.build[0].registry[0], 'aws-ecr')).toEqual({ region: 'eu-west-1', repository: 'pilot-shop-worker', tag: '3f2a9c1d4b5e' });
      const ecs = use(app.deploy[0], 'aws-ecs');
      expect(ecs).toMatchObject({ region: 'eu-west-1', memory: 4096, cpu: 1024, count: 2, service_port: 9000 });
      expect(ecs.health_check).toEqual([{ path: '/healthz' }]);
      expect(ecs.subnets).toBeUndefined();
      expect(ecs.alb).toBeUndefined();
      // aws-ecs implements no release manager: a release block would fail the job.
      expect(app.release).toBeUndefined();
    },
  },
  {
    golden: 'ecs-aws-with-database-wiring',
    fixture: 'aws-app-database',
    app: 'billing/api',
    options: { wiring: { subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'], securityGroupIds: ['sg-0123456789abcdef0'] } },
    check(app) {
      const ecs = use(app.deploy[0], 'aws-ecs');
      expect(ecs).toMatchObject({ memory: 4096, cpu: 512, count: 1, service_port: 8080 });
      expect(ecs.subnets).toEqual(['subnet-0a1b2c3d', 'subnet-4e5f6a7b']);
      expect(ecs.security_group_ids).toEqual(['sg-0123456789abcdef0']);
      // The load balancer goes into the database's VPC, with the tasks.
      expect(ecs.alb).toEqual([{ subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'] }]);
      expect(ecs.assign_public_ip).toBe(true);
      expect(app.release).toBeUndefined();
      expect(use(app.build[0].registry[0], 'aws-ecr').tag).toBe('latest');
      expect(app.config).toBeUndefined();
    },
  },
  {
    golden: 'lambda-aws',
    fixture: 'aws-lambda-docker',
    app: 'jobs/resize',
    options: { commit: 'ABCDEF0123456789abcdef0123456789abcdef01' },
    check(app) {
      expect(use(app.build[0], 'docker')).toEqual({ dockerfile: 'Dockerfile' });
      expect(use(app.build[0].registry[0], 'aws-ecr').tag).toBe('abcdef012345');
      expect(use(app.deploy[0], 'aws-lambda')).toEqual({ region: 'us-west-2', memory: 2048 });
      expect(use(app.release[0], 'lambda-function-url')).toEqual({ auth_type: 'NONE' });
    },
  },
  {
    golden: 'cloud-run-gcp',
    fixture: 'gcp-app-database',
    app: 'ledger/api',
    options: {},
    check(app) {
      expect(app.build[0].use.pack).toEqual([{}]);
      expect(use(app.build[0].registry[0], 'docker')).toEqual({
        image: 'us-central1-docker.pkg.dev/ledger-prod/pilot-ledger/api',
        tag: 'latest',
      });
      const run = use(app.deploy[0], 'google-cloud-run');
      expect(run).toMatchObject({ project: 'ledger-prod', location: 'us-central1', port: 8080, unauthenticated: true });
      expect(run.capacity).toEqual([{ memory: 512, cpu_count: 1, request_timeout: 300, max_requests_per_container: 80 }]);
      expect(run.auto_scaling).toEqual([{ min: 0, max: 10 }]);
      expect(run.vpc_access).toBeUndefined();
      expect(app.release[0].use['google-cloud-run']).toEqual([{}]);
    },
  },
  {
    golden: 'cloud-run-gcp-docker-with-vpc',
    fixture: 'gcp-cloud-run-docker',
    app: 'auth/auth',
    options: {
      commit: '0123456789abcdef0123456789abcdef01234567',
      wiring: { vpcConnector: 'projects/acme-auth-prod/locations/us-central1/connectors/pilot-auth', artifactRepository: 'pilot-images' },
    },
    check(app) {
      expect(use(app.build[0], 'docker')).toEqual({ dockerfile: 'docker/Dockerfile.prod' });
      expect(use(app.build[0].registry[0], 'docker')).toEqual({
        image: 'us-central1-docker.pkg.dev/acme-auth-prod/pilot-images/auth',
        tag: '0123456789ab',
      });
      const run = use(app.deploy[0], 'google-cloud-run');
      expect(run.capacity[0]).toMatchObject({ memory: 1024, cpu_count: 2 });
      expect(run.auto_scaling).toEqual([{ min: 0, max: 3 }]);
      expect(run.vpc_access).toEqual([
        { connector: 'projects/acme-auth-prod/locations/us-central1/connectors/pilot-auth', egress: 'private-ranges-only' },
      ]);
      expect(app.config[0].env).toEqual({ LOG_LEVEL: 'info' });
    },
  },
  {
    golden: 'static-aws',
    fixture: 'aws-static',
    app: 'acme-site/web',
    options: { wiring: { bucket: 'acme-site-web-7f3a', distributionId: 'E2QWRUHAPOMQZL' } },
    check(app) {
      expect(app.path).toBe('frontend');
      // A docker build with Pilot's Dockerfile (shipped in the runner image), then an exec deploy:
      // the one pairing of builtins Waypoint can chain (docker.Image -> exec.Input).
      expect(use(app.build[0], 'docker')).toEqual({
        dockerfile: '/opt/pilot/static-site.Dockerfile', disable_entrypoint: true, build_args: { OUTPUT_DIR: 'dist' },
      });
      expect(app.build[0].registry).toBeUndefined();
      expect(app.build[0].hook).toBeUndefined();
      expect(use(app.deploy[0], 'exec').command).toEqual([
        'pilot-sync', '--provider', 'aws', '--region', 'us-east-1',
        '--bucket', 'acme-site-web-7f3a', '--distribution', 'E2QWRUHAPOMQZL', '--image', '{{.Input.DockerImageFull}}',
      ]);
      expect(app.release).toBeUndefined();
    },
  },
  {
    golden: 'static-gcp',
    fixture: 'gcp-static',
    app: 'docs/site',
    options: {},
    check(app) {
      expect(use(app.build[0], 'docker').build_args).toEqual({ OUTPUT_DIR: 'build' });
      expect(use(app.deploy[0], 'exec').command).toEqual([
        'pilot-sync', '--provider', 'gcp', '--project', 'docs-prod-123', '--bucket', 'pilot-docs-site', '--image', '{{.Input.DockerImageFull}}',
      ]);
    },
  },
];

// ---- Allow-list of plugin keys, from wire-facts.md §5.6 (and static-sites.md for files/exec).

type Kind = 'string' | 'number' | 'bool' | 'list' | 'map' | Schema;
interface Schema {
  keys: Record<string, Kind>;
  required?: string[];
  check?: (body: Json) => void;
}
const s = (keys: Record<string, Kind>, required: string[] = [], check?: Schema['check']): Schema => ({ keys, required, check });
const dockerAuth = s({
  hostname: 'string', username: 'string', password: 'string', email: 'string', auth: 'string',
  serverAddress: 'string', identityToken: 'string', registryToken: 'string',
});
const plugins: Record<string, Schema> = {
  'build/pack': s({ builder: 'string', buildpacks: 'list', static_environment: 'map', ignore: 'list', process_type: 'string', disable_entrypoint: 'bool' }),
  'build/docker': s({
    dockerfile: 'string', context: 'string', build_args: 'map', target: 'string', platform: 'string', buildkit: 'bool',
    no_cache: 'bool', disable_entrypoint: 'bool', auth: dockerAuth,
  }),
  'build/files': s({}),
  'registry/docker': s(
    { image: 'string', tag: 'string', local: 'bool', insecure: 'bool', username: 'string', password: 'string', encoded_auth: 'string', auth: dockerAuth },
    ['image', 'tag'],
  ),
  'registry/aws-ecr': s({ tag: 'string', repository: 'string', region: 'string' }, ['tag']),
  'deploy/aws-ecs': s(
    {
      region: 'string', memory: 'number', cpu: 'number', memory_reservation: 'number', count: 'number', cluster: 'string',
      ec2_cluster: 'bool', architecture: 'string', log_group: 'string', execution_role_name: 'string', task_role_name: 'string',
      task_role_policy_arns: 'list', subnets: 'list', security_group_ids: 'list', assign_public_ip: 'bool', service_port: 'number',
      static_environment: 'map', secrets: 'map', disable_alb: 'bool', target_group_protocol: 'string', target_group_protocol_version: 'string',
      alb: s({
        certificate: 'string', zone_id: 'string', domain_name: 'string', load_balancer_arn: 'string', internal: 'bool',
        ingress_port: 'number', subnets: 'list', security_group_ids: 'list',
      }),
      health_check: s({
        protocol: 'string', path: 'string', timeout: 'number', interval: 'number', healthy_threshold_count: 'number',
        unhealthy_threshold_count: 'number', grpc_code: 'string', http_code: 'string',
      }),
    },
    ['region', 'memory'],
  ),
  'deploy/google-cloud-run': s(
    {
      project: 'string', location: 'string', port: 'number', unauthenticated: 'bool', static_environment: 'map',
      service_account_name: 'string', cloudsql_instances: 'list',
      capacity: s(
        { memory: 'number', cpu_count: 'number', request_timeout: 'number', max_requests_per_container: 'number' },
        ['memory', 'cpu_count', 'request_timeout', 'max_requests_per_container'],
        (c) => {
          expect(c.memory === 0 || (c.memory >= 128 && c.memory <= 4096)).toBe(true);
          expect(c.cpu_count).toBeGreaterThanOrEqual(0);
          expect(c.cpu_count).toBeLessThanOrEqual(2);
          expect(c.request_timeout).toBeLessThanOrEqual(900);
        },
      ),
      auto_scaling: s({ min: 'number', max: 'number' }, ['min', 'max']),
      vpc_access: s({ connector: 'string', egress: 'string' }, [], (v) => expect(['all', 'private-ranges-only']).toContain(v.egress)),
    },
    ['project', 'location'],
  ),
  'release/google-cloud-run': s({}),
  'deploy/aws-lambda': s(
    { region: 'string', iam_role: 'string', memory: 'number', timeout: 'number', architecture: 'string', storagemb: 'number', static_environment: 'map' },
    ['region'],
  ),
  'release/lambda-function-url': s({ auth_type: 'string', principal: 'string' }, [], (r) => expect(['AWS_IAM', 'NONE']).toContain(r.auth_type)),
  'deploy/exec': s({ command: 'list', dir: 'string', template: s({ path: 'string' }, ['path']) }),
};
const hook = s({ when: 'string', command: 'list', on_failure: 'string' }, ['when', 'command'], (h) => {
  expect(['before', 'after']).toContain(h.when);
  expect(['continue', 'fail']).toContain(h.on_failure);
});

function checkBody(body: Json, schema: Schema, where: string): void {
  for (const key of schema.required ?? []) expect(body, `${where}: ${key} is required`).toHaveProperty(key);
  for (const [key, value] of Object.entries(body)) {
    const kind = schema.keys[key];
    expect(kind, `${where}: unknown key ${key}`).toBeDefined();
    if (typeof kind === 'object') {
      for (const [i, nested] of (value as Json[]).entries()) checkBody(nested, kind, `${where}.${key}[${i}]`);
      continue;
    }
    const actual = Array.isArray(value) ? 'list' : typeof value === 'object' ? 'map' : typeof value === 'boolean' ? 'bool' : typeof value;
    expect(actual, `${where}.${key}`).toBe(kind);
    if (kind === 'list') for (const item of value as unknown[]) expect(typeof item, `${where}.${key}[]`).toBe('string');
  }
  schema.check?.(body);
}

function checkUse(stageName: string, stage: Json, where: string): void {
  const names = Object.keys(stage.use ?? {});
  expect(names, `${where}: exactly one use block`).toHaveLength(1);
  const plugin = names[0] as string;
  const schema = plugins[`${stageName}/${plugin}`];
  expect(schema, `${where}: ${stageName} may not use ${plugin}`).toBeDefined();
  const bodies = stage.use[plugin] as Json[];
  expect(bodies).toHaveLength(1);
  checkBody(bodies[0] as Json, schema as Schema, `${where}.use.${plugin}`);
}

/** Walks hcl2json's reading of a waypoint.hcl: only grammar keys (§5.1–5.4) and listed plugin keys. */
function checkKnownKeys(file: Json): void {
  expect(Object.keys(file).sort()).toEqual(['app', 'project']);
  for (const [name, apps] of Object.entries(file.app as Record<string, Json[]>)) {
    expect(apps).toHaveLength(1);
    const app = apps[0] as Json;
    for (const key of Object.keys(app)) expect(['path', 'build', 'deploy', 'release', 'config'], `app ${name}`).toContain(key);
    const build = app.build[0] as Json;
    for (const key of Object.keys(build)) expect(['use', 'registry', 'hook']).toContain(key);
    checkUse('build', build, 'build');
    for (const registry of build.registry ?? []) {
      expect(Object.keys(registry)).toEqual(['use']);
      checkUse('registry', registry, 'build.registry');
    }
    for (const [i, h] of (build.hook ?? []).entries()) checkBody(h, hook, `build.hook[${i}]`);
    for (const stageName of ['deploy', 'release'] as const) {
      for (const stage of app[stageName] ?? []) {
        expect(Object.keys(stage)).toEqual(['use']);
        checkUse(stageName, stage, stageName);
      }
    }
    for (const config of app.config ?? []) {
      expect(Object.keys(config)).toEqual(['env']);
      for (const value of Object.values(config.env)) expect(typeof value).toBe('string');
    }
  }
}

/** Fargate memory (MiB) -> cpu (CPU units) pairs the aws-ecs plugin accepts (builtin/aws/utils/validations.go). */
function fargateCpuUnits(memory: number): number[] {
  const table = new Map<number, number[]>([[512, [256]], [1024, [256, 512]], [2048, [256, 512, 1024]], [3072, [512, 1024]], [4096, [512, 1024]]]);
  for (let m = 5120; m <= 8192; m += 1024) table.set(m, [1024]);
  for (let m = 4096; m < 16384; m += 1024) table.set(m, [...(table.get(m) ?? []), 2048]);
  for (let m = 8192; m <= 30720; m += 1024) table.set(m, [...(table.get(m) ?? []), 4096]);
  return table.get(memory) ?? [];
}

/** `project/app: ...` when an ECS deploy has a cpu/memory pair Fargate refuses. */
function fargateProblem(file: Json): string | undefined {
  const [name, apps] = Object.entries(file.app as Record<string, Json[]>)[0] as [string, Json[]];
  const ecs = (apps[0] as Json).deploy[0].use['aws-ecs']?.[0];
  if (!ecs || ecs.cpu === undefined || fargateCpuUnits(ecs.memory).includes(ecs.cpu)) return undefined;
  return `${file.project}/${name}: memory ${ecs.memory} with cpu ${ecs.cpu}`;
}

/** hcl2json keeps template escapes (`$${`, `%%{`) as in HCL's JSON syntax; this reads them back. */
function templateLiteral(text: string): string {
  return text.replace(/([$%])\1\{/g, '$1{');
}

/** hclwrite itself, through `terraform fmt -`. */
function terraformFmt(text: string): string | undefined {
  try {
    return execFileSync('terraform', ['fmt', '-'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function plainApp(overrides: Partial<DesiredApp> = {}): DesiredApp {
  return {
    project: 'acme', name: 'api', provider: 'aws', region: 'us-east-1',
    source: { repo: 'https://github.com/acme/api.git', ref: 'main', path: '.' },
    build: { builder: 'pack' },
    deploy: { platform: 'ecs', port: 8080, cpu: 0.25, memory: 512, instances: { min: 1, max: 1 } },
    release: {}, env: {}, dependsOn: [], databases: [], origin: { file: 'pilot.yaml', line: 1 },
    ...overrides,
  };
}

describe('waypoint.hcl goldens', () => {
  const rendered = new Map<string, string>();
  beforeAll(async () => {
    for (const g of goldens) rendered.set(g.golden, renderWaypointHcl(await fixtureApp(g.fixture, g.app), g.options));
  });

  for (const g of goldens) {
    it(`${g.golden}: matches test/golden/${g.golden}.waypoint.hcl byte for byte`, async () => {
      const file = path.join(goldenDir, `${g.golden}.waypoint.hcl`);
      const text = rendered.get(g.golden) as string;
      if (update) await writeFile(file, text);
      expect(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(await readFile(file, 'utf8'));
    });

    it(`${g.golden}: parses with hcl2json, with the expected plugins and values`, async () => {
      const file = await parseHcl(rendered.get(g.golden) as string);
      const [name] = g.app.split('/').slice(1);
      expect(file.project).toBe(g.app.split('/')[0]);
      g.check(file.app[name as string][0]);
    });

    it(`${g.golden}: is a pipeline Waypoint's runner can run, stage by stage`, async () => {
      const file = await parseHcl(rendered.get(g.golden) as string);
      const planned = pipelineOf(file, g.app.split('/')[1] as string);
      expect('pipeline' in planned ? [] : planned.problems).toEqual([]);
      if (!('pipeline' in planned)) return;
      const { build, registry, deploy, release } = planned.pipeline;
      const stages = [build, registry, deploy, release === 'default' ? undefined : release];
      expect(stages.flatMap((stage) => stage?.problems ?? [])).toEqual([]);
    });

    it(`${g.golden}: uses only plugin keys listed in the wire facts`, async () => {
      const file = await parseHcl(rendered.get(g.golden) as string);
      checkKnownKeys(file);
      expect(fargateProblem(file)).toBeUndefined();
    });
  }

  it('has no golden file without a case', async () => {
    const files = (await readdir(goldenDir)).filter((f) => f.endsWith('.waypoint.hcl'));
    expect(files.sort()).toEqual(goldens.map((g) => `${g.golden}.waypoint.hcl`).sort());
  });
});

describe('HCL writer', () => {
  it('aligns runs of single-line attributes, prints maps multi-line and separates blocks', () => {
    const text = printHcl([
      attribute('project', 'p'),
      block('app', ['web'], [
        attribute('a', 1),
        attribute('longer_name', true),
        attribute('list', ['x', 'y']),
        attribute('env', hclMap({ ZED: 'z', A: 'a', 'not-ident ok': 'q' })),
        attribute('after', 'b'),
        block('empty', ['x']),
        block('nested', [], [attribute('k', 'v')]),
      ]),
    ]);
    expect(text).toBe(
      [
        'project = "p"',
        '',
        'app "web" {',
        '  a           = 1',
        '  longer_name = true',
        '  list        = ["x", "y"]',
        '  env = {',
        '    A              = "a"',
        '    ZED            = "z"',
        '    "not-ident ok" = "q"',
        '  }',
        '  after = "b"',
        '',
        '  empty "x" {}',
        '',
        '  nested {',
        '    k = "v"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('escapes strings as hclwrite does, template introducers included', () => {
    expect(quoteHclString('a"b\\c\nd\te\rf')).toBe('"a\\"b\\\\c\\nd\\te\\rf"');
    expect(quoteHclString('${var.x} %{ if } $x %x $${y}')).toBe('"$${var.x} %%{ if } $x %x $$${y}"');
    expect(quoteHclString('\u0001é😀')).toBe('"\\u0001é😀"');
  });

  it('never leaves trailing whitespace and ends with exactly one newline', async () => {
    for (const g of goldens) {
      const text = renderWaypointHcl(await fixtureApp(g.fixture, g.app), g.options);
      expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
      for (const line of text.split('\n')) expect(line).toBe(line.trimEnd());
      expect(text).not.toMatch(/\n\n\n/);
    }
  });
});

describe('canonical layout, checked with hclwrite (terraform fmt)', () => {
  it('has terraform to check with (Pilot needs it for its cloud stacks too)', () => {
    expect(terraformFmt('a = 1\n'), 'install terraform: the tests use `terraform fmt` as the reference formatter').toBe('a = 1\n');
  });

  it('leaves every golden and a file with every value kind unchanged', async () => {
    const texts = goldens.map((g) => readFile(path.join(goldenDir, `${g.golden}.waypoint.hcl`), 'utf8'));
    const app = plainApp({ env: { A: { kind: 'plain', value: 'x' }, LONGER_NAME: { kind: 'plain', value: 'q"\\\n${a}%{b}\u0001' } } });
    for (const text of [...(await Promise.all(texts)), renderWaypointHcl(app)]) expect(terraformFmt(text)).toBe(text);
  });
});

describe('renderWaypointHcl', () => {
  it('is deterministic: same input, same bytes; env order does not matter', () => {
    const env = { B_VAR: { kind: 'plain', value: 'b' }, A_VAR: { kind: 'plain', value: 'a' } } as const;
    const first = renderWaypointHcl(plainApp({ env }), { commit: 'a'.repeat(40) });
    expect(renderWaypointHcl(plainApp({ env }), { commit: 'a'.repeat(40) })).toBe(first);
    const reversed = Object.fromEntries(Object.entries(env).reverse());
    expect(renderWaypointHcl(plainApp({ env: reversed }), { commit: 'a'.repeat(40) })).toBe(first);
    expect(first.indexOf('A_VAR')).toBeLessThan(first.indexOf('B_VAR'));
  });

  it('keeps a hostile plain value literal: quotes, backslashes, newlines and ${...} come back unchanged', async () => {
    const value = 'say "hi" \\ back\nslash ${var.x} %{ if true }x%{ endif } $${kept} ~}';
    const text = renderWaypointHcl(plainApp({ env: { TRICKY: { kind: 'plain', value } } }));
    const file = await parseHcl(text);
    expect(templateLiteral(file.app.api[0].config[0].env.TRICKY)).toBe(value);
    expect(file.project).toBe('acme');
  });

  it('writes no secret, database or external value, nor their names or references', async () => {
    const hidden = ['STRIPE_SECRET_KEY', 'sk_live_do_not_leak', 'DATABASE_PASSWORD', 'ledgerdb', 'VAULT_TOKEN', 'vault:secret/data/pay#token', 'secret/data/pay', 'aws-ssm:/acme/api-token', 'SSM_KEY'];
    const app = plainApp({
      env: {
        DATABASE_PASSWORD: { kind: 'database', database: 'ledgerdb', property: 'password' },
        LOG_LEVEL: { kind: 'plain', value: 'info' },
        SSM_KEY: { kind: 'external', ref: 'aws-ssm:/acme/api-token' },
        STRIPE_SECRET_KEY: { kind: 'secret' },
        VAULT_TOKEN: { kind: 'external', ref: 'vault:secret/data/pay#token' },
      },
      databases: ['ledgerdb'],
    });
    for (const platform of ['ecs', 'lambda'] as const) {
      const text = renderWaypointHcl({ ...app, build: { builder: 'docker', dockerfile: 'Dockerfile' }, deploy: { ...app.deploy, platform } });
      for (const word of [...hidden, 'sk_live']) expect(text).not.toContain(word);
      expect((await parseHcl(text)).app.api[0].config[0].env).toEqual({ LOG_LEVEL: 'info' });
    }
    const secrets = await fixtureApp('secrets', 'payments/api');
    const text = renderWaypointHcl(secrets);
    for (const word of ['STRIPE_KEY', 'API_TOKEN', 'VAULT_PASSWORD', 'aws-ssm', 'vault:', 'api-token']) expect(text).not.toContain(word);
    expect((await parseHcl(text)).app.api[0].config[0].env).toEqual({ EMPTY: '', LOG_LEVEL: 'debug', _PRIVATE_FLAG: 'on' });
  });

  it('leaves out the config block when there is no plain value', () => {
    const text = renderWaypointHcl(plainApp({ env: { S: { kind: 'secret' } } }));
    expect(text).not.toContain('config');
  });

  it('converts vCPU to the CPU units aws-ecs expects', async () => {
    const cases: [number, number, number][] = [[0.25, 512, 256], [0.5, 1024, 512], [2, 4096, 2048]];
    for (const [cpu, memory, units] of cases) {
      const file = await parseHcl(renderWaypointHcl(plainApp({ deploy: { platform: 'ecs', cpu, memory, port: 80, instances: { min: 1, max: 1 } } })));
      expect(file.app.api[0].deploy[0].use['aws-ecs'][0].cpu).toBe(units);
    }
  });

  it('passes the GCP url map to pilot-sync when the driver gives one, and keeps Go templates out of args', async () => {
    const app = plainApp({
      provider: 'gcp', region: 'europe-west1', gcpProject: 'docs-prod',
      build: { builder: 'yarn', outputDir: 'out' }, deploy: { platform: 'static' },
    });
    const file = await parseHcl(renderWaypointHcl(app, { wiring: { urlMap: 'pilot-docs-site-lb', bucket: 'b{{.Env.X}}' } }));
    expect(file.app.api[0].deploy[0].use.exec[0].command).toEqual([
      'pilot-sync', '--provider', 'gcp', '--project', 'docs-prod', '--bucket', 'b{{"{{"}}.Env.X}}', '--url-map', 'pilot-docs-site-lb',
      '--image', '{{.Input.DockerImageFull}}',
    ]);
  });

  it('runs at least one ECS task: the plugin reads count 0 as unset', async () => {
    const app = plainApp({ deploy: { platform: 'ecs', cpu: 0.25, memory: 512, port: 80, instances: { min: 0, max: 3 } } });
    expect((await parseHcl(renderWaypointHcl(app))).app.api[0].deploy[0].use['aws-ecs'][0].count).toBe(1);
  });

  it('refuses a tag that is not a commit id', () => {
    expect(() => renderWaypointHcl(plainApp(), { commit: 'main' })).toThrow(/not a commit id/);
  });

  it('renders every valid fixture into HCL that parses and uses only known keys', async () => {
    const fixtures = (await readdir(path.join(fixturesRoot, 'valid'), { withFileTypes: true })).filter((d) => d.isDirectory());
    let count = 0;
    const fargate: string[] = [];
    for (const dir of fixtures) {
      const result = await loadDesiredStateFromDirectory(path.join(fixturesRoot, 'valid', dir.name));
      for (const { text } of renderState(result.state as DesiredState)) {
        const file = await parseHcl(text);
        checkKnownKeys(file);
        const problem = fargateProblem(file);
        if (problem) fargate.push(problem);
        count += 1;
      }
    }
    expect(count).toBeGreaterThanOrEqual(10);
    expect(fargate).toEqual([]);
  });

  it('renderProject maps app names to files, and an unknown project to nothing', async () => {
    await fixtureApp('aws-ecs-pack', 'shop/api');
    const state = states.get('aws-ecs-pack') as DesiredState;
    const files = renderProject(state, 'shop');
    expect([...files.keys()]).toEqual(['api', 'worker']);
    expect(files.get('api')).toBe(renderWaypointHcl(await fixtureApp('aws-ecs-pack', 'shop/api')));
    expect(renderProject(state, 'nope').size).toBe(0);
  });
});

describe('pilot render', () => {
  it('writes one waypoint.hcl per app and lists them', async () => {
    const out = path.join(await tempDir(), 'out');
    const result = await cli(['render', path.join(fixturesRoot, 'valid', 'aws-ecs-pack'), '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote ${path.join(out, 'shop', 'api', 'waypoint.hcl')}`);
    expect(result.stdout).toMatch(/rendered 2 apps of 1 project into /);
    expect(await readdir(path.join(out, 'shop'))).toEqual(['api', 'worker']);
    const worker = await readFile(path.join(out, 'shop', 'worker', 'waypoint.hcl'), 'utf8');
    // The worker's ref is a full commit: its images are tagged with it.
    expect(worker).toBe(renderWaypointHcl(await fixtureApp('aws-ecs-pack', 'shop/worker'), { commit: '3f2a9c1d4b5e6f708192a3b4c5d6e7f809112233' }));
  });

  it('defaults to .pilot/render under the current directory and prints relative paths', async () => {
    const cwd = await tempDir();
    const result = await cli(['render', path.join(fixturesRoot, 'valid', 'multi-project')], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote ${path.join('.pilot', 'render')}`);
    expect(result.stdout).toContain(`into ${path.join('.pilot', 'render')}\n`);
    expect((await readdir(path.join(cwd, '.pilot', 'render'))).length).toBeGreaterThan(1);
  });

  it('prints {files:[{project,app,path}]} with --format json', async () => {
    const out = await tempDir();
    const result = await cli(['render', path.join(fixturesRoot, 'valid', 'aws-static'), '--out', out, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ files: [{ project: 'acme-site', app: 'web', path: path.join(out, 'acme-site', 'web', 'waypoint.hcl') }] });
  });

  it('prints the problems of invalid manifests, exits 1 and writes nothing', async () => {
    const out = path.join(await tempDir(), 'out');
    const result = await cli(['render', path.join(fixturesRoot, 'invalid', 'ecs-on-gcp'), '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("pilot.yaml:16:17: apps[0].deploy.platform: ");
    expect(result.stdout).toContain('nothing written');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 1 without writing when there are no manifests, and 2 on a bad --format', async () => {
    const dir = await tempDir();
    const empty = await cli(['render', dir, '--out', path.join(dir, 'out')]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no manifests');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    expect((await cli(['render', dir, '--format', 'yaml'])).code).toBe(2);
  });

  it('has help with options, exit codes and an example', async () => {
    const result = await cli(['render', '--help']);
    expect(result.code).toBe(0);
    for (const part of ['--out', '--format', 'Exit codes', 'Example']) expect(result.stdout).toContain(part);
  });
});
