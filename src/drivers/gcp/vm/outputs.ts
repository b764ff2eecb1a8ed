// The VM stack's outputs: the names of vmOutputs, which the command reads after the
// apply, the account Cloud Run apps should run as, and, with a shared network, what
// goes into settings' clouds.gcp.network.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { vmOutputs } from '../../../bootstrap/options.js';

export const gcpVmExtraOutputs = {
  /** Cloud Run's service_account_name for apps: the VM may deploy as this account only. */
  appsIdentity: 'apps_identity',
  /** `projects/<p>/global/networks/<name>`, for clouds.gcp.network (with shareDatabaseNetwork). */
  network: 'network',
} as const;

export interface VmOutputValues {
  publicIp: string;
  instanceId: string;
  stateBucket: string;
  webhookSecret: string;
  webhookSecretRef: string;
  identity: string;
}

export function vmOutputsOf(scope: TerraformStack, values: VmOutputValues, extra: { appsIdentity: string; network?: string }): void {
  for (const key of Object.keys(vmOutputs) as (keyof typeof vmOutputs)[]) {
    new TerraformOutput(scope, vmOutputs[key], { value: values[key], ...(key === 'webhookSecret' ? { sensitive: true } : {}) });
  }
  new TerraformOutput(scope, gcpVmExtraOutputs.appsIdentity, { value: extra.appsIdentity });
  if (extra.network !== undefined) new TerraformOutput(scope, gcpVmExtraOutputs.network, { value: extra.network });
}
