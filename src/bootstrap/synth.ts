// The Pilot VM as files: its cloud-init user-data and its stack's Terraform JSON, made
// from the options alone (no cloud is asked), the same for a dry run and an apply.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TerraformJson } from '../drivers/contract.js';
import { cloudDriver, builtInProviders, type ProviderRegistry } from '../drivers/registry.js';
import { packPilot } from './bundle.js';
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

/** Where Terraform runs a real bootstrap's stack: the bundle goes there, beside main.tf.json. */
export function bootstrapStackDir(stateDir: string, stackId: string): string {
  return path.join(stateDir, 'bootstrap', 'stacks', stackId);
}

/** The options with this Pilot packed into `folder`, for the stack to upload and the VM to install. */
export async function withBundle(options: BootstrapOptions, folder: string): Promise<BootstrapOptions> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const { file, key, sha256 } = await packPilot(folder);
  return { ...options, pilotPackage: file, pilotBundle: { file, key, sha256 } };
}

export async function synthBootstrap(options: BootstrapOptions, providers: ProviderRegistry = builtInProviders): Promise<BootstrapFiles> {
  const userData = renderUserData(options);
  const driver = await cloudDriver(options.cloud, providers);
  if (!driver.synthVm) throw new Error(`the ${options.cloud} driver has no VM stack`);
  return { stackId: bootstrapStackId(options), config: driver.synthVm({ options, userData }), userData };
}
