// The google and random providers of a GCP stack.

import type { TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { defaultLabels } from './labels.js';

export function providers(scope: TerraformStack, project: string, gcpProject: string, region: string): void {
  const google = new GoogleProvider(scope, 'google', { project: gcpProject, region });
  // Set through an override: cdktf 0.21 snake-cases the keys of the provider's
  // `defaultLabels` map ("pilot-project" would become "pilot_project").
  google.addOverride('default_labels', defaultLabels(project));
  new RandomProvider(scope, 'random', {});
}
