// Who the VM is on AWS: a role that only EC2 may assume, with an instance profile and
// the managed policies made from permissions.ts. No IAM user, no access key: the VM's
// programs get short-lived credentials from the instance metadata service.

import type { TerraformStack } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile/index.js';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';
import { vmName } from './names.js';
import { awsPermissions, type AwsPolicyName } from './permissions.js';

export interface VmIdentity {
  role: IamRole;
  profile: IamInstanceProfile;
}

interface Fill {
  partition: string;
  account: string;
  stateBucket: string;
  webhookSecret: string;
}

function filled(pattern: string, fill: Fill): string {
  return pattern.replace(/\{(partition|account|stateBucket|webhookSecret)\}/g, (_match, key: keyof Fill) => fill[key]);
}

const policyNames: readonly AwsPolicyName[] = ['core', 'stacks', 'waypoint', 'sync'];

export function vmIdentity(stack: TerraformStack, options: BootstrapOptions, webhookSecretArn: string): VmIdentity {
  const partition = new DataAwsPartition(stack, 'partition', {});
  const caller = new DataAwsCallerIdentity(stack, 'caller', {});
  const fill: Fill = { partition: partition.partition, account: caller.accountId, stateBucket: options.stateBucket, webhookSecret: webhookSecretArn };

  const trust = new DataAwsIamPolicyDocument(stack, 'assume-role', {
    statement: [{ effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }],
  });
  const role = new IamRole(stack, 'role', {
    name: vmName(options), description: `The Pilot VM ${options.name}`, assumeRolePolicy: trust.json,
  });
  const profile = new IamInstanceProfile(stack, 'instance-profile', { name: vmName(options), role: role.name });

  for (const policyName of policyNames) {
    const groups = awsPermissions.filter((group) => group.policy === policyName);
    const document = new DataAwsIamPolicyDocument(stack, `policy-${policyName}`, {
      statement: groups.map((group) => ({
        sid: group.sid,
        effect: group.effect ?? 'Allow',
        actions: [...group.actions],
        resources: group.resources.map((pattern) => filled(pattern, fill)),
        ...(group.condition
          ? { condition: group.condition.map((c) => ({ test: c.test, variable: c.variable, values: c.values.map((v) => filled(v, fill)) })) }
          : {}),
      })),
    });
    const policy = new IamPolicy(stack, `policy-${policyName}-managed`, {
      name: vmName(options, policyName), description: `Pilot VM ${options.name}: ${policyName}`, policy: document.json,
    });
    new IamRolePolicyAttachment(stack, `policy-${policyName}-attachment`, { role: role.name, policyArn: policy.arn });
  }
  return { role, profile };
}
