// Who the VM is on GCP: a service account with no key (programs on the VM get tokens
// from the metadata server), bound to a custom role made from permissions.ts; and the
// service account Cloud Run apps run as, which the VM may act as and nothing else.
// Acting as the default compute account instead would hand every app (and the VM)
// that account's Editor role.

import type { TerraformStack } from 'cdktf';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';
import { appsAccountId, customRoleId, vmName } from './names.js';
import { customRolePermissions } from './permissions.js';
import type { VmServices } from './services.js';

export interface VmIdentity {
  account: ServiceAccount;
  /** `serviceAccount:<email>`, for IAM members. */
  member: string;
  apps: ServiceAccount;
}

export function vmIdentity(scope: TerraformStack, options: BootstrapOptions, gcpProject: string, services: VmServices): VmIdentity {
  const dependsOn = [services.iam];
  const account = new ServiceAccount(scope, 'service-account', {
    accountId: vmName(options), displayName: `Pilot VM ${options.name}`, description: 'The Pilot daemon, Waypoint and Terraform on the VM', dependsOn,
  });
  const member = `serviceAccount:${account.email}`;
  const role = new ProjectIamCustomRole(scope, 'custom-role', {
    roleId: customRoleId(options),
    title: `Pilot VM ${options.name}`,
    description: 'What the Pilot VM needs for the project stacks, Waypoint and pilot-sync (src/drivers/gcp/vm/permissions.ts)',
    permissions: customRolePermissions(),
    dependsOn,
  });
  new ProjectIamMember(scope, 'custom-role-member', { project: gcpProject, role: role.name, member, dependsOn: [services.cloudresourcemanager] });

  const apps = new ServiceAccount(scope, 'apps-service-account', {
    accountId: appsAccountId(options), displayName: `Pilot apps of ${options.name}`, description: 'What Cloud Run apps deployed by Pilot run as: no roles', dependsOn,
  });
  // Deploying a Cloud Run service that runs as `apps` needs actAs on it (and the
  // plugin's check reads it): this account only, not the project.
  new ServiceAccountIamMember(scope, 'apps-service-account-user', { serviceAccountId: apps.name, role: 'roles/iam.serviceAccountUser', member });
  return { account, member, apps };
}
