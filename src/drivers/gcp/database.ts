// One Cloud SQL for PostgreSQL instance per database: private IP only, TLS
// required, backups with point-in-time recovery, deletion protection as the
// manifest says; a generated password that stays in Terraform state.

import { TerraformOutput } from 'cdktf';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database/index.js';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance/index.js';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import type { DesiredDatabase } from '../../reconciler/desired-state.js';
import { databaseOutput } from '../outputs.js';
import { sizeOf } from '../sizes.js';
import type { GcpStack } from './context.js';
import { databaseLabels } from './labels.js';
import { instanceName, sqlIdentifier } from './names.js';
import type { PrivateNetwork } from './network.js';

export const databaseUser = 'pilot';
export const postgresPort = 5432;

export function database(stack: GcpStack, network: PrivateNetwork, db: DesiredDatabase): void {
  const { scope, input } = stack;
  const id = `db-${db.name}`;
  const size = sizeOf('gcp', db.size, db.storageGB);
  const instance = new SqlDatabaseInstance(scope, id, {
    name: instanceName(input.project, db.name),
    region: input.region,
    databaseVersion: `POSTGRES_${db.version}`,
    deletionProtection: db.deletionProtection,
    settings: {
      tier: size.instanceClass,
      // PostgreSQL 16 and later default to Enterprise Plus, which has no db-custom-* tiers.
      edition: 'ENTERPRISE',
      diskSize: db.storageGB,
      diskAutoresize: true,
      diskAutoresizeLimit: size.maxStorageGB,
      // Also refuses deletion through the API and console, not only through Terraform.
      deletionProtectionEnabled: db.deletionProtection,
      backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true },
      ipConfiguration: {
        ipv4Enabled: false,
        privateNetwork: network.id,
        allocatedIpRange: network.rangeName,
        sslMode: 'ENCRYPTED_ONLY',
      },
      userLabels: databaseLabels(db),
    },
    dependsOn: [...stack.services.need('sqladmin'), network.connection],
  });
  const database = new SqlDatabase(scope, `${id}-database`, {
    name: sqlIdentifier(db.name),
    instance: instance.name,
    // Postgres refuses to drop a database others still use; the instance takes it along anyway.
    deletionPolicy: 'ABANDON',
  });
  const password = new Password(scope, `${id}-password`, { length: 32, special: false });
  const user = new SqlUser(scope, `${id}-user`, {
    name: databaseUser,
    instance: instance.name,
    password: password.result,
    // Postgres refuses to drop a role that owns objects; the instance takes it along anyway.
    deletionPolicy: 'ABANDON',
  });
  const output = (field: Parameters<typeof databaseOutput>[1], value: unknown, sensitive = false) =>
    new TerraformOutput(scope, databaseOutput(db.name, field), { value, ...(sensitive ? { sensitive } : {}) });
  output('host', instance.privateIpAddress);
  output('port', postgresPort);
  output('user', user.name);
  output('password', password.result, true);
  output('database', database.name);
}
