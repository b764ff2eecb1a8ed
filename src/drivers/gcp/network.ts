// The private network databases live on: the stack's own VPC (or the Pilot VM's,
// when pilot.config.yaml names one) with private services access, so Cloud SQL gets
// a private IP and no public one.

import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network/index.js';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection/index.js';
import type { GcpStack } from './context.js';
import { projectLabels } from './labels.js';
import { computeName } from './names.js';

export interface PrivateNetwork {
  /** `projects/<p>/global/networks/<name>`: what Cloud SQL and Service Networking take. */
  id: string;
  /** The bare name: what the VPC Access connector takes. */
  name: string;
  /** True when this stack created the network, and so owns its address plan. */
  owned: boolean;
  /** The reserved range Cloud SQL instances take their private IPs from. */
  rangeName: string;
  connection: ServiceNetworkingConnection;
}

/**
 * In a network the stack owns, the peering range is pinned away from the connector's
 * 10.8.0.0/28, so the two can never overlap. In a reused network Pilot does not know
 * the subnets, so Google picks a free /16.
 */
const ownedPeeringRange = '10.16.0.0';

/** A network from the settings, given as a name or as a (self) link. */
export function reusedNetwork(setting: string, gcpProject: string): { id: string; name: string } {
  const name = setting.split('/').pop() ?? '';
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new Error(`settings gcp.network "${setting}" is not a VPC network name or link`);
  const at = setting.indexOf('projects/');
  return { id: at >= 0 ? setting.slice(at) : `projects/${gcpProject}/global/networks/${name}`, name };
}

export function privateNetwork(stack: GcpStack): PrivateNetwork {
  const { scope, input, services } = stack;
  const setting = input.settings.gcp?.network;
  let network: { id: string; name: string };
  if (setting) {
    network = reusedNetwork(setting, stack.gcpProject);
  } else {
    // Custom mode: no subnet in every region of the world, only what Pilot adds.
    const created = new ComputeNetwork(scope, 'network', {
      name: computeName([input.project, input.region]),
      autoCreateSubnetworks: false,
      dependsOn: services.need('compute'),
    });
    network = { id: created.id, name: created.name };
  }
  const range = new ComputeGlobalAddress(scope, 'private-services-range', {
    name: computeName([input.project, input.region, 'psa']),
    purpose: 'VPC_PEERING',
    addressType: 'INTERNAL',
    prefixLength: 16,
    ...(setting ? {} : { address: ownedPeeringRange }),
    network: network.id,
    labels: projectLabels(input.project),
    dependsOn: services.need('compute'),
  });
  const connection = new ServiceNetworkingConnection(scope, 'private-services-connection', {
    network: network.id,
    service: 'servicenetworking.googleapis.com',
    reservedPeeringRanges: [range.name],
    dependsOn: services.need('servicenetworking'),
  });
  return { ...network, owned: !setting, rangeName: range.name, connection };
}
