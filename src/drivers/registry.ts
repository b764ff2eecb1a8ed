// One line per cloud: a new cloud is a folder under src/drivers/ (its facts and its
// stacks) and a line here. Everything that differs by cloud reads the facts through a
// registry, handed in where a test needs another one; this module is the default.
// Light on purpose: facts are plain data and each driver's stacks load on first use.

import type { Platform, Provider } from '../reconciler/desired-state.js';
import { awsFacts } from './aws/facts.js';
import type { CloudDriver } from './contract.js';
import type { ProviderFacts } from './facts.js';
import { gcpFacts } from './gcp/facts.js';

export interface ProviderRegistry {
  /** In registry order, which is the order of messages and prompts. */
  readonly all: readonly ProviderFacts[];
  readonly names: readonly Provider[];
  find(name: string): ProviderFacts | undefined;
  /** For a provider the manifest checks accepted: an unknown one here is a bug upstream. */
  get(name: string): ProviderFacts;
  /** The providers that host a platform. */
  hosting(platform: Platform): ProviderFacts[];
}

export function providerRegistry(providers: readonly ProviderFacts[]): ProviderRegistry {
  const byName = new Map(providers.map((p) => [p.name, p]));
  if (byName.size !== providers.length) throw new Error(`providers registered twice: ${providers.map((p) => p.name).join(', ')}`);
  return {
    all: providers,
    names: providers.map((p) => p.name),
    find: (name) => byName.get(name),
    get(name) {
      const found = byName.get(name);
      if (!found) throw new Error(`no provider ${JSON.stringify(name)} is registered (known: ${[...byName.keys()].join(', ')})`);
      return found;
    },
    hosting: (platform) => providers.filter((p) => p.platforms.includes(platform)),
  };
}

export const builtInProviders: ProviderRegistry = providerRegistry([
  awsFacts,
  gcpFacts,
]);

export function cloudDriver(provider: Provider, providers: ProviderRegistry = builtInProviders): Promise<CloudDriver> {
  return providers.get(provider).driver();
}
