// What the cloud stacks give an app: the names of the resources it is wired to. The
// drivers produce it from their outputs; the renderer writes it into waypoint.hcl.

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
  /** GCP driver: the service account Cloud Run runs the app as (`service_account_name`). Default: Cloud Run's. */
  serviceAccount?: string;
  /** GCP driver: Artifact Registry repository in the app's region. Default `pilot-<project>`. */
  artifactRepository?: string;
  /** AWS or GCP driver, static sites: the S3 or Cloud Storage bucket. Default `pilot-<project>-<app>`. */
  bucket?: string;
  /** AWS driver, static sites: the CloudFront distribution id to invalidate after a sync. */
  distributionId?: string;
  /** GCP driver, static sites: the URL map whose Cloud CDN cache is invalidated after a sync. */
  urlMap?: string;
}
