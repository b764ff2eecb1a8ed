// What the AWS driver tells the rest of Pilot: regions, platforms, name limits, how
// static sites sync. Plain data: the manifest checks and the renderer read it without
// loading the stacks.

import type { ProviderFacts } from '../facts.js';

export const awsFacts: ProviderFacts = {
  name: 'aws',
  displayName: 'AWS',
  regions: { pattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/, label: 'an AWS region', example: 'us-east-1', default: 'us-east-1' },
  platforms: ['ecs', 'lambda', 'static'],
  names: {
    apps: {
      lambda: { what: 'Lambda function names', max: 64 },
      ecs: { what: 'ECS service names', max: 255 },
      static: { what: 'S3 bucket names', max: 63 },
    },
    database: { what: 'RDS instance identifiers', max: 63 },
  },
  // RDS PostgreSQL from 20 GiB.
  database: { product: 'RDS PostgreSQL', minStorageGB: 20 },
  staticSync: { scope: { flag: '--region', from: 'region' }, cdn: { flag: '--distribution', wiring: 'distributionId' } },
  driver: async () => (await import('./index.js')).awsDriver,
};
