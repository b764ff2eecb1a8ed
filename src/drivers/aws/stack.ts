// The AWS stack of one project in one region, put together from its parts: the
// network and database access only when there is a database, then each database
// and each app.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import type { StackInput } from '../contract.js';
import { appOutput } from '../outputs.js';
import { database, databaseSubnetGroup } from './database.js';
import { network, type Network } from './network.js';
import { providers } from './provider.js';
import { containerRegistry } from './registry.js';
import { securityGroups, type SecurityGroups } from './security-groups.js';
import { staticSite } from './static-site.js';

interface DatabaseAccess {
  net: Network;
  groups: SecurityGroups;
}

export function awsStack(stack: TerraformStack, input: StackInput): void {
  const stackProviders = providers(stack, input);
  let access: DatabaseAccess | undefined;
  if (input.databases.length > 0) {
    const net = network(stack, input);
    const groups = securityGroups(stack, input, net);
    const subnetGroup = databaseSubnetGroup(stack, input.project, net);
    for (const db of input.databases) database(stack, db, subnetGroup, groups.databaseGroupId);
    access = { net, groups };
  }
  for (const app of input.apps) {
    switch (app.deploy.platform) {
      case 'static':
        staticSite(stack, app, stackProviders);
        break;
      case 'ecs':
      case 'lambda':
        containerRegistry(stack, app);
        if (app.databases.length > 0) databaseWiring(stack, app, access);
        break;
      default:
        throw new Error(`${app.project}/${app.name}: platform ${app.deploy.platform} does not run on AWS`);
    }
  }
}

/** Where an app that reads a database must run: the app subnets, in the app security group. */
function databaseWiring(stack: TerraformStack, app: DesiredApp, access: DatabaseAccess | undefined): void {
  if (!access) throw new Error(`${app.project}/${app.name}: reads ${app.databases.join(', ')}, which this stack (${app.region}) does not hold`);
  new TerraformOutput(stack, appOutput(app.name, 'subnets'), { value: access.net.appSubnetIds });
  new TerraformOutput(stack, appOutput(app.name, 'securityGroupIds'), { value: [access.groups.appGroupId] });
}
