// CDKTF in memory: a stack built by a driver, turned into Terraform JSON without
// writing cdk.tf.json or running the cdktf CLI.

import os from 'node:os';
import path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { TerraformJson } from './contract.js';

/**
 * Builds a stack named `id` with `build` and returns its Terraform JSON. cdktf's App
 * creates its outdir when constructed, so it points at a folder of the temp dir that
 * nothing is ever written into.
 */
export function synthesize(id: string, build: (stack: TerraformStack) => void): TerraformJson {
  const app = new App({ outdir: path.join(os.tmpdir(), 'pilot-cdktf-unused'), skipValidation: true });
  const stack = new TerraformStack(app, id);
  build(stack);
  return stack.toTerraform() as TerraformJson;
}
