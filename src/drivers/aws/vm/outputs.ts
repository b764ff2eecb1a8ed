// The VM stack's outputs: the names of vmOutputs, which the command reads after the
// apply, and, with a shared network, what goes into settings' clouds.aws.network.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { vmOutputsOf as commonOutputs, type VmOutputValues } from '../../vm-outputs.js';
import type { VmNetwork } from './network.js';

/** clouds.aws.network's three fields, in the order the settings list them. */
export const awsNetworkOutputs = {
  vpcId: 'network_vpc_id',
  appSubnetIds: 'network_app_subnet_ids',
  databaseSubnetIds: 'network_database_subnet_ids',
} as const;

export function vmOutputsOf(stack: TerraformStack, values: VmOutputValues, network: VmNetwork): void {
  commonOutputs(stack, values);
  if (!network.shared) return;
  new TerraformOutput(stack, awsNetworkOutputs.vpcId, { value: network.vpcId });
  new TerraformOutput(stack, awsNetworkOutputs.appSubnetIds, { value: network.shared.appSubnetIds });
  new TerraformOutput(stack, awsNetworkOutputs.databaseSubnetIds, { value: network.shared.databaseSubnetIds });
}
