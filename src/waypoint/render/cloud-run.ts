// Cloud Run (gcp): image in Artifact Registry, `google-cloud-run` service.

import type { DesiredApp } from '../../reconciler/desired-state.js';
import { attribute, block, optionalAttribute } from './hcl.js';
import { imageTag, projectResourceName, required, type RenderOptions } from './options.js';
import { buildStage, containerBuilder, stage, use, type Stages } from './stages.js';

/** Cloud Run's own defaults: 5 minutes per request, 80 concurrent requests per instance. */
const requestTimeoutSeconds = 300;
const maxRequestsPerContainer = 80;

function artifactImage(app: DesiredApp, options: RenderOptions): string {
  const gcpProject = required(app.gcpProject, app, 'gcpProject');
  const repository = options.wiring?.artifactRepository ?? projectResourceName(app);
  return `${app.region}-docker.pkg.dev/${gcpProject}/${repository}/${app.name}`;
}

export function cloudRunStages(app: DesiredApp, options: RenderOptions): Stages {
  const { deploy } = app;
  const connector = options.wiring?.vpcConnector;
  const registry = block('registry', [], [
    use('docker', [attribute('image', artifactImage(app, options)), attribute('tag', imageTag(options.commit))]),
  ]);
  return [
    buildStage(containerBuilder(app), registry),
    stage(
      'deploy',
      use('google-cloud-run', [
        attribute('project', required(app.gcpProject, app, 'gcpProject')),
        attribute('location', app.region),
        optionalAttribute('port', deploy.port),
        attribute('unauthenticated', true),
        // The plugin checks iam.serviceAccounts.actAs on it before deploying (builtin/google/cloudrun/platform.go 148-170).
        optionalAttribute('service_account_name', options.wiring?.serviceAccount),
        block('capacity', [], [
          attribute('memory', required(deploy.memory, app, 'deploy.memory')),
          attribute('cpu_count', required(deploy.cpu, app, 'deploy.cpu')),
          attribute('request_timeout', requestTimeoutSeconds),
          attribute('max_requests_per_container', maxRequestsPerContainer),
        ]),
        // Both are required by the plugin's AutoScaling block (builtin/google/cloudrun/platform.go);
        // it has no health check, so healthCheck stays unrendered.
        block('auto_scaling', [], [
          attribute('min', required(deploy.instances, app, 'deploy.instances').min),
          attribute('max', required(deploy.instances, app, 'deploy.instances').max),
        ]),
        // Only private ranges go through the connector: the database, not the internet.
        connector
          ? block('vpc_access', [], [attribute('connector', connector), attribute('egress', 'private-ranges-only')])
          : undefined,
      ]),
    ),
    stage('release', use('google-cloud-run')),
  ];
}
