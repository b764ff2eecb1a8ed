// The VM: Ubuntu 24.04 LTS from Canonical's image family, Shielded VM, a static
// external address, running as its own service account. Project-wide SSH keys are
// blocked: SSH, when --ssh-cidr allows it, uses keys the operator adds through cloud-init.

import { createHash } from 'node:crypto';
import { DataResource, type TerraformStack } from 'cdktf';
import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address/index.js';
import { ComputeInstance } from '@cdktf/provider-google/lib/compute-instance/index.js';
import type { VmStackInput } from '../../../bootstrap/options.js';
import { terraformLiteral } from './literal.js';
import { networkTag, vmName } from './names.js';
import type { VmNetwork } from './network.js';
import type { VmServices } from './services.js';

export const ubuntuNobleFamily = 'ubuntu-os-cloud/ubuntu-2404-lts-amd64';
/** Compute Engine's limit for one metadata value. */
const metadataValueLimit = 256 * 1024;

export interface VmInstance {
  instance: ComputeInstance;
  address: ComputeAddress;
}

export function vmInstance(scope: TerraformStack, input: VmStackInput, zone: string, net: VmNetwork, accountEmail: string, services: VmServices): VmInstance {
  const { options, userData } = input;
  if (Buffer.byteLength(userData) > metadataValueLimit) throw new Error(`the user-data is ${Buffer.byteLength(userData)} bytes; a metadata value takes at most ${metadataValueLimit}`);
  // A fixed address: GitHub's webhook URL and the admins' Waypoint context point at it.
  const address = new ComputeAddress(scope, 'address', { name: vmName(options), region: options.region, addressType: 'EXTERNAL', dependsOn: [services.compute] });
  // cloud-init reads user-data once, at first boot: a changed one takes effect only on
  // a new VM, as user_data_replace_on_change does on AWS. The hash alone goes in state.
  const userDataRevision = new DataResource(scope, 'user-data-revision', {
    input: { sha256: createHash('sha256').update(userData).digest('hex') },
  });
  const instance = new ComputeInstance(scope, 'instance', {
    name: vmName(options),
    machineType: options.machineType,
    zone,
    bootDisk: { initializeParams: { image: ubuntuNobleFamily, size: options.diskGb, type: 'pd-balanced' } },
    networkInterface: [{ subnetwork: net.subnet.id, accessConfig: [{ natIp: address.address }] }],
    // The cloud-platform scope with a narrow role: IAM, not scopes, decides (Google's advice).
    serviceAccount: { email: accountEmail, scopes: ['cloud-platform'] },
    shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
    metadata: { 'user-data': terraformLiteral(userData), 'block-project-ssh-keys': 'true' },
    tags: [networkTag(options)],
    allowStoppingForUpdate: true,
    lifecycle: {
      // A plain address: cdktf writes a resource given here as "${...}", which
      // Terraform (1.11) refuses in replace_triggered_by.
      replaceTriggeredBy: [`terraform_data.${userDataRevision.friendlyUniqueId}`],
      // A newer image in the family must not replace the VM (and its disk) on the next apply.
      ignoreChanges: ['boot_disk[0].initialize_params[0].image'],
    },
    dependsOn: [services.compute],
  });
  return { instance, address };
}
