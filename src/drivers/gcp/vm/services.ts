// The Google APIs the VM stack itself uses. Never disabled on destroy: other things
// in the GCP project may use them (the project stacks enable their own; services.ts).

import type { TerraformStack } from 'cdktf';
import { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';

/** cloudresourcemanager: project IAM bindings; iam: the service accounts and the custom role. */
export const vmApis = ['cloudresourcemanager', 'compute', 'iam', 'secretmanager', 'storage'] as const;
export type VmApi = (typeof vmApis)[number];

export type VmServices = Record<VmApi, ProjectService>;

export function enableVmServices(scope: TerraformStack): VmServices {
  const services = {} as VmServices;
  for (const api of vmApis) {
    services[api] = new ProjectService(scope, `service-${api}`, { service: `${api}.googleapis.com`, disableOnDestroy: false, disableDependentServices: false });
  }
  return services;
}
