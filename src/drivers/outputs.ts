// The names of a stack's Terraform outputs, one rule for every cloud, and how they
// are read back into database connections and app wiring.

import type { AppWiring } from '../reconciler/wiring.js';
import type { DatabaseConnection } from './contract.js';

export type DatabaseField = keyof DatabaseConnection;
export const databaseFields: readonly DatabaseField[] = ['host', 'port', 'user', 'password', 'database'];

/** `db_<database>_<field>`; the password output is marked sensitive. */
export function databaseOutput(database: string, field: DatabaseField): string {
  return `db_${database}_${field}`;
}

/** `app_<app>_<wiring key>`, e.g. app_web_securityGroupIds. */
export function appOutput(app: string, key: keyof AppWiring): string {
  return `app_${app}_${key}`;
}

const wiringKeys: readonly (keyof AppWiring)[] = [
  'subnets', 'securityGroupIds', 'ecrRepository', 'vpcConnector', 'serviceAccount', 'artifactRepository', 'bucket', 'distributionId', 'urlMap',
];
const listKeys = new Set<keyof AppWiring>(['subnets', 'securityGroupIds']);

/** An output as `terraform output -json` gives it. */
export interface OutputValue {
  value: unknown;
  sensitive: boolean;
}

export type StackOutputs = Record<string, OutputValue>;

/** The connection of `database`, or undefined when the stack has not produced it (yet). */
export function connectionOf(outputs: StackOutputs, database: string): DatabaseConnection | undefined {
  const read = (field: DatabaseField) => outputs[databaseOutput(database, field)]?.value;
  const [host, port, user, password, name] = databaseFields.map(read);
  if (typeof host !== 'string' || typeof user !== 'string' || typeof password !== 'string' || typeof name !== 'string') return undefined;
  const portNumber = typeof port === 'number' ? port : Number(port);
  if (!Number.isInteger(portNumber)) return undefined;
  return { host, port: portNumber, user, password, database: name };
}

/** The wiring the stack produced for `app`: only the keys it has. */
export function wiringOf(outputs: StackOutputs, app: string): AppWiring {
  const wiring: AppWiring = {};
  for (const key of wiringKeys) {
    const value = outputs[appOutput(app, key)]?.value;
    if (listKeys.has(key)) {
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) (wiring as Record<string, unknown>)[key] = value;
    } else if (typeof value === 'string' && value !== '') {
      (wiring as Record<string, unknown>)[key] = value;
    }
  }
  return wiring;
}

/** A `fromDatabase` property: the url is built here (password escaped), the rest read as they are. */
export function databaseProperty(connection: DatabaseConnection, property: DatabaseField | 'url'): string {
  if (property !== 'url') return String(connection[property]);
  const user = encodeURIComponent(connection.user);
  const password = encodeURIComponent(connection.password);
  return `postgres://${user}:${password}@${connection.host}:${connection.port}/${encodeURIComponent(connection.database)}?sslmode=require`;
}
