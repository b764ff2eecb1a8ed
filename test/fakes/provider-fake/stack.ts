// The fake cloud's stacks: one built-in `terraform_data` per app and database, which
// the real terraform binary plans offline, and the outputs an app is wired with.

import { DataResource, TerraformOutput } from 'cdktf';
import type { CloudDriver } from '../../../src/drivers/contract.js';
import { appOutput } from '../../../src/drivers/outputs.js';
import { synthesize } from '../../../src/drivers/synth.js';
import { fakeFacts } from './facts.js';

export const fakeDriver: CloudDriver = {
  provider: fakeFacts.name,
  synth(input) {
    return synthesize(input.id, (stack) => {
      for (const app of input.apps) {
        const bucket = new DataResource(stack, `bucket-${app.name}`, { input: { zone: input.region, app: app.name } });
        new TerraformOutput(stack, appOutput(app.name, 'bucket'), { value: `fake-${input.project}-${app.name}` });
        new TerraformOutput(stack, appOutput(app.name, 'distributionId'), { value: bucket.id });
      }
      for (const db of input.databases) new DataResource(stack, `db-${db.name}`, { input: { storageGB: db.storageGB } });
    });
  },
};
