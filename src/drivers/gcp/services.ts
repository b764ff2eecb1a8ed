// The Google APIs a stack needs. Terraform enables them and never disables them:
// turning an API off on destroy would break whatever else in the GCP project uses it
// (the seed's cloudresourcemanager did exactly that).

import type { TerraformStack } from 'cdktf';
import { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
import type { StackInput } from '../contract.js';
import { cloudRunApps, needsConnector, needsNetwork, staticApps } from './shape.js';

export type Api =
  | 'artifactregistry'
  | 'cloudresourcemanager'
  | 'compute'
  | 'run'
  | 'servicenetworking'
  | 'sqladmin'
  | 'storage'
  | 'vpcaccess';

export interface Services {
  /** The services a resource must wait for; asking for one the stack did not enable is a bug. */
  need(...apis: Api[]): ProjectService[];
}

export function apisFor(input: StackInput): Api[] {
  const apis = new Set<Api>();
  if (needsNetwork(input)) apis.add('compute').add('servicenetworking').add('sqladmin');
  if (needsConnector(input)) apis.add('vpcaccess');
  if (cloudRunApps(input).length > 0) apis.add('artifactregistry').add('run');
  // The data source that reads the project number goes through Cloud Resource Manager.
  if (staticApps(input).length > 0) apis.add('compute').add('storage').add('cloudresourcemanager');
  return [...apis].sort();
}

export function enableServices(scope: TerraformStack, input: StackInput): Services {
  const enabled = new Map<Api, ProjectService>();
  for (const api of apisFor(input)) {
    enabled.set(api, new ProjectService(scope, `service-${api}`, {
      service: `${api}.googleapis.com`,
      disableOnDestroy: false,
      disableDependentServices: false,
    }));
  }
  return {
    need: (...apis) => apis.map((api) => {
      const service = enabled.get(api);
      if (!service) throw new Error(`the GCP stack uses ${api}.googleapis.com without enabling it`);
      return service;
    }),
  };
}
