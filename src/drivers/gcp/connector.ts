// The Serverless VPC Access connector through which Cloud Run apps reach the
// stack's databases on their private IPs.

import { createHash } from 'node:crypto';
import { VpcAccessConnector } from '@cdktf/provider-google/lib/vpc-access-connector/index.js';
import type { GcpStack } from './context.js';
import { connectorName } from './names.js';
import type { PrivateNetwork } from './network.js';

/**
 * A /28 for the connector. The stack's own network has nothing else in 10.8.0.0/16.
 * A reused network (the Pilot VM's) is shared by every project in the region, so
 * each project takes a /28 of 10.8.0.0/16 chosen by a hash of its name: stable, and
 * unlikely to meet another project's (1 in 4096 per pair).
 */
export function connectorRange(project: string, owned: boolean): string {
  if (owned) return '10.8.0.0/28';
  const slot = Number.parseInt(createHash('sha256').update(project).digest('hex').slice(0, 3), 16);
  return `10.8.${slot >> 4}.${(slot & 15) * 16}/28`;
}

export function vpcConnector(stack: GcpStack, network: PrivateNetwork): VpcAccessConnector {
  const { input } = stack;
  return new VpcAccessConnector(stack.scope, 'vpc-connector', {
    name: connectorName(input.project),
    region: input.region,
    network: network.name,
    ipCidrRange: connectorRange(input.project, network.owned),
    dependsOn: stack.services.need('compute', 'vpcaccess'),
  });
}
