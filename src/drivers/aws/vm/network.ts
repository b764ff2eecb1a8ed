// The VM's own VPC: one public subnet for the VM and, when the project stacks are to
// share it (--share-database-network), two public app subnets and two private
// database subnets in two zones, the shape settings' clouds.aws.network expects.

import { Fn, type TerraformStack } from 'cdktf';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';
import { nameTag } from './names.js';

export interface VmNetwork {
  vpcId: string;
  /** Where the VM is. */
  vmSubnetId: string;
  /** Set only with shareDatabaseNetwork: what the project stacks are given. */
  shared?: { appSubnetIds: string[]; databaseSubnetIds: string[] };
}

/**
 * 10.40/16 stays clear of the 10.20/16 that a project stack gives its own VPC, so the
 * two can be peered later; the VM gets a /24 of its own, apart from the apps, so the
 * app security groups (which admit the app subnets) do not admit the VM.
 */
const vpcCidr = '10.40.0.0/16';
const vmSubnetCidr = '10.40.0.0/24';
/** ALBs and RDS subnet groups both want two availability zones. */
const zoneCount = 2;

export function vmNetwork(stack: TerraformStack, options: BootstrapOptions): VmNetwork {
  const zones = new DataAwsAvailabilityZones(stack, 'zones', {
    state: 'available',
    filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
  });
  const zone = (index: number) => Fn.element(zones.names, index);
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: nameTag(options) });
  const gateway = new InternetGateway(stack, 'gateway', { vpcId: vpc.id, tags: nameTag(options) });
  const publicRoutes = new RouteTable(stack, 'public-routes', { vpcId: vpc.id, tags: nameTag(options, 'public') });
  new Route(stack, 'internet-route', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: gateway.id });

  // No map_public_ip_on_launch: the VM's public address is its Elastic IP.
  const vmSubnet = new Subnet(stack, 'vm-subnet', { vpcId: vpc.id, availabilityZone: zone(0), cidrBlock: vmSubnetCidr, tags: nameTag(options, 'public') });
  new RouteTableAssociation(stack, 'vm-subnet-routes', { subnetId: vmSubnet.id, routeTableId: publicRoutes.id });
  if (!options.shareDatabaseNetwork) return { vpcId: vpc.id, vmSubnetId: vmSubnet.id };

  const appSubnetIds: string[] = [];
  const databaseSubnetIds: string[] = [];
  for (let index = 0; index < zoneCount; index++) {
    // Public, as a project stack's own app subnets are: ECS tasks pull from ECR
    // without a NAT gateway, and the apps' load balancers live here.
    const app = new Subnet(stack, `app-subnet-${index}`, {
      vpcId: vpc.id, availabilityZone: zone(index), cidrBlock: `10.40.${1 + index}.0/24`, mapPublicIpOnLaunch: true,
      tags: nameTag(options, 'app', String(index)),
    });
    new RouteTableAssociation(stack, `app-subnet-${index}-routes`, { subnetId: app.id, routeTableId: publicRoutes.id });
    appSubnetIds.push(app.id);
    // The VPC's main route table: no route out of the VPC.
    const database = new Subnet(stack, `db-subnet-${index}`, {
      vpcId: vpc.id, availabilityZone: zone(index), cidrBlock: `10.40.${11 + index}.0/24`, tags: nameTag(options, 'db', String(index)),
    });
    databaseSubnetIds.push(database.id);
  }
  return { vpcId: vpc.id, vmSubnetId: vmSubnet.id, shared: { appSubnetIds, databaseSubnetIds } };
}
