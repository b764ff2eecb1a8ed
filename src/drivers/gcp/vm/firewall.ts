// Firewall rules of the VM's network: HTTPS from anywhere, Waypoint from --admin-cidr,
// SSH from --ssh-cidr only when given. A VPC network denies all other ingress by
// itself; there is no rule for Docker's 2375 (how the original Pilot was broken into).

import type { TerraformStack } from 'cdktf';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall/index.js';
import { vmPorts, type BootstrapOptions } from '../../../bootstrap/options.js';
import { networkTag, vmName } from './names.js';

interface Ingress {
  id: string;
  ports: number[];
  sources: string[];
  description: string;
}

export function ingressRules(options: BootstrapOptions): Ingress[] {
  const rules: Ingress[] = [
    { id: 'https', ports: [vmPorts.https], sources: ['0.0.0.0/0'], description: 'Pilot daemon over TLS (webhooks, status page)' },
  ];
  // Without --admin-cidr Waypoint's ports stay closed (reach them through IAP or SSH).
  if (options.adminCidr !== undefined) {
    rules.push({ id: 'waypoint', ports: [vmPorts.waypointGrpc, vmPorts.waypointUi], sources: [options.adminCidr], description: 'Waypoint gRPC API and UI from the admin network' });
  }
  if (options.sshCidr !== undefined) rules.push({ id: 'ssh', ports: [vmPorts.ssh], sources: [options.sshCidr], description: 'SSH from the operator network' });
  return rules;
}

export function vmFirewall(scope: TerraformStack, options: BootstrapOptions, networkId: string): void {
  for (const rule of ingressRules(options)) {
    new ComputeFirewall(scope, `firewall-${rule.id}`, {
      name: vmName(options, rule.id),
      network: networkId,
      description: rule.description,
      direction: 'INGRESS',
      allow: [{ protocol: 'tcp', ports: rule.ports.map(String) }],
      sourceRanges: rule.sources,
      targetTags: [networkTag(options)],
    });
  }
}
