// Applying (or destroying) the Pilot VM's stack with the Terraform executor: write, init,
// plan, show, ask, apply with progress, read the outputs. The stack's state stays on the
// operator's machine under <stateDir>/bootstrap (0700), since the bucket it could live
// in is one of the things it makes.

import path from 'node:path';
import { resourcesOf } from '../drivers/contract.js';
import type { StackOutputs } from '../drivers/outputs.js';
import { applyProgressLine, realAddress, standInAddress, standInConfig } from '../drivers/stand-in.js';
import { openTerraform } from '../drivers/terraform/index.js';
import type { BootstrapFiles } from './synth.js';

export interface PlannedChange {
  address: string;
  action: 'create' | 'update' | 'delete' | 'replace';
  destructive: boolean;
}

export interface RunBootstrapInput {
  files: BootstrapFiles;
  stateDir: string;
  /** terraform_data in place of the cloud's resources (tests, a rehearsal). */
  standIn: boolean;
  destroy: boolean;
  /** On destroy: keep the state bucket (taken out of the VM stack's state first). */
  keepStateBucket: boolean;
  env?: NodeJS.ProcessEnv;
  binary?: string;
  onProgress(line: string): void;
  /** Shown before asking; `kept` are left in place by a destroy. */
  showPlan(changes: PlannedChange[], kept: string[]): void;
  confirm(): Promise<boolean>;
}

export type RunBootstrapOutcome =
  | { status: 'unchanged' | 'applied'; outputs: StackOutputs }
  | { status: 'declined' | 'destroyed'; kept: string[] };

/** The state bucket and what configures it: kept by a destroy unless asked. */
export function stateBucketAddresses(files: BootstrapFiles): string[] {
  const addresses: string[] = [];
  for (const [type, byName] of Object.entries(resourcesOf(files.config))) {
    if (!/^(aws_s3_bucket|google_storage_bucket)($|_)/.test(type) || type.endsWith('_object')) continue;
    for (const name of Object.keys(byName)) addresses.push(`${type}.${name}`);
  }
  return addresses.sort();
}

export async function runBootstrap(input: RunBootstrapInput): Promise<RunBootstrapOutcome> {
  const terraform = openTerraform({
    dir: path.join(input.stateDir, 'bootstrap'),
    ...(input.binary ? { binary: input.binary } : {}),
    ...(input.env ? { env: input.env } : {}),
    onProgress: ({ message }) => {
      const line = applyProgressLine(message, input.standIn);
      if (line !== undefined) input.onProgress(line);
    },
  });
  const stack = terraform.stack(input.files.stackId);
  await stack.write(input.standIn ? standInConfig(input.files.config) : input.files.config);
  await stack.init();
  const plan = await stack.plan({ destroy: input.destroy });
  const kept = input.destroy && input.keepStateBucket ? stateBucketAddresses(input.files) : [];
  const changes = plan.changes
    .map((change) => ({ address: (input.standIn ? realAddress(change.address) : change.address) ?? '', action: change.action, destructive: change.destructive }))
    .filter((change) => change.address !== '' && !kept.includes(change.address));
  if (plan.empty || (input.destroy && changes.length === 0)) return input.destroy ? { status: 'destroyed', kept } : { status: 'unchanged', outputs: await stack.outputs() };
  input.showPlan(changes, kept);
  if (!(await input.confirm())) return { status: 'declined', kept };
  if (!input.destroy) {
    await stack.apply(plan);
    return { status: 'applied', outputs: await stack.outputs() };
  }
  if (kept.length > 0) await stack.forget(kept.map((address) => (input.standIn ? standInAddress(address) : address)));
  await stack.destroy();
  return { status: 'destroyed', kept };
}
