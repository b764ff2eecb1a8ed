// The Pilot VM on AWS, put together from its parts: network, firewall, the webhook
// secret, the role that reads it, the instance, the state bucket, the outputs.

import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import type { VmStackInput } from '../../../bootstrap/options.js';
import { vmFirewall } from './firewall.js';
import { vmIdentity } from './identity.js';
import { vmInstance } from './instance.js';
import { checkAwsOptions, vmTags } from './names.js';
import { vmNetwork } from './network.js';
import { vmOutputsOf } from './outputs.js';
import { checkSources } from '../../vm-sources.js';
import { pilotPackage } from './pilot-package.js';
import { stateBucket } from './state-bucket.js';
import { webhookSecret } from './webhook-secret.js';

export function awsVmStack(stack: TerraformStack, input: VmStackInput): void {
  const { options } = input;
  checkAwsOptions(options);
  checkSources(options);
  // Default tags reach every taggable resource, including ones added later and forgotten.
  new AwsProvider(stack, 'aws', { region: options.region, defaultTags: [{ tags: vmTags(options) }] });
  new RandomProvider(stack, 'random', {});

  const network = vmNetwork(stack, options);
  const group = vmFirewall(stack, options, network.vpcId);
  const secret = webhookSecret(stack, options);
  const identity = vmIdentity(stack, options, secret.arn);
  const vm = vmInstance(stack, input, { subnetId: network.vmSubnetId, securityGroupId: group.id, profileName: identity.profile.name });
  const bucket = stateBucket(stack, options);
  pilotPackage(stack, options, bucket);
  vmOutputsOf(stack, {
    publicIp: vm.address.publicIp,
    instanceId: vm.instance.id,
    stateBucket: bucket.bucket,
    webhookSecret: secret.value,
    webhookSecretRef: secret.arn,
    identity: identity.role.arn,
  }, network);
}
