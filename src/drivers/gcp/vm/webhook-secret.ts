// The secret GitHub signs webhooks with: generated here, kept in Secret Manager,
// readable by the VM's service account through a grant on this secret alone, printed
// once by the command from the sensitive output. It never appears in the user-data.

import type { TerraformStack } from 'cdktf';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret/index.js';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import type { BootstrapOptions } from '../../../bootstrap/options.js';
import { webhookSecretId } from './names.js';
import type { VmServices } from './services.js';

export interface WebhookSecret {
  id: string;
  value: string;
}

export function webhookSecret(scope: TerraformStack, options: BootstrapOptions, member: string, services: VmServices): WebhookSecret {
  // 48 of [A-Za-z0-9]: about 285 bits, and nothing a shell or GitHub's form would mangle.
  const password = new Password(scope, 'webhook-secret-value', { length: 48, special: false });
  const secret = new SecretManagerSecret(scope, 'webhook-secret', {
    secretId: webhookSecretId(options),
    replication: { auto: {} },
    dependsOn: [services.secretmanager],
  });
  new SecretManagerSecretVersion(scope, 'webhook-secret-version', { secret: secret.id, secretData: password.result });
  new SecretManagerSecretIamMember(scope, 'webhook-secret-reader', { secretId: secret.id, role: 'roles/secretmanager.secretAccessor', member });
  return { id: secret.id, value: password.result };
}
