// What a Cloud Run app's waypoint.hcl reads from the stack: where to push its
// image, the account it runs as when the settings name one, and, when it reads a
// database, the connector to reach it through.

import { TerraformOutput } from 'cdktf';
import type { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository/index.js';
import type { VpcAccessConnector } from '@cdktf/provider-google/lib/vpc-access-connector/index.js';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import { appOutput } from '../outputs.js';
import type { GcpStack } from './context.js';

export function cloudRunWiring(stack: GcpStack, app: DesiredApp, repository: ArtifactRegistryRepository, connector: VpcAccessConnector | undefined): void {
  new TerraformOutput(stack.scope, appOutput(app.name, 'artifactRepository'), { value: repository.repositoryId });
  if (connector && app.databases.length > 0) {
    // The connector's id is `projects/<p>/locations/<region>/connectors/<name>`: the
    // full path the google-cloud-run plugin's vpc_access.connector accepts
    // whatever project the deployment runs from.
    new TerraformOutput(stack.scope, appOutput(app.name, 'vpcConnector'), { value: connector.id });
  }
  // The account a bootstrapped Pilot VM may deploy as (its identity may act as no other).
  const account = stack.input.settings.gcp?.appsServiceAccount;
  if (account) new TerraformOutput(stack.scope, appOutput(app.name, 'serviceAccount'), { value: account });
}
