// Lambda (aws): container image in ECR, `aws-lambda` function, public function URL.

import type { DesiredApp } from '../../reconciler/desired-state.js';
import { attribute, optionalAttribute } from './hcl.js';
import type { RenderOptions } from './options.js';
import { buildStage, containerBuilder, ecrRegistry, stage, use, type Stages } from './stages.js';

export function lambdaStages(app: DesiredApp, options: RenderOptions): Stages {
  return [
    buildStage(containerBuilder(app), ecrRegistry(app, options)),
    stage('deploy', use('aws-lambda', [attribute('region', app.region), optionalAttribute('memory', app.deploy.memory)])),
    // Apps are public web services like the other platforms; NONE is also the plugin's default.
    stage('release', use('lambda-function-url', [attribute('auth_type', 'NONE')])),
  ];
}
