// AWS resource names: Pilot's `pilot-<project>-<name>` rule made to fit each AWS
// service's length limit and character rules.

import { createHash } from 'node:crypto';
import { fitName } from '../names.js';

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * `fitName`, plus a rule RDS identifiers and ECR repositories share: no two hyphens
 * in a row. The manifest name pattern allows "a--b", so a run of hyphens is folded
 * into one and a hash of the original keeps "a--b" and "a-b" apart. Names without
 * "--" come out exactly as `fitName` makes them.
 */
export function awsName(parts: readonly string[], max: number): string {
  const whole = parts.join('-').toLowerCase();
  if (!whole.includes('--')) return fitName(parts, max);
  return fitName([whole.replace(/-+/g, '-'), shortHash(whole, 6)], max);
}

/** RDS instance identifier: ≤ 63, letters, digits and single hyphens, starts with a letter. */
export function databaseIdentifier(project: string, database: string): string {
  return awsName(['pilot', project, database], 63);
}

/** RDS snapshot identifiers follow the instance identifier rules, up to 255 characters. */
export function finalSnapshotIdentifier(project: string, database: string): string {
  return awsName(['pilot', project, database, 'final'], 255);
}

/** The Postgres database inside the instance: an identifier, so dashes become underscores. */
export function postgresName(database: string): string {
  return database.replace(/-/g, '_');
}

/** One DB subnet group per stack (project and region): ≤ 255, lower case. */
export function subnetGroupName(project: string): string {
  return awsName(['pilot', project], 255);
}

/** Security group names are unique per VPC; the Pilot VM's VPC may hold many projects. */
export function securityGroupName(project: string, role: 'app' | 'db'): string {
  return awsName(['pilot', project, role], 255);
}

/** ECR repository: ≤ 256, lower case, no repeated separators. */
export function repositoryName(project: string, app: string): string {
  return awsName(['pilot', project, app], 256);
}

/**
 * S3 bucket names are global across all AWS accounts: ≤ 63, lower case. The region
 * and a hash of project, app and region always survive the cut, so the name stays
 * unique between regions and the same on every run.
 */
export function bucketName(project: string, app: string, region: string): string {
  const tail = `${region}-${shortHash(`${project}/${app}/${region}`, 8)}`;
  return `${awsName(['pilot', project, app], 63 - tail.length - 1)}-${tail}`;
}

/** CloudFront origin access control names are unique per account: ≤ 64. */
export function originAccessControlName(project: string, app: string): string {
  return awsName(['pilot', project, app], 64);
}

/** CloudFront distribution comment: ≤ 128. */
export function distributionComment(project: string, app: string): string {
  return fitName(['pilot', project, app], 128);
}
