// Which resources of a synthesized stack are databases with deletion protection on,
// read from the Terraform JSON itself so the check holds for every cloud.

import { resourcesOf, type TerraformJson } from './contract.js';

/** Terraform address -> database name, for database instances whose deletion protection is on. */
export function protectedDatabases(config: TerraformJson): Record<string, string> {
  const found: Record<string, string> = {};
  const resources = resourcesOf(config);
  for (const [name, body] of Object.entries(resources.aws_db_instance ?? {})) {
    const tags = (body.tags ?? {}) as Record<string, string>;
    if (body.deletion_protection === true) found[`aws_db_instance.${name}`] = tags['pilot:database'] ?? name;
  }
  for (const [name, body] of Object.entries(resources.google_sql_database_instance ?? {})) {
    const settings = (Array.isArray(body.settings) ? body.settings[0] : body.settings) as Record<string, unknown> | undefined;
    const labels = (settings?.user_labels ?? {}) as Record<string, string>;
    if (body.deletion_protection === true || settings?.deletion_protection_enabled === true) {
      found[`google_sql_database_instance.${name}`] = labels['pilot-database'] ?? name;
    }
  }
  return found;
}
