// What the renderer needs beyond the manifest: the commit being deployed and the
// names of cloud resources that the drivers (Terraform) created for the app.

import type { DesiredApp } from '../../reconciler/desired-state.js';

/**
 * Cloud resources an app is wired to. Every field is optional: without it the file
 * uses Pilot's naming rule (`pilot-<project>-<app>`) or leaves the setting out.
 */
export interface AppWiring {
  /** AWS driver, when the app reads a database: private subnet ids of the database's VPC (ECS `subnets`). */
  subnets?: string[];
  /** AWS driver, when the app reads a database: security groups allowed to reach it (ECS `security_group_ids`). */
  securityGroupIds?: string[];
  /** AWS driver: ECR repository for ECS and Lambda images. Default `pilot-<project>-<app>`. */
  ecrRepository?: string;
  /** GCP driver, when the app reads a database: Serverless VPC Access connector (Cloud Run `vpc_access.connector`). */
  vpcConnector?: string;
  /** GCP driver: Artifact Registry repository in the app's region. Default `pilot-<project>`. */
  artifactRepository?: string;
  /** AWS or GCP driver, static sites: the S3 or Cloud Storage bucket. Default `pilot-<project>-<app>`. */
  bucket?: string;
  /** AWS driver, static sites: the CloudFront distribution id to invalidate after a sync. */
  distributionId?: string;
  /** GCP driver, static sites: the URL map whose Cloud CDN cache is invalidated after a sync. */
  urlMap?: string;
}

export interface RenderOptions {
  /** The source commit being deployed: image tags are its first 12 characters (else `latest`). */
  commit?: string;
  wiring?: AppWiring;
}

const commitPattern = /^[0-9a-f]{7,64}$/i;

/** The image tag for a build: stable for a commit, so the same input renders the same bytes. */
export function imageTag(commit: string | undefined): string {
  if (commit === undefined) return 'latest';
  if (!commitPattern.test(commit)) throw new Error(`not a commit id: ${JSON.stringify(commit)}`);
  return commit.slice(0, 12).toLowerCase();
}

/** Pilot's name for an app's own cloud resources (bucket, ECR repository). */
export function appResourceName(app: DesiredApp): string {
  return `pilot-${app.project}-${app.name}`;
}

/** Pilot's name for a project's shared resources (Artifact Registry repository). */
export function projectResourceName(app: DesiredApp): string {
  return `pilot-${app.project}`;
}

/** A deploy setting the normalizer always fills for this platform; missing means a bug upstream. */
export function required<T>(value: T | undefined, app: DesiredApp, what: string): T {
  if (value === undefined) throw new Error(`${app.project}/${app.name}: desired state has no ${what}`);
  return value;
}
