// What a bootstrap will make, in a few lines a person reads before saying yes: where,
// which ports are open to whom, which identity, which bucket. From the options and the
// synthesized stack, never from a cloud.

import { resourcesOf, type TerraformJson } from '../drivers/contract.js';
import { builtRunnerImage, vmPorts, type BootstrapOptions } from './options.js';

export interface BootstrapSummary {
  cloud: string;
  region: string;
  zone?: string;
  gcpProject?: string;
  machineType: string;
  diskGb: number;
  /** Port -> who may reach it. */
  ingress: { port: number; what: string; from: string }[];
  stateBucket: string;
  repo: string;
  branch: string;
  publicUrl: string;
  /** What the VM installs, and where its Waypoint image comes from. */
  pilotPackage: string;
  runnerImage: string;
  /** Resource type -> how many. */
  resources: Record<string, number>;
  userDataBytes: number;
}

export function summarize(options: BootstrapOptions, config: TerraformJson, userData: string): BootstrapSummary {
  const resources: Record<string, number> = {};
  for (const [type, byName] of Object.entries(resourcesOf(config))) resources[type] = Object.keys(byName).length;
  const ingress: BootstrapSummary['ingress'] = [{ port: vmPorts.https, what: 'webhooks and the status page, over TLS', from: 'anywhere' }];
  if (options.adminCidr) {
    ingress.push({ port: vmPorts.waypointGrpc, what: "Waypoint's API", from: options.adminCidr }, { port: vmPorts.waypointUi, what: "Waypoint's UI", from: options.adminCidr });
  }
  if (options.sshCidr) ingress.push({ port: vmPorts.ssh, what: 'SSH', from: options.sshCidr });
  return {
    cloud: options.cloud,
    region: options.region,
    ...(options.zone ? { zone: options.zone } : {}),
    ...(options.gcpProject ? { gcpProject: options.gcpProject } : {}),
    machineType: options.machineType,
    diskGb: options.diskGb,
    ingress,
    stateBucket: options.stateBucket,
    repo: options.repo,
    branch: options.branch,
    publicUrl: options.domain ? `https://${options.domain}` : 'https://<the VM address> (self-signed certificate)',
    pilotPackage: options.pilotBundle ? `${options.pilotBundle.file} (this Pilot, packed; sha256 ${options.pilotBundle.sha256.slice(0, 12)}..., uploaded to the state bucket)` : options.pilotPackage,
    runnerImage: options.runnerImage === builtRunnerImage ? 'built on the VM from runner-image/ at first boot' : options.runnerImage,
    resources,
    userDataBytes: Buffer.byteLength(userData),
  };
}

export function summaryLines(summary: BootstrapSummary): string[] {
  const where = [summary.cloud, summary.gcpProject, summary.zone ?? summary.region].filter(Boolean).join(' ');
  const count = Object.values(summary.resources).reduce((a, b) => a + b, 0);
  return [
    `Pilot VM on ${where}: ${summary.machineType}, ${summary.diskGb} GB disk`,
    `  reconciles ${summary.repo} (${summary.branch}); public address ${summary.publicUrl}`,
    ...summary.ingress.map((rule) => `  port ${rule.port} (${rule.what}) open to ${rule.from}`),
    ...(summary.ingress.some((rule) => rule.port === vmPorts.waypointGrpc) ? [] : ["  Waypoint's ports 9701/9702 closed (give --admin-cidr to reach them)"]),
    ...(summary.ingress.some((rule) => rule.port === vmPorts.ssh) ? [] : ['  no SSH (give --ssh-cidr to open port 22)']),
    `  state bucket for the project stacks: ${summary.stateBucket}`,
    `  installs ${summary.pilotPackage}`,
    `  Waypoint image: ${summary.runnerImage}`,
    `  ${count} resources: ${Object.entries(summary.resources).map(([type, n]) => `${n} ${type}`).join(', ')}`,
  ];
}
