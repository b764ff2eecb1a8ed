// The GCP driver: the stack of one project in one GCP project and region, and the
// Pilot VM's own stack (vm/).

import type { CloudDriver, StackInput, TerraformJson } from '../contract.js';
import { synthesize } from '../synth.js';
import { gcpFacts } from './facts.js';
import { cloudRunWiring } from './cloud-run.js';
import { vpcConnector } from './connector.js';
import type { GcpStack } from './context.js';
import { database } from './database.js';
import { privateNetwork } from './network.js';
import { providers } from './provider.js';
import { registry } from './registry.js';
import { cloudRunApps, needsConnector, needsNetwork } from './shape.js';
import { enableServices } from './services.js';
import { staticSites } from './static-site.js';
import { gcpVmStack } from './vm/index.js';

/** A stack has exactly one GCP project: a resource placed in another one would land in the wrong place. */
function gcpProjectOf(input: StackInput): string {
  const gcpProject = input.gcpProject;
  if (!gcpProject) throw new Error(`stack ${input.id}: a gcp stack needs a gcpProject`);
  for (const item of [...input.apps, ...input.databases]) {
    if (item.gcpProject !== undefined && item.gcpProject !== gcpProject) {
      throw new Error(`stack ${input.id}: ${item.project}/${item.name} is in GCP project ${item.gcpProject}, the stack in ${gcpProject}`);
    }
  }
  return gcpProject;
}

function build(stack: GcpStack): void {
  const { input } = stack;
  const network = needsNetwork(input) ? privateNetwork(stack) : undefined;
  const connector = network && needsConnector(input) ? vpcConnector(stack, network) : undefined;
  if (network) for (const db of input.databases) database(stack, network, db);
  const apps = cloudRunApps(input);
  if (apps.length > 0) {
    const repository = registry(stack);
    for (const app of apps) cloudRunWiring(stack, app, repository, connector);
  }
  staticSites(stack);
}

export const gcpDriver: CloudDriver = {
  provider: gcpFacts.name,
  synth(input: StackInput): TerraformJson {
    const gcpProject = gcpProjectOf(input);
    return synthesize(input.id, (scope) => {
      providers(scope, input.project, gcpProject, input.region);
      build({ scope, input, gcpProject, services: enableServices(scope, input) });
    });
  },
  synthVm(input) {
    return synthesize(`${input.options.name}-vm`, (scope) => gcpVmStack(scope, input));
  },
};
