// The VM's security group: HTTPS from anywhere, Waypoint from --admin-cidr, SSH from
// --ssh-cidr only when given, nothing else. The original Pilot's Docker API on 2375
// (how it was broken into) has no rule here and never will: the runner reaches
// Docker through the local socket.

import type { TerraformStack } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { vmPorts, type BootstrapOptions } from '../../../bootstrap/options.js';
import { nameTag, vmName } from './names.js';

interface Ingress {
  id: string;
  port: number;
  description: string;
  cidrIpv4?: string;
  cidrIpv6?: string;
}

export function ingressRules(options: BootstrapOptions): Ingress[] {
  const rules: Ingress[] = [
    // GitHub's webhooks come from many ranges that change: 443 is the one open port.
    { id: 'https', port: vmPorts.https, cidrIpv4: '0.0.0.0/0', description: 'Pilot daemon over TLS (webhooks, status page)' },
    // Only matters once the VPC gets IPv6; harmless until then.
    { id: 'https-v6', port: vmPorts.https, cidrIpv6: '::/0', description: 'Pilot daemon over TLS, IPv6' },
  ];
  // Without --admin-cidr Waypoint's ports stay closed (reach them over Session Manager).
  if (options.adminCidr !== undefined) {
    rules.push(
      { id: 'waypoint-grpc', port: vmPorts.waypointGrpc, cidrIpv4: options.adminCidr, description: 'Waypoint gRPC API from the admin network' },
      { id: 'waypoint-ui', port: vmPorts.waypointUi, cidrIpv4: options.adminCidr, description: 'Waypoint UI from the admin network' },
    );
  }
  if (options.sshCidr !== undefined) rules.push({ id: 'ssh', port: vmPorts.ssh, cidrIpv4: options.sshCidr, description: 'SSH from the operator network' });
  return rules;
}

export function vmFirewall(stack: TerraformStack, options: BootstrapOptions, vpcId: string): SecurityGroup {
  const group = new SecurityGroup(stack, 'security-group', {
    name: vmName(options), vpcId, description: `Pilot VM ${options.name}: HTTPS, Waypoint from the admin network`, tags: nameTag(options),
  });
  for (const rule of ingressRules(options)) {
    new VpcSecurityGroupIngressRule(stack, `ingress-${rule.id}`, {
      securityGroupId: group.id, ipProtocol: 'tcp', fromPort: rule.port, toPort: rule.port,
      ...(rule.cidrIpv4 ? { cidrIpv4: rule.cidrIpv4 } : {}), ...(rule.cidrIpv6 ? { cidrIpv6: rule.cidrIpv6 } : {}),
      description: rule.description, tags: nameTag(options, rule.id),
    });
  }
  // Egress stays open: apt, npm, container registries, GitHub and every cloud API.
  new VpcSecurityGroupEgressRule(stack, 'egress-all', {
    securityGroupId: group.id, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0', description: 'Outbound traffic of the VM', tags: nameTag(options, 'egress'),
  });
  new VpcSecurityGroupEgressRule(stack, 'egress-all-v6', {
    securityGroupId: group.id, ipProtocol: '-1', cidrIpv6: '::/0', description: 'Outbound traffic of the VM, IPv6', tags: nameTag(options, 'egress-v6'),
  });
  return group;
}
