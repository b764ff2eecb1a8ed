// The VM stack's outputs: the names of vmOutputs, which the command reads after the
// apply, and, with a shared network, what goes into settings' clouds.aws.network.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { vmOutputs } from '../../../bootstrap/options.js';
import type { VmNetwork } from './network.js';

/** clouds.aws.network's three fields, in the order the settings list them. */
export const awsNetworkOutputs = {
  vpcId: 'network_vpc_id',
  appSubnetIds: 'network_app_subnet_ids',
  databaseSubnetIds: 'network_database_subnet_ids',
} as const;

export interface VmOutputValues {
  publicIp: string;
  instanceId: string;
  stateBucket: string;
  webhookSecret: string;
  webhookSecretRef: string;
  identity: string;
}

export function vmOutputsOf(stack: TerraformStack, values: VmOutputValues, network: VmNetwork): void {
  for (const key of Object.keys(vmOutputs) as (keyof typeof vmOutputs)[]) {
    new TerraformOutput(stack, vmOutputs[key], { value: values[key], ...(key === 'webhookSecret' ? { sensitive: true } : {}) });
  }
  if (!network.shared) return;
  new TerraformOutput(stack, awsNetworkOutputs.vpcId, { value: network.vpcId });
  new TerraformOutput(stack, awsNetworkOutputs.appSubnetIds, { value: network.shared.appSubnetIds });
  new TerraformOutput(stack, awsNetworkOutputs.databaseSubnetIds, { value: network.shared.databaseSubnetIds });
}
