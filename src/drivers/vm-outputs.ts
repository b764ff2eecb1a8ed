// The outputs every cloud's VM stack has, named as vmOutputs (src/bootstrap/options.ts),
// which `pilot bootstrap` reads after the apply; the webhook secret marked sensitive.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { vmOutputs } from '../bootstrap/options.js';

export type VmOutputValues = Record<keyof typeof vmOutputs, string>;

export function vmOutputsOf(scope: TerraformStack, values: VmOutputValues): void {
  for (const key of Object.keys(vmOutputs) as (keyof typeof vmOutputs)[]) {
    new TerraformOutput(scope, vmOutputs[key], { value: values[key], ...(key === 'webhookSecret' ? { sensitive: true } : {}) });
  }
}
