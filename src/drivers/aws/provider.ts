// The stack's providers: AWS in the stack's region, AWS in us-east-1 when a static
// site needs a CloudFront certificate, and random when a database needs a password.

import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import type { StackInput } from '../contract.js';
import { defaultTags } from './tags.js';

export interface Providers {
  /** Set only when a static app has a custom domain: CloudFront reads certificates from us-east-1 only. */
  usEast1?: AwsProvider;
}

export function needsCertificate(input: StackInput): boolean {
  return input.apps.some((app) => app.deploy.platform === 'static' && app.release.domain !== undefined);
}

export function providers(stack: TerraformStack, input: StackInput): Providers {
  const tags = [{ tags: defaultTags(input.project) }];
  new AwsProvider(stack, 'aws', { region: input.region, defaultTags: tags });
  if (input.databases.length > 0) new RandomProvider(stack, 'random');
  if (!needsCertificate(input)) return {};
  return { usEast1: new AwsProvider(stack, 'aws-us-east-1', { alias: 'us-east-1', region: 'us-east-1', defaultTags: tags }) };
}
