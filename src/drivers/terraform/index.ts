// The terraform executor: runs the real `terraform` binary on Pilot's stacks.

export { openTerraform } from './terraform.js';
export { backendBlock, withBackend } from './backend.js';
export { cliConfigText } from './cli-config.js';
export { planChanges } from './plan-json.js';
export type { AttributeChange, BackendSettings, ResourceChange, Stack, StackPlan, Terraform, TerraformSettings } from './types.js';
