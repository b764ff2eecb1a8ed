// The AWS driver: a project's apps and databases in one region as Terraform JSON, and
// the Pilot VM's own stack (vm/).

import type { CloudDriver } from '../contract.js';
import { synthesize } from '../synth.js';
import { awsFacts } from './facts.js';
import { awsStack } from './stack.js';
import { awsVmStack } from './vm/index.js';

export const awsDriver: CloudDriver = {
  provider: awsFacts.name,
  synth(input) {
    if (input.provider !== 'aws') throw new Error(`stack ${input.id} is for ${input.provider}, not aws`);
    return synthesize(input.id, (stack) => awsStack(stack, input));
  },
  synthVm(input) {
    return synthesize(`${input.options.name}-vm`, (stack) => awsVmStack(stack, input));
  },
};
