// A third cloud for the provider registry test: everything Pilot needs to know about
// it, in the same shape as src/drivers/aws/facts.ts. Its regions look like neither
// an AWS region nor a GCP location, so a test can tell whose rule refused one.

import type { ProviderFacts } from '../../../src/drivers/facts.js';

export const fakeFacts: ProviderFacts = {
  name: 'fake',
  displayName: 'Fake Cloud',
  regions: { pattern: /^fake-[a-z]+-[a-z]\d$/, label: 'a Fake Cloud zone', example: 'fake-north-a1', default: 'fake-north-a1' },
  platforms: ['static'],
  names: { apps: { static: { what: 'Fake Cloud bucket names', max: 40 } }, database: { what: 'Fake Cloud database names', max: 40 } },
  database: { product: 'FakeSQL', minStorageGB: 30 },
  staticSync: { scope: { flag: '--zone', from: 'region' }, cdn: { flag: '--edge', wiring: 'distributionId' } },
  driver: async () => (await import('./stack.js')).fakeDriver,
};
