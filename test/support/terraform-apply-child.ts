// Run as a child process (node --import tsx): plans and applies a slow stack, printing
// terraform's progress, so a test can SIGKILL it in the middle of the apply.

import { openTerraform } from '../../src/drivers/terraform/index.js';
import { dataStack } from './terraform-fixtures.js';

const [dir, id] = process.argv.slice(2);
if (!dir || !id) throw new Error('usage: terraform-apply-child.ts <dir> <stack>');

const terraform = openTerraform({
  dir,
  env: { ...process.env, PILOT_TEST_SLEEP: '60' },
  onProgress: ({ message }) => process.stdout.write(`progress: ${message}\n`),
});
const stack = terraform.stack(id);
await stack.write(dataStack({ slow: 'one' }));
await stack.apply(await stack.plan());
process.stdout.write('applied\n');
