// The VM's VPC network and its one subnet. With --share-database-network the project
// stacks reuse this network (settings' clouds.gcp.network) and add their own private
// services range and connector to it; 10.30/24 stays clear of the connectors' 10.8/16.

import type { TerraformStack } from 'cdktf';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network/index.js';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';
import { vmName } from './names.js';
import type { VmServices } from './services.js';

export interface VmNetwork {
  network: ComputeNetwork;
  subnet: ComputeSubnetwork;
}

export function vmNetwork(scope: TerraformStack, options: BootstrapOptions, services: VmServices): VmNetwork {
  // Custom mode: no subnet in every region of the world, only the VM's.
  const network = new ComputeNetwork(scope, 'vpc-network', { name: vmName(options), autoCreateSubnetworks: false, dependsOn: [services.compute] });
  const subnet = new ComputeSubnetwork(scope, 'subnet', {
    name: vmName(options), network: network.id, region: options.region, ipCidrRange: '10.30.0.0/24',
    // Google's APIs without going through the external address.
    privateIpGoogleAccess: true,
  });
  return { network, subnet };
}
