// The pure parts of the terraform executor: show-json into changes (masking secrets at
// any depth), backend blocks, the CLI config text, and reading terraform's diagnostics.

import { describe, expect, it } from 'vitest';
import { backendBlock, cliConfigText, planChanges, withBackend } from '../src/drivers/terraform/index.js';
import { terraformEnv } from '../src/drivers/terraform/env.js';
import { summaryLines, unavailableProviders } from '../src/drivers/terraform/errors.js';
import { parseTextDiagnostics } from '../src/drivers/terraform/text-diagnostics.js';
import { parseUiLine } from '../src/drivers/terraform/ui-lines.js';
import { isPilotError } from '../src/reconciler/errors.js';

const secret = 's3cr3t-value';

function resource(address: string, actions: string[], change: Record<string, unknown>) {
  const [type, name] = address.split('.');
  return { address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', change: { actions, before: null, after: null, after_unknown: {}, before_sensitive: false, after_sensitive: false, ...change } };
}

describe('planChanges', () => {
  it('turns actions into create, update, delete and replace, and leaves out no-op and read', () => {
    const doc = {
      resource_changes: [
        resource('aws_s3_bucket.new', ['create'], { after: { bucket: 'b', tags: null }, after_unknown: { arn: true }, after_sensitive: {} }),
        resource('aws_s3_bucket.same', ['no-op'], { before: { bucket: 'b' }, after: { bucket: 'b' } }),
        { ...resource('aws_region.current', ['read'], { after: { name: 'x' } }), mode: 'data' },
        resource('aws_db_instance.main', ['update'], {
          before: { instance_class: 'db.t3.micro', allocated_storage: 20, tags: { a: '1' } },
          after: { instance_class: 'db.t3.small', allocated_storage: 20, tags: { a: '1' } },
          before_sensitive: {},
          after_sensitive: {},
        }),
        resource('aws_instance.old', ['delete'], { before: { ami: 'ami-1', id: 'i-1' }, before_sensitive: {} }),
        resource('aws_instance.web', ['delete', 'create'], {
          before: { ami: 'ami-1', tags: { Name: 'a' }, list: ['p'] },
          after: { ami: 'ami-2', tags: { Name: 'b' }, list: ['q'] },
          before_sensitive: {},
          after_sensitive: {},
          after_unknown: { id: true },
          replace_paths: [['ami'], ['tags', 'Name'], ['list', 0]],
        }),
        resource('aws_instance.cbd', ['create', 'delete'], { before: { ami: 'ami-1' }, after: { ami: 'ami-2' }, before_sensitive: {}, after_sensitive: {}, replace_paths: [['ami']] }),
      ],
    };
    const { changes } = planChanges(doc);
    expect(changes.map((c) => [c.address, c.action, c.destructive])).toEqual([
      ['aws_s3_bucket.new', 'create', false],
      ['aws_db_instance.main', 'update', false],
      ['aws_instance.old', 'delete', true],
      ['aws_instance.web', 'replace', true],
      ['aws_instance.cbd', 'replace', true],
    ]);
    expect(changes[0]).toEqual({
      address: 'aws_s3_bucket.new',
      type: 'aws_s3_bucket',
      name: 'new',
      action: 'create',
      destructive: false,
      attributes: [{ name: 'arn', after: '(known after apply)' }, { name: 'bucket', after: 'b' }],
    });
    expect(changes[1]!.attributes).toEqual([{ name: 'instance_class', before: 'db.t3.micro', after: 'db.t3.small' }]);
    expect(changes[2]!.attributes).toEqual([{ name: 'ami', before: 'ami-1' }, { name: 'id', before: 'i-1' }]);
    expect(changes[3]!.replaceBecause).toEqual(['ami', 'tags.Name', 'list.0']);
    expect(changes[3]!.attributes.map((a) => a.name)).toEqual(['ami', 'id', 'list', 'tags']);
    expect(changes[1]!.replaceBecause).toBeUndefined();
  });

  it('fills nested unknown values in and keeps the known parts', () => {
    const doc = {
      resource_changes: [
        resource('aws_lb.main', ['update'], {
          before: { listeners: [{ port: 80, arn: 'a1' }] },
          after: { listeners: [{ port: 80 }, { port: 443 }] },
          after_unknown: { listeners: [{ arn: true }, { arn: true }] },
          before_sensitive: {},
          after_sensitive: {},
        }),
      ],
    };
    expect(planChanges(doc).changes[0]!.attributes).toEqual([
      {
        name: 'listeners',
        before: [{ port: 80, arn: 'a1' }],
        after: [
          { port: 80, arn: '(known after apply)' },
          { port: 443, arn: '(known after apply)' },
        ],
      },
    ]);
  });

  const maskingCases: { name: string; change: Record<string, unknown>; extra?: Record<string, unknown> }[] = [
    {
      name: 'a sensitive map inside a list',
      change: {
        after: { settings: [{ auth: { password: secret }, port: 5432 }], name: 'db' },
        after_sensitive: { settings: [{ auth: { password: true } }] },
      },
    },
    {
      name: 'a whole object marked sensitive',
      change: { after: { name: secret, port: 1 }, after_sensitive: true },
    },
    {
      name: 'marks of an unexpected shape',
      change: { after: { name: secret }, after_sensitive: { name: 'yes' } },
    },
    {
      name: 'a secret terraform left unmarked in another attribute (terraform_data output)',
      change: {
        after: { input: { list: [{ pw: secret }] }, copy: `prefix-${secret}-suffix` },
        after_sensitive: { input: { list: [{ pw: true }] } },
      },
    },
    {
      name: 'a sensitive variable turning up unmarked',
      change: { after: { user_data: `export PW=${secret}` }, after_sensitive: {} },
      extra: { variables: { pw: { value: secret } }, configuration: { root_module: { variables: { pw: { sensitive: true } } } } },
    },
    {
      name: 'a value only the before side marks',
      change: { before: { token: secret }, after: { token: 'new' }, before_sensitive: { token: true }, after_sensitive: {} },
    },
  ];

  it.each(maskingCases)('masks $name', ({ change, extra }) => {
    const actions = 'before' in change ? ['update'] : ['create'];
    const doc = { ...extra, resource_changes: [resource('aws_db_instance.main', actions, change)] };
    const result = planChanges(doc);
    expect(result.changes).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(JSON.stringify(result)).toContain('(sensitive)');
  });

  it('masks values known to be secret from elsewhere', () => {
    const doc = { resource_changes: [resource('aws_ssm_parameter.p', ['create'], { after: { value: 'from-outputs-1234' }, after_sensitive: {} })] };
    expect(planChanges(doc, new Set(['from-outputs-1234'])).changes[0]!.attributes).toEqual([{ name: 'value', after: '(sensitive)' }]);
  });

  it('lists the outputs that change, by name only, sorted', () => {
    const doc = {
      output_changes: {
        zeta: { actions: ['create'], after: 'z' },
        same: { actions: ['no-op'], before: 1, after: 1 },
        alpha: { actions: ['update'], before: secret, after: 'b', before_sensitive: true },
        gone: { actions: ['delete'], before: 'x' },
      },
    };
    const result = planChanges(doc);
    expect(result).toEqual({ changes: [], outputChanges: ['alpha', 'gone', 'zeta'] });
  });

  it('reads a document without changes, or not a document at all, as empty', () => {
    expect(planChanges({ format_version: '1.2' })).toEqual({ changes: [], outputChanges: [] });
    expect(planChanges(null)).toEqual({ changes: [], outputChanges: [] });
    expect(planChanges({ resource_changes: 'nope', output_changes: [] })).toEqual({ changes: [], outputChanges: [] });
  });
});

describe('backend', () => {
  const config = { terraform: { required_version: '>= 1.5', backend: { local: { path: 'cdk.tfstate' } } }, resource: { terraform_data: { a: {} } } };

  it('writes a local backend with the state in the stack dir', () => {
    expect(withBackend(config, { kind: 'local' }, 'shop-aws')).toEqual({
      terraform: { required_version: '>= 1.5', backend: { local: { path: 'terraform.tfstate' } } },
      resource: { terraform_data: { a: {} } },
    });
  });

  it('writes an s3 backend with one key per stack, encrypted, locked by a table or by S3\'s own lock file', () => {
    expect(withBackend(config, { kind: 's3', bucket: 'state', region: 'eu-west-1', dynamodbTable: 'locks', keyPrefix: 'acme' }, 'shop-aws').terraform).toEqual({
      required_version: '>= 1.5',
      backend: { s3: { bucket: 'state', key: 'acme/shop-aws/terraform.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'locks' } },
    });
    expect(backendBlock({ kind: 's3', bucket: 'state', region: 'us-east-1' }, 'shop-aws')).toEqual({
      s3: { bucket: 'state', key: 'pilot/shop-aws/terraform.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true },
    });
  });

  it('points an s3 backend at an S3-compatible server without asking AWS STS about the caller', () => {
    expect(backendBlock({ kind: 's3', bucket: 'state', region: 'auto', endpoint: 'https://minio.internal:9000', usePathStyle: true }, 'shop-aws')).toEqual({
      s3: {
        bucket: 'state', key: 'pilot/shop-aws/terraform.tfstate', region: 'auto', encrypt: true, use_lockfile: true,
        endpoints: { s3: 'https://minio.internal:9000' }, use_path_style: true,
        skip_credentials_validation: true, skip_requesting_account_id: true, skip_region_validation: true,
      },
    });
    // Path-style alone is a plain AWS setting: nothing is skipped.
    expect(backendBlock({ kind: 's3', bucket: 'state', region: 'us-east-1', usePathStyle: true }, 'a')).toEqual({
      s3: { bucket: 'state', key: 'pilot/a/terraform.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true, use_path_style: true },
    });
  });

  it('writes a gcs backend with one prefix per stack', () => {
    expect(backendBlock({ kind: 'gcs', bucket: 'state' }, 'shop-gcp')).toEqual({ gcs: { bucket: 'state', prefix: 'pilot/shop-gcp' } });
    expect(backendBlock({ kind: 'gcs', bucket: 'state', prefix: 'acme/tf' }, 'shop-gcp')).toEqual({ gcs: { bucket: 'state', prefix: 'acme/tf/shop-gcp' } });
  });

  it('points a gcs backend at another Cloud Storage endpoint as the JSON API base terraform resolves paths against', () => {
    const endpoint = (given: string) => (backendBlock({ kind: 'gcs', bucket: 'state', endpoint: given }, 'shop-gcp').gcs as Record<string, unknown>).storage_custom_endpoint;
    expect(backendBlock({ kind: 'gcs', bucket: 'state', endpoint: 'https://storage-acme.p.googleapis.com/storage/v1/' }, 'shop-gcp')).toEqual({
      gcs: { bucket: 'state', prefix: 'pilot/shop-gcp', storage_custom_endpoint: 'https://storage-acme.p.googleapis.com/storage/v1/' },
    });
    // Without the final slash terraform would ask for /storage/b/<bucket>/o.
    expect(endpoint('https://storage-acme.p.googleapis.com/storage/v1')).toBe('https://storage-acme.p.googleapis.com/storage/v1/');
    expect(endpoint('http://gcs.internal:4443/custom/storage/v1')).toBe('http://gcs.internal:4443/custom/storage/v1/');
    // A bare host is given the API's path.
    expect(endpoint('https://storage-acme.p.googleapis.com')).toBe('https://storage-acme.p.googleapis.com/storage/v1/');
    expect(endpoint('http://127.0.0.1:4443/')).toBe('http://127.0.0.1:4443/storage/v1/');
  });

  it('adds a terraform block when there is none and leaves the input untouched', () => {
    const bare = { resource: {} };
    expect(withBackend(bare, { kind: 'local' }, 'a')).toEqual({ resource: {}, terraform: { backend: { local: { path: 'terraform.tfstate' } } } });
    expect(bare).toEqual({ resource: {} });
    const listed = withBackend({ terraform: [{ backend: { s3: {} } }, { required_version: '>= 1.5', backend: { gcs: {} } }] }, { kind: 'local' }, 'a');
    expect(listed.terraform).toEqual([{ backend: { local: { path: 'terraform.tfstate' } } }, { required_version: '>= 1.5' }]);
  });
});

describe('cliConfigText', () => {
  it('sets the plugin cache, and no provider_installation without a mirror', () => {
    expect(cliConfigText({ pluginCache: '/var/lib/pilot/terraform/plugin-cache' })).toBe(
      '# Written by Pilot; edits are overwritten.\ndisable_checkpoint = true\nplugin_cache_dir = "/var/lib/pilot/terraform/plugin-cache"\n',
    );
  });

  it('with a mirror, installs providers from it alone', () => {
    const text = cliConfigText({ pluginCache: '/c', mirror: '/opt/providers' });
    expect(text).toContain('provider_installation {\n  filesystem_mirror {\n    path = "/opt/providers"\n  }\n}\n');
    expect(text).not.toContain('direct');
  });

  it('quotes backslashes and quotes, and refuses what the file cannot hold', () => {
    expect(cliConfigText({ pluginCache: '/a "b"\\c' })).toContain('plugin_cache_dir = "/a \\"b\\"\\\\c"');
    for (const bad of ['relative/path', '/with/$HOME', '/new\nline']) {
      let error: unknown;
      try {
        cliConfigText({ pluginCache: '/c', mirror: bad });
      } catch (e) {
        error = e;
      }
      expect(isPilotError(error) && error.code).toBe('terraform.config');
    }
  });
});

describe('terraform diagnostics', () => {
  const initStderr = [
    '',
    'Error: Failed to query available provider packages',
    '',
    'Could not retrieve the list of available versions for provider',
    'hashicorp/aws: could not connect to registry.terraform.io: failed to request',
    'discovery document',
    '',
    'To see which modules are currently depending on hashicorp/aws, run:',
    '    terraform providers',
    '',
    'Warning: Something else',
    '',
    'Detail of the warning.',
  ].join('\n');

  it('reads stderr diagnostics with paragraphs joined', () => {
    const diagnostics = parseTextDiagnostics(initStderr);
    expect(diagnostics.map((d) => [d.severity, d.summary])).toEqual([
      ['error', 'Failed to query available provider packages'],
      ['warning', 'Something else'],
    ]);
    expect(diagnostics[0]!.detail.split('\n')[0]).toBe(
      'Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io: failed to request discovery document',
    );
    expect(unavailableProviders(diagnostics)).toEqual(['hashicorp/aws']);
  });

  it('names providers from a mirror failure and ignores other init errors', () => {
    const mirror = { severity: 'error' as const, summary: 'Failed to query available provider packages', detail: 'Could not retrieve the list of available versions for provider hashicorp/google: provider registry.terraform.io/hashicorp/google was not found in any of the search locations' };
    expect(unavailableProviders([mirror])).toEqual(['hashicorp/google']);
    expect(unavailableProviders([{ severity: 'error', summary: 'Invalid backend configuration', detail: '' }])).toBeUndefined();
  });

  it('keeps a few error lines, warnings left out', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ severity: 'error' as const, summary: `Problem ${i}`, detail: `first line ${i}\nsecond`, address: 'aws_s3_bucket.b' }));
    const lines = summaryLines([{ severity: 'warning', summary: 'Deprecated', detail: '' }, ...many]);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Error: Problem 0 (aws_s3_bucket.b): first line 0');
  });

  it('keeps the message of progress events and diagnostics from -json lines, nothing else', () => {
    expect(parseUiLine('{"@level":"info","@message":"terraform_data.a: Creating...","type":"apply_start","hook":{}}')).toEqual({ kind: 'progress', type: 'apply_start', message: 'terraform_data.a: Creating...' });
    expect(parseUiLine('{"@message":"Outputs: 1","type":"outputs","outputs":{"p":{"value":"v"}}}')).toBeUndefined();
    expect(parseUiLine('{"@message":"x: (local-exec): hello","type":"provision_progress"}')).toBeUndefined();
    expect(parseUiLine('Successfully configured the backend "local"!')).toBeUndefined();
    expect(parseUiLine('{"type":"diagnostic","diagnostic":{"severity":"error","summary":"Saved plan is stale","detail":"d"}}')).toEqual({
      kind: 'diagnostic',
      diagnostic: { severity: 'error', summary: 'Saved plan is stale', detail: 'd' },
    });
  });
});

describe('terraformEnv', () => {
  it('keeps the caller environment, drops what would change terraform behind our back, sets our own', () => {
    const env = terraformEnv(
      { PATH: '/bin', AWS_PROFILE: 'p', TF_TOKEN_app_terraform_io: 't', TF_CLI_ARGS: '-auto-approve', TF_CLI_ARGS_plan: '-lock=false', TF_LOG: 'trace', TF_CLI_CONFIG_FILE: '/root/.terraformrc', TF_INPUT: '1' },
      '/var/lib/pilot/terraform/terraformrc',
    );
    expect(env).toEqual({
      PATH: '/bin',
      AWS_PROFILE: 'p',
      TF_TOKEN_app_terraform_io: 't',
      TF_CLI_CONFIG_FILE: '/var/lib/pilot/terraform/terraformrc',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    });
  });
});
