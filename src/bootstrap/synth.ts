// The Pilot VM as files: its cloud-init user-data and its stack's Terraform JSON, made
// from the options alone (no cloud is asked), the same for a dry run and an apply.

import { cloudDriver, builtInProviders, type ProviderRegistry } from '../drivers/registry.js';
import type { TerraformJson } from '../drivers/contract.js';
import type { BootstrapOptions } from './options.js';
import { renderUserData } from './user-data.js';

export interface BootstrapFiles {
  /** The Terraform stack's id: its folder under the state dir, and what `destroy` finds again. */
  stackId: string;
  config: TerraformJson;
  userData: string;
}

export function bootstrapStackId(options: Pick<BootstrapOptions, 'name' | 'cloud' | 'region'>): string {
  return `${options.name}-vm-${options.cloud}-${options.region}`;
}

export async function synthBootstrap(options: BootstrapOptions, providers: ProviderRegistry = builtInProviders): Promise<BootstrapFiles> {
  const userData = renderUserData(options);
  const driver = await cloudDriver(options.cloud, providers);
  if (!driver.synthVm) throw new Error(`the ${options.cloud} driver has no VM stack`);
  return { stackId: bootstrapStackId(options), config: driver.synthVm({ options, userData }), userData };
}
