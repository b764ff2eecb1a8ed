// The VM: Ubuntu 24.04 LTS from Canonical's own account, an encrypted gp3 root disk,
// IMDSv2 only, an Elastic IP. No key pair: SSH, when --ssh-cidr allows it, uses keys
// the operator adds through cloud-init; otherwise Session Manager gives a shell.

import { gzipSync } from 'node:zlib';
import type { TerraformStack } from 'cdktf';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { Instance } from '@cdktf/provider-aws/lib/instance/index.js';
import type { VmStackInput } from '../../../bootstrap/options.js';
import { nameTag } from './names.js';

/** Canonical's AWS account: only its images match, whoever publishes one with a similar name. */
export const canonicalOwner = '099720109477';
export const ubuntuNoble = 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*';
/** EC2 refuses user data over 16 KB (before base64). */
const userDataLimit = 16 * 1024;

/**
 * The user-data as EC2 gets it: gzipped (cloud-init unpacks it by its magic bytes), since
 * Pilot's is about 30 KB of text and EC2 takes 16; base64, which Terraform passes as it
 * is (no template in it to escape). Node's gzip writes no timestamp: the same text gives
 * the same bytes, so an unchanged user-data never replaces the VM.
 */
export function packedUserData(userData: string): string {
  const packed = gzipSync(Buffer.from(userData), { level: 9 });
  if (packed.length > userDataLimit) throw new Error(`the user-data is ${packed.length} bytes gzipped; EC2 takes at most ${userDataLimit}`);
  return packed.toString('base64');
}

export interface VmInstance {
  instance: Instance;
  address: Eip;
}

export function vmInstance(stack: TerraformStack, input: VmStackInput, placement: { subnetId: string; securityGroupId: string; profileName: string }): VmInstance {
  const { options, userData } = input;
  const ami = new DataAwsAmi(stack, 'ubuntu', {
    owners: [canonicalOwner],
    mostRecent: true,
    filter: [
      { name: 'name', values: [ubuntuNoble] },
      { name: 'architecture', values: ['x86_64'] },
      { name: 'virtualization-type', values: ['hvm'] },
      { name: 'root-device-type', values: ['ebs'] },
    ],
  });
  const instance = new Instance(stack, 'instance', {
    ami: ami.id,
    instanceType: options.machineType,
    subnetId: placement.subnetId,
    vpcSecurityGroupIds: [placement.securityGroupId],
    iamInstanceProfile: placement.profileName,
    userDataBase64: packedUserData(userData),
    // cloud-init runs once: a changed user-data only takes effect on a new instance.
    userDataReplaceOnChange: true,
    // A newer AMI next month must not replace the VM (and its disk) on the next apply.
    lifecycle: { ignoreChanges: ['ami'] },
    rootBlockDevice: { volumeSize: options.diskGb, volumeType: 'gp3', encrypted: true, deleteOnTermination: true, tags: nameTag(options, 'root') },
    metadataOptions: {
      httpEndpoint: 'enabled',
      // IMDSv2 only: no credentials for a plain GET (the SSRF route to a role's keys).
      httpTokens: 'required',
      // 2, not 1: the Waypoint runner and Terraform run in containers on Docker's
      // bridge, one hop further; with 1 the token's reply never reaches them and they
      // get no credentials. Any container on the VM can thus reach the role: only
      // Pilot's own containers run there.
      httpPutResponseHopLimit: 2,
      instanceMetadataTags: 'disabled',
    },
    tags: nameTag(options),
  });
  // A fixed address: GitHub's webhook URL and the admins' Waypoint context point at it.
  const address = new Eip(stack, 'address', { domain: 'vpc', instance: instance.id, tags: nameTag(options) });
  return { instance, address };
}
