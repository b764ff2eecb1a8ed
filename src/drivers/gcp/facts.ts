// What the GCP driver tells the rest of Pilot: locations, the GCP project every
// resource needs, platforms, name limits, how static sites sync. Plain data: the
// manifest checks and the renderer read it without loading the stacks.

import type { ProviderFacts } from '../facts.js';

export const gcpFacts: ProviderFacts = {
  name: 'gcp',
  displayName: 'GCP',
  regions: { pattern: /^[a-z]+-[a-z]+\d+$/, label: 'a GCP location', example: 'us-central1', default: 'us-central1' },
  platforms: ['cloud-run', 'static'],
  account: {
    field: 'gcpProject',
    label: 'GCP project',
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    hint: 'use a GCP project id: 6 to 30 lower case letters, digits and dashes, such as acme-prod',
  },
  names: {
    apps: {
      'cloud-run': { what: 'Cloud Run service names', max: 49 },
      static: { what: 'Cloud Storage bucket names', max: 63 },
    },
    database: { what: 'Cloud SQL instance names', max: 84 },
  },
  // Cloud SQL from 10 GB.
  database: { product: 'Cloud SQL', minStorageGB: 10 },
  staticSync: { scope: { flag: '--project', from: 'gcpProject' }, cdn: { flag: '--url-map', wiring: 'urlMap' } },
  driver: async () => (await import('./index.js')).gcpDriver,
};
