// The secret GitHub signs webhooks with: generated here, kept in Secrets Manager, read
// at first boot by the VM's role (identity.ts grants GetSecretValue on this secret
// alone) and printed once by the command from the sensitive output. It never appears
// in the user-data.

import type { TerraformStack } from 'cdktf';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';
import { webhookSecretName } from './names.js';

export interface WebhookSecret {
  arn: string;
  value: string;
}

export function webhookSecret(stack: TerraformStack, options: BootstrapOptions): WebhookSecret {
  // 48 of [A-Za-z0-9]: about 285 bits, and nothing a shell or GitHub's form would mangle.
  const password = new Password(stack, 'webhook-secret-value', { length: 48, special: false });
  const secret = new SecretsmanagerSecret(stack, 'webhook-secret', {
    name: webhookSecretName(options),
    description: `GitHub webhook secret of the Pilot VM ${options.name}`,
    // Deleted at once on destroy: a new bootstrap makes a new secret under the same
    // name (and GitHub is given the new value), which a secret pending deletion would block.
    recoveryWindowInDays: 0,
  });
  new SecretsmanagerSecretVersion(stack, 'webhook-secret-version', { secretId: secret.id, secretString: password.result });
  return { arn: secret.arn, value: password.result };
}
