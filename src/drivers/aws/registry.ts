// The ECR repository a container app's images are pushed to (ECS and Lambda).

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import { appOutput } from '../outputs.js';
import { repositoryName } from './names.js';
import { appTags } from './tags.js';

export function containerRegistry(stack: TerraformStack, app: DesiredApp): void {
  const repository = new EcrRepository(stack, `app-${app.name}-repository`, {
    name: repositoryName(app.project, app.name),
    // Mutable: a build without a resolved commit is tagged `latest` and pushed again.
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: [{ encryptionType: 'AES256' }],
    // Images are rebuilt from git at any time: an app that is pruned should not leave
    // the apply stuck on a repository that still holds some.
    forceDelete: true,
    tags: appTags(app),
  });
  new TerraformOutput(stack, appOutput(app.name, 'ecrRepository'), { value: repository.name });
}
