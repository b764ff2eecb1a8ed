// The Artifact Registry repository Cloud Run images are pushed to: one per
// project and region, shared by the project's Cloud Run apps there.

import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository/index.js';
import type { GcpStack } from './context.js';
import { projectLabels } from './labels.js';
import { repositoryId } from './names.js';

export function registry(stack: GcpStack): ArtifactRegistryRepository {
  const { input } = stack;
  return new ArtifactRegistryRepository(stack.scope, 'registry', {
    repositoryId: repositoryId(input.project),
    location: input.region,
    format: 'DOCKER',
    description: `Pilot: images of project ${input.project}`,
    labels: projectLabels(input.project),
    dependsOn: stack.services.need('artifactregistry'),
  });
}
