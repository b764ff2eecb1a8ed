// What Waypoint v0.11.4's builtin plugins accept, as the runner learns when it loads
// them: the components each implements, the type each takes and makes, the mappers that
// connect types, and each config block's arguments (the `hcl:"..."` tags of its Config
// struct; a tag without `optional` is required). Facts from builtin/<plugin>/, see
// ../shared/waypoint/runner-facts.md.

export type Component = 'builder' | 'registry' | 'platform' | 'releasemanager';

/** The arguments and nested blocks a config body may hold. */
export interface Schema {
  required?: readonly string[];
  optional?: readonly string[];
  blocks?: Readonly<Record<string, Schema>>;
}

interface PluginComponent {
  /** The type the component takes from the stage before (argmapper input). */
  takes?: string;
  /** The type it makes. */
  makes?: string;
  schema: Schema;
}

export interface Plugin {
  components: Partial<Record<Component, PluginComponent>>;
  /** The platform's own releaser, used when the app has no `release` block (DefaultReleaserFunc). */
  defaultReleaser?: boolean;
}

const none: Schema = {};

/** builtin/docker/auth fields, shared by the docker builder and registry. */
const dockerAuth: Schema = { optional: ['hostname', 'username', 'password', 'email', 'auth', 'serverAddress', 'identityToken', 'registryToken'] };

export const builtinPlugins: Readonly<Record<string, Plugin>> = {
  // builtin/docker/builder.go BuilderConfig, registry.go Config (main.go: builder, registry, platform)
  docker: {
    components: {
      builder: {
        makes: 'docker.Image',
        schema: { optional: ['disable_entrypoint', 'buildkit', 'dockerfile', 'platform', 'build_args', 'context', 'target', 'no_cache'], blocks: { auth: dockerAuth } },
      },
      registry: {
        takes: 'docker.Image', makes: 'docker.Image',
        schema: { required: ['image', 'tag'], optional: ['local', 'encoded_auth', 'insecure', 'username', 'password'], blocks: { auth: dockerAuth } },
      },
      // builtin/docker/platform.go PlatformConfig, ClientConfig: containers on the runner's Docker; no releaser.
      platform: {
        takes: 'docker.Image',
        schema: {
          optional: ['binds', 'command', 'force_pull', 'labels', 'networks', 'resources', 'scratch_path', 'static_environment', 'extra_ports', 'service_port'],
          blocks: { auth: dockerAuth, client_config: { optional: ['host', 'cert_path', 'api_version'] } },
        },
      },
    },
  },
  // builtin/pack/builder.go BuilderConfig
  pack: {
    components: {
      builder: { makes: 'pack.DockerImage', schema: { optional: ['disable_entrypoint', 'builder', 'buildpacks', 'static_environment', 'ignore', 'process_type'] } },
    },
  },
  // builtin/files: a builder (and registry) of files.Files, with no mappers at all.
  files: { components: { builder: { makes: 'files.Files', schema: none }, registry: { takes: 'files.Files', makes: 'files.Files', schema: none } } },
  // builtin/aws/ecr/registry.go Config
  'aws-ecr': { components: { registry: { takes: 'docker.Image', makes: 'ecr.Image', schema: { required: ['tag'], optional: ['region', 'repository'] } } } },
  // builtin/aws/ecs/platform.go Config, ALBConfig, AppHealthCheck; no release manager (main.go 13)
  'aws-ecs': {
    defaultReleaser: true,
    components: {
      platform: {
        takes: 'docker.Image',
        schema: {
          required: ['region', 'memory'],
          optional: [
            'log_group', 'cluster', 'execution_role_name', 'task_role_policy_arns', 'task_role_name', 'subnets', 'security_group_ids', 'count',
            'memory_reservation', 'cpu', 'architecture', 'static_environment', 'secrets', 'assign_public_ip', 'service_port', 'ec2_cluster',
            'disable_alb', 'target_group_protocol', 'target_group_protocol_version',
          ],
          blocks: {
            alb: { optional: ['certificate', 'zone_id', 'domain_name', 'load_balancer_arn', 'internal', 'ingress_port', 'subnets', 'security_group_ids'] },
            health_check: { optional: ['protocol', 'path', 'timeout', 'interval', 'healthy_threshold_count', 'unhealthy_threshold_count', 'grpc_code', 'http_code'] },
            logging: { optional: ['create_group', 'stream_prefix', 'datetime_format', 'multiline_pattern', 'mode', 'max_buffer_size'] },
          },
        },
      },
    },
  },
  // builtin/aws/lambda/platform.go Config: deploys an ecr.Image, so it needs the aws-ecr registry.
  'aws-lambda': {
    components: { platform: { takes: 'ecr.Image', schema: { required: ['region'], optional: ['iam_role', 'memory', 'timeout', 'architecture', 'storagemb', 'static_environment'] } } },
  },
  // builtin/aws/lambda/function_url/releaser.go ReleaserConfig
  'lambda-function-url': {
    components: { releasemanager: { schema: { optional: ['auth_type', 'principal'], blocks: { cors: { optional: ['allow_credentials', 'allow_headers', 'allow_methods', 'allow_origins', 'expose_headers', 'max_age'] } } } } },
  },
  // builtin/google/cloudrun/platform.go Config, Capacity, AutoScaling, VPCAccess; releaser.go
  'google-cloud-run': {
    defaultReleaser: true,
    components: {
      platform: {
        takes: 'docker.Image',
        schema: {
          required: ['project', 'location'],
          optional: ['unauthenticated', 'port', 'static_environment', 'service_account_name', 'cloudsql_instances'],
          blocks: {
            capacity: { required: ['memory', 'cpu_count', 'request_timeout', 'max_requests_per_container'] },
            auto_scaling: { required: ['min', 'max'] },
            vpc_access: { optional: ['connector', 'egress'] },
          },
        },
      },
      releasemanager: { schema: none },
    },
  },
  // builtin/exec/platform.go PlatformConfig, ConfigTemplate; deploys an exec.Input
  exec: { components: { platform: { takes: 'exec.Input', schema: { optional: ['command', 'dir'], blocks: { template: { required: ['path'] } } } } } },
};

/** Mappers the loaded plugins register: from -> to (pack/mapper.go, aws/ecr/mapper.go, exec/mapper.go). */
const mappers: readonly (readonly [string, string])[] = [
  ['pack.DockerImage', 'docker.Image'],
  ['ecr.Image', 'docker.Image'],
  ['docker.Image', 'exec.Input'],
];

/** Whether argmapper can turn `from` into `to`, directly or through a chain of mappers. */
export function canMap(from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const type = queue.shift()!;
    if (type === to) return true;
    for (const [a, b] of mappers) if (a === type && !seen.has(b)) seen.add(b) && queue.push(b);
  }
  return false;
}

/** The SDK's names of components in "plugin does not implement: ..." (waypoint-plugin-sdk internal/plugin). */
export const componentNoun: Record<Component, string> = {
  builder: 'builder',
  registry: 'registry',
  platform: 'platform',
  releasemanager: 'release manager',
};
