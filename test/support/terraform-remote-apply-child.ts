// Run as a child process (node --import tsx): one Pilot process applying a stack whose
// state is in S3 (or, given gcs, in Cloud Storage), from its own working dir. It plans,
// says `planned`, waits for `apply` on stdin, and applies; a plan that went stale
// meanwhile (another process applied first) is planned again, as the reconciler retries
// that transient error. Ends with `applied after <n> plans`.

import { createInterface } from 'node:readline';
import { openTerraform } from '../../src/drivers/terraform/index.js';
import { isPilotError } from '../../src/reconciler/errors.js';
import { markedStack, remoteBackend } from './remote-state.js';
import { gcsBackend } from './remote-state-gcs.js';

const [dir, id, label, endpoint, backend = 's3'] = process.argv.slice(2);
if (!dir || !id || !label || !endpoint || (backend !== 's3' && backend !== 'gcs')) {
  throw new Error('usage: terraform-remote-apply-child.ts <dir> <stack> <label> <endpoint> [s3|gcs]');
}

const told = new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on('line', (line) => line === 'apply' && resolve());
});

const stack = openTerraform({ dir, backend: backend === 'gcs' ? gcsBackend(endpoint) : remoteBackend(endpoint) }).stack(id);
await stack.write(markedStack(label));
let plan = await stack.plan();
let plans = 1;
process.stdout.write('planned\n');
await told;
for (;;) {
  try {
    await stack.apply(plan);
    break;
  } catch (error) {
    if (!isPilotError(error) || error.code !== 'terraform.stale-plan' || plans >= 3) throw error;
    plan = await stack.plan();
    plans++;
  }
}
process.stdout.write(`applied after ${plans} plans\n`);
process.exit(0);
