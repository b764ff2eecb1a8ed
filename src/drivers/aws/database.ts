// One RDS PostgreSQL instance per database of the manifests, private and encrypted,
// with a generated password and the outputs an app's `fromDatabase` reads.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import type { DesiredDatabase } from '../../reconciler/desired-state.js';
import { databaseOutput } from '../outputs.js';
import { sizeOf } from '../sizes.js';
import { databaseIdentifier, finalSnapshotIdentifier, postgresName, subnetGroupName } from './names.js';
import type { Network } from './network.js';
import { postgresPort } from './security-groups.js';
import { databaseTags, projectTags } from './tags.js';

export const databaseUser = 'pilot';

/** One subnet group for all databases of the stack: they share the network. */
export function databaseSubnetGroup(stack: TerraformStack, project: string, net: Network): DbSubnetGroup {
  return new DbSubnetGroup(stack, 'network-db-subnet-group', {
    name: subnetGroupName(project), subnetIds: net.databaseSubnetIds,
    description: `Pilot databases of ${project}`, tags: projectTags(project),
  });
}

export function database(stack: TerraformStack, db: DesiredDatabase, subnetGroup: DbSubnetGroup, securityGroupId: string): void {
  const id = `db-${db.name}`;
  const size = sizeOf('aws', db.size, db.storageGB);
  // No special characters: the password goes into a postgres:// URL as it is. 32
  // characters of [A-Za-z0-9] still hold about 190 bits. It lives in the state only.
  const password = new Password(stack, `${id}-password`, { length: 32, special: false });
  const instance = new DbInstance(stack, id, {
    identifier: databaseIdentifier(db.project, db.name),
    engine: 'postgres',
    engineVersion: db.version,
    instanceClass: size.instanceClass,
    allocatedStorage: db.storageGB,
    maxAllocatedStorage: size.maxStorageGB,
    storageType: 'gp3',
    storageEncrypted: true,
    dbName: postgresName(db.name),
    username: databaseUser,
    password: password.result,
    port: postgresPort,
    dbSubnetGroupName: subnetGroup.name,
    vpcSecurityGroupIds: [securityGroupId],
    publiclyAccessible: false,
    backupRetentionPeriod: 7,
    copyTagsToSnapshot: true,
    autoMinorVersionUpgrade: true,
    // A commit to the manifests is the change request: a new size or major version
    // applies now, not in the next maintenance window (until which every plan would
    // show the same pending change), and RDS refuses a major version without the flag.
    applyImmediately: true,
    allowMajorVersionUpgrade: true,
    deletionProtection: db.deletionProtection,
    // A protected database keeps a last snapshot if it is ever deleted after all; one
    // whose manifest turned protection off is meant to be disposable.
    ...(db.deletionProtection
      ? { skipFinalSnapshot: false, finalSnapshotIdentifier: finalSnapshotIdentifier(db.project, db.name) }
      : { skipFinalSnapshot: true }),
    tags: databaseTags(db),
  });

  const output = (field: Parameters<typeof databaseOutput>[1], value: string | number, sensitive = false) =>
    new TerraformOutput(stack, databaseOutput(db.name, field), { value, sensitive });
  // `address` is the bare host name; `endpoint` is "host:port", which the original
  // Pilot printed as DB_HOST.
  output('host', instance.address);
  output('port', instance.port);
  output('user', instance.username);
  output('password', password.result, true);
  output('database', instance.dbName);
}
