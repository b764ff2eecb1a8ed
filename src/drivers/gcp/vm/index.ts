// The Pilot VM on GCP, put together from its parts: APIs, network, firewall, the
// service accounts and custom role, the webhook secret, the instance, the state
// bucket, the outputs.

import type { TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import type { VmStackInput } from '../../../bootstrap/options.js';
import { vmFirewall } from './firewall.js';
import { vmIdentity } from './identity.js';
import { vmInstance } from './instance.js';
import { checkGcpOptions, vmLabels } from './names.js';
import { vmNetwork } from './network.js';
import { vmOutputsOf } from './outputs.js';
import { enableVmServices } from './services.js';
import { checkSources } from '../../vm-sources.js';
import { pilotPackage } from './pilot-package.js';
import { stateBucket } from './state-bucket.js';
import { webhookSecret } from './webhook-secret.js';

export function gcpVmStack(scope: TerraformStack, input: VmStackInput): void {
  const { options } = input;
  const gcpProject = checkGcpOptions(options);
  checkSources(options);
  const zone = options.zone ?? `${options.region}-a`;
  const google = new GoogleProvider(scope, 'google', { project: gcpProject, region: options.region, zone });
  // An override: cdktf 0.21 snake-cases the keys of the provider's defaultLabels map.
  google.addOverride('default_labels', vmLabels(options));
  new RandomProvider(scope, 'random', {});

  const services = enableVmServices(scope);
  const net = vmNetwork(scope, options, services);
  vmFirewall(scope, options, net.network.id);
  const identity = vmIdentity(scope, options, gcpProject, services);
  const secret = webhookSecret(scope, options, identity.member, services);
  const vm = vmInstance(scope, input, zone, net, identity.account.email, services);
  const bucket = stateBucket(scope, options, identity.member, services);
  pilotPackage(scope, options, bucket);
  vmOutputsOf(scope, {
    publicIp: vm.address.address,
    instanceId: vm.instance.name,
    stateBucket: bucket.name,
    webhookSecret: secret.value,
    webhookSecretRef: secret.id,
    identity: identity.account.email,
  }, { appsIdentity: identity.apps.email, ...(options.shareDatabaseNetwork ? { network: net.network.id } : {}) });
}
