// `pilot bootstrap` flags -> BootstrapOptions, or every problem at once, each naming its
// flag and saying what to do. Nothing is asked of a cloud here: a dry run must work
// offline, and a value refused here never reaches a file.

import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { builtInProviders, type ProviderRegistry } from '../drivers/registry.js';
import { hostname, patterns, repoProblem, shownRepo } from './check-options.js';
import { builtRunnerImage, defaults, type BootstrapCloud, type BootstrapOptions } from './options.js';

/** What the command read from its flags; every field as typed, unchecked. */
export interface BootstrapInput {
  cloud?: string;
  region?: string;
  zone?: string;
  gcpProject?: string;
  machineType?: string;
  diskGb?: number;
  adminCidr?: string;
  sshCidr?: string;
  domain?: string;
  repo?: string;
  branch?: string;
  name?: string;
  stateBucket?: string;
  shareDatabaseNetwork?: boolean;
  runnerImage?: string;
  pilotPackage?: string;
}

/** `bundle`: no --pilot-package, so the caller packs this Pilot (bundle.ts) for the VM. */
export type Resolved = { options: BootstrapOptions; bundle: boolean; problems: [] } | { options?: undefined; problems: string[] };

const clouds: readonly BootstrapCloud[] = ['aws', 'gcp'];

/** An IPv4 network (what the VM stacks' firewall rules take), narrower than the whole internet. */
export function cidrProblem(flag: string, value: string): string | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(value);
  const address = match?.[1] ?? '';
  const bits = Number(match?.[2]);
  if (match && isIPv6(address)) return `${flag} ${value} is an IPv6 network: the VM's firewall rules take IPv4 networks only (203.0.113.7/32)`;
  if (!match || !isIPv4(address) || bits > 32) {
    return `${flag} ${JSON.stringify(value)} is not a network in CIDR form: write it as 203.0.113.7/32 (one address) or 203.0.113.0/24`;
  }
  if (bits === 0) return `${flag} ${value} is the whole internet: give your office's or VPN's network (your own address is \`curl -s https://checkip.amazonaws.com\`/32)`;
  return undefined;
}

/** Short enough for every cloud's names built from it (a GCP service account id has 30 characters). */
const resourceName = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
const machineType = /^[a-z0-9][a-z0-9.-]{1,40}$/;

function repoFlagProblem(repo: string | undefined): string | undefined {
  if (!repo) return '--repo URL is required: the manifest repository the daemon reconciles, e.g. --repo https://github.com/acme/infra';
  const problem = repoProblem(repo);
  return problem ? `--repo ${shownRepo(repo)} ${problem}` : undefined;
}

/** The default state bucket: bucket names are global, so the name carries a hash of what makes this installation. */
export function defaultStateBucket(name: string, cloud: string, region: string, gcpProject: string | undefined, repo: string): string {
  const hash = createHash('sha256').update([cloud, region, gcpProject ?? '', repo].join('\n')).digest('hex').slice(0, 10);
  return `${name}-tfstate-${hash}`;
}

export function resolveBootstrapOptions(input: BootstrapInput, version: string, providers: ProviderRegistry = builtInProviders): Resolved {
  const problems: string[] = [];
  const need = (problem: string | undefined) => {
    if (problem) problems.push(problem);
  };
  const cloud = input.cloud as BootstrapCloud;
  if (!clouds.includes(cloud)) {
    return { problems: [`the cloud is ${input.cloud === undefined ? 'missing' : JSON.stringify(input.cloud)}: run pilot bootstrap aws or pilot bootstrap gcp`] };
  }
  const facts = providers.find(cloud)!;
  const region = input.region ?? facts.regions.default;
  if (!facts.regions.pattern.test(region)) need(`--region ${JSON.stringify(region)} is not ${facts.regions.label} (e.g. ${facts.regions.example})`);
  const name = input.name ?? defaults.name;
  if (!resourceName.test(name)) need(`--name ${JSON.stringify(name)} must be 2 to 20 lower-case letters, digits and dashes, starting with a letter`);
  if (cloud === 'gcp') {
    if (!input.gcpProject) need('--gcp-project is required on gcp: the id of the GCP project the VM is created in');
    else if (!patterns.gcpProject.test(input.gcpProject)) need(`--gcp-project ${JSON.stringify(input.gcpProject)} is not a GCP project id (6 to 30 lower-case letters, digits and dashes)`);
    if (input.zone !== undefined && !input.zone.startsWith(`${region}-`)) need(`--zone ${JSON.stringify(input.zone)} is not in --region ${region}: give one such as ${region}-a`);
  } else {
    if (input.gcpProject !== undefined) need('--gcp-project is for gcp only');
    if (input.zone !== undefined) need('--zone is for gcp only: on aws the subnet picks the availability zone');
  }
  const machine = input.machineType ?? defaults.machineType[cloud];
  if (!machineType.test(machine)) need(`--machine-type ${JSON.stringify(machine)} is not a machine type (e.g. ${defaults.machineType[cloud]})`);
  const diskGb = input.diskGb ?? defaults.diskGb;
  if (!Number.isInteger(diskGb) || diskGb < 20 || diskGb > 2000) need(`--disk-gb ${diskGb} must be a whole number from 20 to 2000: Docker images and Terraform's providers need room`);
  if (input.adminCidr !== undefined) need(cidrProblem('--admin-cidr', input.adminCidr));
  if (input.sshCidr !== undefined) need(cidrProblem('--ssh-cidr', input.sshCidr));
  if (input.domain !== undefined && !hostname.test(input.domain)) need(`--domain ${JSON.stringify(input.domain)} is not a DNS name such as pilot.acme.com`);
  need(repoFlagProblem(input.repo));
  const branch = input.branch ?? defaults.branch;
  if (!patterns.branch.test(branch)) need(`--branch ${JSON.stringify(branch)} is not a branch name`);
  const stateBucket = input.stateBucket ?? defaultStateBucket(name, cloud, region, input.gcpProject, input.repo ?? '');
  if (!patterns.stateBucket.test(stateBucket) || stateBucket.includes('..')) need(`--state-bucket ${JSON.stringify(stateBucket)} is not a bucket name: 3 to 63 lower-case letters, digits and dashes`);
  if (input.runnerImage !== undefined && !patterns.runnerImage.test(input.runnerImage)) need(`--runner-image ${JSON.stringify(input.runnerImage)} is not pinned by digest: give registry/name@sha256:<64 hex> (runner-image/build.sh prints it)`);
  if (input.pilotPackage !== undefined && !patterns.pilotPackage.test(input.pilotPackage)) need(`--pilot-package ${JSON.stringify(input.pilotPackage)} is not an npm package spec or a tarball URL`);
  if (problems.length > 0) return { problems };
  const options: BootstrapOptions = {
    cloud,
    name,
    region,
    ...(cloud === 'gcp' ? { zone: input.zone ?? `${region}-a`, gcpProject: input.gcpProject! } : {}),
    machineType: machine,
    diskGb,
    ...(input.adminCidr !== undefined ? { adminCidr: input.adminCidr } : {}),
    ...(input.sshCidr !== undefined ? { sshCidr: input.sshCidr } : {}),
    ...(input.domain !== undefined ? { domain: input.domain } : {}),
    repo: input.repo!,
    branch,
    stateBucket,
    shareDatabaseNetwork: input.shareDatabaseNetwork ?? false,
    // Without one, the VM builds the image from the installed package's runner-image/.
    runnerImage: input.runnerImage ?? builtRunnerImage,
    // Without one, this Pilot is packed and the stack uploads it (the caller fills pilotBundle).
    pilotPackage: input.pilotPackage ?? `pilot-${version}.tgz`,
  };
  return { options, bundle: input.pilotPackage === undefined, problems: [] };
}
