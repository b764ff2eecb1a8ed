// Who may talk to the databases: apps in the app security group, on Postgres' port,
// and nobody from outside the VPC (the original Pilot opened 5432 to 0.0.0.0/0).

import type { TerraformStack } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import type { StackInput } from '../contract.js';
import { securityGroupName } from './names.js';
import type { Network } from './network.js';
import { projectTags } from './tags.js';

export const postgresPort = 5432;

export interface SecurityGroups {
  appGroupId: string;
  databaseGroupId: string;
}

/** The ports of the apps that join the app group (those that read a database), sorted. */
export function appPorts(input: StackInput): number[] {
  const ports = input.apps.filter((app) => app.databases.length > 0).map((app) => app.deploy.port);
  return [...new Set(ports.filter((port): port is number => port !== undefined))].sort((a, b) => a - b);
}

export function securityGroups(stack: TerraformStack, input: StackInput, net: Network): SecurityGroups {
  const { project } = input;
  const tags = projectTags(project);
  const appGroup = new SecurityGroup(stack, 'network-app-sg', {
    name: securityGroupName(project, 'app'), vpcId: net.vpcId,
    description: `Pilot apps of ${project} that use its databases`, tags: projectTags(project, securityGroupName(project, 'app')),
  });
  // Apps reach ECR, their APIs and the internet through the gateway: egress stays open.
  new VpcSecurityGroupEgressRule(stack, 'network-app-sg-egress', {
    securityGroupId: appGroup.id, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0', description: 'Outbound traffic of the apps', tags,
  });
  // Only the load balancers call the apps, on their own port. The aws-ecs plugin makes
  // each app's load balancer and its group (builtin/aws/ecs/platform.go 2136-2180) in the
  // app subnets it is given (alb.subnets), so those subnets are the one source admitted.
  for (const port of appPorts(input)) {
    net.appSubnetCidrs.forEach((cidr, index) => {
      new VpcSecurityGroupIngressRule(stack, `network-app-sg-ingress-${port}-${index}`, {
        securityGroupId: appGroup.id, ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: cidr,
        description: `App port ${port} from the load balancers in app subnet ${index}`, tags,
      });
    });
  }

  const databaseGroup = new SecurityGroup(stack, 'network-db-sg', {
    name: securityGroupName(project, 'db'), vpcId: net.vpcId,
    description: `Pilot databases of ${project}`, tags: projectTags(project, securityGroupName(project, 'db')),
  });
  new VpcSecurityGroupIngressRule(stack, 'network-db-sg-ingress', {
    securityGroupId: databaseGroup.id, ipProtocol: 'tcp', fromPort: postgresPort, toPort: postgresPort,
    referencedSecurityGroupId: appGroup.id, description: 'Postgres from the apps of the project', tags,
  });
  new VpcSecurityGroupEgressRule(stack, 'network-db-sg-egress', {
    securityGroupId: databaseGroup.id, ipProtocol: '-1', cidrIpv4: net.vpcCidr, description: 'Outbound only inside the VPC', tags,
  });
  return { appGroupId: appGroup.id, databaseGroupId: databaseGroup.id };
}
