// Which parts a stack needs, read from its apps and databases: one place, so the
// APIs enabled and the resources created always agree.

import type { DesiredApp } from '../../reconciler/desired-state.js';
import type { StackInput } from '../contract.js';

export function cloudRunApps(input: StackInput): DesiredApp[] {
  return input.apps.filter((app) => app.deploy.platform === 'cloud-run');
}

export function staticApps(input: StackInput): DesiredApp[] {
  return input.apps.filter((app) => app.deploy.platform === 'static');
}

/** Cloud Run reaches a private-IP database only through a Serverless VPC Access connector. */
export function appsReadingDatabases(input: StackInput): DesiredApp[] {
  return cloudRunApps(input).filter((app) => app.databases.length > 0);
}

export function needsNetwork(input: StackInput): boolean {
  return input.databases.length > 0;
}

export function needsConnector(input: StackInput): boolean {
  return needsNetwork(input) && appsReadingDatabases(input).length > 0;
}
