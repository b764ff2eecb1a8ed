// What `pilot bootstrap aws|gcp` is asked for, and the names its parts share: the VM
// stacks (src/drivers/aws/vm/, src/drivers/gcp/vm/), the cloud-init user-data
// (deploy/cloud-init/, rendered by user-data.ts) and the command (src/cli/commands/bootstrap.ts).
//
// Nothing secret is ever in these options or in what is rendered from them: the
// webhook secret is a random_password of the VM stack, kept in the cloud's secret
// store and read there by the VM's own identity at first boot; the Waypoint token is
// made on the VM by the daemon (BootstrapToken) and never leaves it.

export type BootstrapCloud = 'aws' | 'gcp';

export interface BootstrapOptions {
  cloud: BootstrapCloud;
  /** Prefix of every resource name and tag/label value ("pilot" unless --name). */
  name: string;
  /** AWS region (us-east-1) or GCP region (us-central1). */
  region: string;
  /** GCP only: the zone of the VM (default `${region}-a`). */
  zone?: string;
  /** GCP only: the project id everything is created in (required on gcp). */
  gcpProject?: string;
  /** t3.medium on aws, e2-medium on gcp, unless --machine-type. */
  machineType: string;
  /** Root disk size in GB (default 30). */
  diskGb: number;
  /** Where Waypoint's gRPC port (9701) and UI (9702) may be reached from; closed to all without it. */
  adminCidr?: string;
  /** Port 22 is opened to this CIDR only when given; otherwise no SSH ingress at all. */
  sshCidr?: string;
  /** The daemon's public name: a certificate is obtained for it; without it, a self-signed one. */
  domain?: string;
  /** The manifest repository (https or ssh URL without credentials) and its branch. */
  repo: string;
  branch: string;
  /** Name of the bucket created for the project stacks' remote Terraform state. */
  stateBucket: string;
  /** Create the VPC / network apps' databases share with the VM (default false: each project stack makes its own). */
  shareDatabaseNetwork: boolean;
  /**
   * The runner/server image (runner-image/), pinned by digest: registry/name@sha256:...;
   * or builtRunnerImage: built on the VM at first boot from the installed package's runner-image/.
   */
  runnerImage: string;
  /**
   * What `npm install --global` installs on the VM: an npm spec or a tarball URL; with
   * pilotBundle, the bundle's file name (the VM installs the copy it fetched).
   */
  pilotPackage: string;
  /**
   * The Pilot that runs `pilot bootstrap`, packed (`npm pack`): the VM stack uploads it
   * beside the project stacks' state, and the VM fetches it with its own identity and
   * checks its SHA-256 before installing it. The default, while Pilot is not published.
   */
  pilotBundle?: PilotBundle;
}

export interface PilotBundle {
  /** The tarball, relative to the folder Terraform runs in (the stack's, or --out). */
  file: string;
  /** Its key in the state bucket. */
  key: string;
  /** Hex SHA-256 of the tarball. */
  sha256: string;
}

/** The image name the VM builds from runner-image/ when no --runner-image is given. */
export const builtRunnerImage = 'pilot-runner:built-on-vm';

/** What a VM stack is synthesized from (CloudDriver.synthVm). */
export interface VmStackInput {
  options: BootstrapOptions;
  /** The rendered cloud-init user-data (user-data.ts): no secret is in it. */
  userData: string;
}

/** Terraform output names of both VM stacks, read by the command after apply. */
export const vmOutputs = {
  /** The VM's public IPv4 address. */
  publicIp: 'public_ip',
  /** aws: the instance id; gcp: the instance name. */
  instanceId: 'instance_id',
  /** The state bucket's name, for pilot.config.yaml's clouds.terraform.backend. */
  stateBucket: 'state_bucket',
  /** Sensitive: the generated webhook secret, printed once for GitHub's webhook settings. */
  webhookSecret: 'webhook_secret',
  /** aws: the Secrets Manager secret's ARN; gcp: the Secret Manager secret's id. */
  webhookSecretRef: 'webhook_secret_ref',
  /** The identity the VM runs as: aws the instance role's ARN, gcp the service account's email. */
  identity: 'vm_identity',
} as const;

/** Ports on the VM. 443 is the only one open to the internet. */
export const vmPorts = {
  /** TLS in front of the daemon (webhooks from GitHub, the status page with its token). */
  https: 443,
  /** Waypoint's gRPC API, from --admin-cidr only. */
  waypointGrpc: 9701,
  /** Waypoint's UI and HTTP API, from --admin-cidr only. */
  waypointUi: 9702,
  ssh: 22,
  /** The daemon itself, on loopback behind the TLS proxy. */
  daemon: 7900,
} as const;

/** Paths on the VM (cloud-init writes them; the systemd unit and the daemon read them). */
export const vmPaths = {
  /** The daemon's configuration, rendered by user-data.ts. */
  config: '/etc/pilot/pilot.config.yaml',
  /** 0600, owner pilot: fetched from the cloud's secret store at first boot. */
  webhookSecret: '/etc/pilot/webhook-secret',
  /** 0600, owner pilot: written by the daemon after BootstrapToken. */
  waypointToken: '/var/lib/pilot/waypoint-token',
  stateDir: '/var/lib/pilot',
  /** Where the Pilot package is installed (npm install -g --prefix). */
  install: '/opt/pilot',
} as const;

export const defaults = {
  name: 'pilot',
  branch: 'main',
  diskGb: 30,
  machineType: { aws: 't3.medium', gcp: 'e2-medium' },
} as const;
