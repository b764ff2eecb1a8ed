// One line per cloud: a new cloud is a folder under src/drivers/ and a line here.
// Loaded on first use: the CDKTF provider bindings take a few hundred milliseconds to
// import, which commands that never synthesize a stack should not pay.

import type { Provider } from '../reconciler/desired-state.js';
import type { CloudDriver } from './contract.js';

const loaders: Record<Provider, () => Promise<CloudDriver>> = {
  aws: async () => (await import('./aws/index.js')).awsDriver,
  gcp: async () => (await import('./gcp/index.js')).gcpDriver,
};

export function cloudDriver(provider: Provider): Promise<CloudDriver> {
  return loaders[provider]();
}
