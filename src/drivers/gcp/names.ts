// GCP names for a stack's resources, each fitted to its limit with fitName and
// checked against the pattern GCP enforces, so a bad name fails at synth, not at apply.

import { createHash } from 'node:crypto';
import { fitName } from '../names.js';

/** RFC 1035, as Compute Engine, Artifact Registry and Cloud SQL ids require. */
const rfc1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function checked(name: string, max: number, pattern: RegExp, what: string): string {
  if (name.length > max || !pattern.test(name)) throw new Error(`${what} name "${name}" does not fit GCP's rule (${pattern}, at most ${max} characters)`);
  return name;
}

/** Compute Engine resources (networks, addresses, URL maps, proxies, rules, certificates): 63. */
export function computeName(parts: readonly string[]): string {
  return checked(fitName(['pilot', ...parts], 63), 63, rfc1035, 'Compute Engine');
}

/** Cloud SQL allows 98 characters with the project id; staying at 80 leaves room for it. */
export function instanceName(project: string, database: string): string {
  return checked(fitName(['pilot', project, database], 80), 80, rfc1035, 'Cloud SQL instance');
}

/** Serverless VPC Access connectors: 25 characters. One per project and region. */
export function connectorName(project: string): string {
  return checked(fitName(['pilot', project], 25), 25, /^[a-z][-a-z0-9]{0,23}[a-z0-9]$/, 'VPC Access connector');
}

/** One Docker repository per project and region (Artifact Registry ids are regional). */
export function repositoryId(project: string): string {
  return checked(fitName(['pilot', project], 63), 63, rfc1035, 'Artifact Registry repository');
}

/** A Postgres identifier from a database name: dashes are not allowed unquoted. */
export function sqlIdentifier(database: string): string {
  return database.replaceAll('-', '_');
}

/**
 * Bucket names are global across all of GCP: a short hash of the GCP project,
 * project and app keeps ours unique yet the same on every run. Cloud Storage refuses
 * names containing "google" (or look-alikes such as "g00gle"), so that word is replaced.
 */
export function bucketName(gcpProject: string, project: string, app: string): string {
  const hash = createHash('sha256').update(`${gcpProject}/${project}/${app}`).digest('hex').slice(0, 8);
  const readable = fitName(['pilot', project, app], 63 - hash.length - 1).replace(/g[o0]{2}g[l1]e/g, 'gcp');
  return checked(`${readable}-${hash}`, 63, /^[a-z0-9][-a-z0-9]*[a-z0-9]$/, 'Cloud Storage bucket');
}
