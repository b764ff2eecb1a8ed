// The network a stack's databases live in: the one given in pilot.config.yaml (the
// Pilot VM's VPC), or a VPC of the stack's own with app and database subnets.

import { Fn, type TerraformStack } from 'cdktf';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet/index.js';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import type { StackInput } from '../contract.js';
import { projectTags } from './tags.js';

export interface Network {
  vpcId: string;
  /** What "inside the VPC" means for security group rules. */
  vpcCidr: string;
  appSubnetIds: string[];
  /** Where the apps and their load balancers live: the only sources the apps admit. */
  appSubnetCidrs: string[];
  databaseSubnetIds: string[];
}

const vpcCidr = '10.20.0.0/16';
/** RDS wants subnets in two availability zones, even for a single-AZ instance. */
const zoneCount = 2;

export function network(stack: TerraformStack, input: StackInput): Network {
  const given = input.settings.aws?.network;
  if (!given) return ownNetwork(stack, input.project);
  // Pilot does not own this VPC: it only reads its CIDR for the security group rules.
  const vpc = new DataAwsVpc(stack, 'network-vpc', { id: given.vpcId });
  const appSubnetCidrs = given.appSubnetIds.map((id, index) => new DataAwsSubnet(stack, `network-app-subnet-${index}`, { id }).cidrBlock);
  return { vpcId: given.vpcId, vpcCidr: vpc.cidrBlock, appSubnetIds: [...given.appSubnetIds], appSubnetCidrs, databaseSubnetIds: [...given.databaseSubnetIds] };
}

function ownNetwork(stack: TerraformStack, project: string): Network {
  const name = `pilot-${project}`;
  // Zones that need no opt-in: Local and Wavelength Zones cannot hold RDS subnets.
  const zones = new DataAwsAvailabilityZones(stack, 'network-zones', {
    state: 'available',
    filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
  });
  const zone = (index: number) => Fn.element(zones.names, index);
  const vpc = new Vpc(stack, 'network-vpc', {
    cidrBlock: vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: projectTags(project, name),
  });
  const gateway = new InternetGateway(stack, 'network-gateway', { vpcId: vpc.id, tags: projectTags(project, name) });
  const publicRoutes = new RouteTable(stack, 'network-public-routes', { vpcId: vpc.id, tags: projectTags(project, `${name}-public`) });
  new Route(stack, 'network-internet-route', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: gateway.id });

  const appSubnetIds: string[] = [];
  const appSubnetCidrs: string[] = [];
  const databaseSubnetIds: string[] = [];
  for (let index = 0; index < zoneCount; index++) {
    // App subnets are public (own IP, route to the internet gateway) so ECS tasks can
    // pull images from ECR without a NAT gateway, which would cost more than a small
    // database; the apps' load balancers live here too. The app security group admits
    // only these subnets, on the apps' ports.
    const cidrBlock = `10.20.${index}.0/24`;
    appSubnetCidrs.push(cidrBlock);
    const app = new Subnet(stack, `network-app-subnet-${index}`, {
      vpcId: vpc.id, availabilityZone: zone(index), cidrBlock, mapPublicIpOnLaunch: true,
      tags: projectTags(project, `${name}-app-${index}`),
    });
    new RouteTableAssociation(stack, `network-app-subnet-${index}-routes`, { subnetId: app.id, routeTableId: publicRoutes.id });
    appSubnetIds.push(app.id);

    // Database subnets keep the VPC's main route table: no route out of the VPC.
    const database = new Subnet(stack, `network-db-subnet-${index}`, {
      vpcId: vpc.id, availabilityZone: zone(index), cidrBlock: `10.20.${10 + index}.0/24`,
      tags: projectTags(project, `${name}-db-${index}`),
    });
    databaseSubnetIds.push(database.id);
  }
  return { vpcId: vpc.id, vpcCidr: vpc.cidrBlock, appSubnetIds, appSubnetCidrs, databaseSubnetIds };
}
