// The VM stack's outputs: the names of vmOutputs, which the command reads after the
// apply, the account Cloud Run apps should run as, and, with a shared network, what
// goes into settings' clouds.gcp.network.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { vmOutputsOf as commonOutputs, type VmOutputValues } from '../../vm-outputs.js';

export const gcpVmExtraOutputs = {
  /** Cloud Run's service_account_name for apps: the VM may deploy as this account only. */
  appsIdentity: 'apps_identity',
  /** `projects/<p>/global/networks/<name>`, for clouds.gcp.network (with shareDatabaseNetwork). */
  network: 'network',
} as const;

export function vmOutputsOf(scope: TerraformStack, values: VmOutputValues, extra: { appsIdentity: string; network?: string }): void {
  commonOutputs(scope, values);
  new TerraformOutput(scope, gcpVmExtraOutputs.appsIdentity, { value: extra.appsIdentity });
  if (extra.network !== undefined) new TerraformOutput(scope, gcpVmExtraOutputs.network, { value: extra.network });
}
