// Generated from schemas/pilot.schema.json by `npm run gen:types`. Do not edit by hand.
/* eslint-disable */

/**
 * Cloud provider: aws or gcp.
 */
export type Provider = string;
/**
 * AWS region (e.g. us-east-1) or GCP location (e.g. us-central1).
 */
export type Region = string;
/**
 * GCP project id (6 to 30 characters). Needed for gcp apps and databases.
 */
export type GcpProject = string;
/**
 * A plain string; { fromDatabase, property }; { secret: true } (set with `pilot secret set`); or { fromSecret: "aws-ssm:PATH" | "vault:PATH#KEY" }.
 */
export type EnvValue = (string | EnvFromDatabase | EnvSecret | EnvFromSecret) | undefined;
/**
 * Lower case letters, digits and dashes, 1 to 30 characters, starting with a letter and not ending with a dash.
 */
export type Name = string;

/**
 * One Pilot project: its apps and databases. A pilot.yaml file may hold several projects as YAML documents separated by ---.
 */
export interface ProjectManifest {
  /**
   * Version of the manifest format. Always pilot.dev/v1.
   */
  apiVersion: "pilot.dev/v1";
  /**
   * Kind of document. Always Project.
   */
  kind: "Project";
  /**
   * Project name, unique across the repository; also the Waypoint project name.
   */
  name: string;
  /**
   * Values that apps and databases inherit when they do not set them.
   */
  defaults?: {
    provider?: Provider;
    region?: Region;
    gcpProject?: GcpProject;
  };
  /**
   * How Pilot treats this project's resources.
   */
  policy?: {
    /**
     * Delete apps and databases that left the manifests. Default false: they are reported as orphaned and left running.
     */
    prune?: boolean;
  };
  /**
   * The project's apps.
   */
  apps?: App[];
  /**
   * The project's managed databases.
   */
  databases?: Database[];
}
/**
 * An app that Pilot builds, deploys and releases through Waypoint.
 */
export interface App {
  /**
   * App name, unique within the project; also the Waypoint application name.
   */
  name: string;
  provider?: Provider;
  region?: Region;
  gcpProject?: GcpProject;
  source: Source;
  build: Build;
  deploy: Deploy;
  /**
   * How the app is exposed.
   */
  release?: {
    /**
     * Custom domain, e.g. www.acme.com. Point its DNS at the address Pilot reports.
     */
    domain?: string;
  };
  /**
   * Environment variables. A plain string is not secret; secrets and database values never appear in git or rendered files.
   */
  env?: {
    [k: string]: EnvValue | undefined;
  };
  /**
   * Apps of the same project that must deploy successfully before this one.
   */
  dependsOn?: Name[];
}
/**
 * Where the app's code lives. Pilot resolves ref to a commit and deploys exactly that commit.
 */
export interface Source {
  /**
   * Git URL: https://..., ssh://..., git@host:path, or file:///... for local use.
   */
  repo: string;
  /**
   * Branch, tag or full commit. Default: main.
   */
  ref?: string;
  /**
   * Sub-directory of the repository that holds the app. Relative, inside the repository. Default: .
   */
  path?: string;
}
/**
 * How the app is built.
 */
export interface Build {
  /**
   * pack (Cloud Native Buildpacks), docker (a Dockerfile) or yarn (static sites).
   */
  builder: "pack" | "docker" | "yarn";
  /**
   * yarn only: where `yarn build` writes the site, relative to the app path. Default: build.
   */
  outputDir?: string;
  /**
   * docker only: the Dockerfile, relative to the app path. Default: Dockerfile.
   */
  dockerfile?: string;
}
/**
 * Where and how the app runs.
 */
export interface Deploy {
  /**
   * ecs (AWS Fargate), lambda (AWS), cloud-run (GCP) or static (S3+CloudFront on aws, Cloud Storage+Cloud CDN on gcp).
   */
  platform: "ecs" | "lambda" | "cloud-run" | "static";
  /**
   * Port the app listens on (ecs, cloud-run). Default: 8080.
   */
  port?: number;
  /**
   * vCPU (ecs: 0.25, 0.5, 1, 2 or 4; cloud-run: 1 or 2).
   */
  cpu?: number;
  /**
   * Memory in MiB (ecs: what Fargate allows for the cpu; cloud-run: 128-4096; lambda: 128-10240).
   */
  memory?: number;
  /**
   * How many instances run (ecs, cloud-run).
   */
  instances?: {
    /**
     * Fewest instances, at most 1000.
     */
    min?: number;
    /**
     * Most instances, at most 1000.
     */
    max?: number;
  };
  /**
   * HTTP health check (ecs, cloud-run).
   */
  healthCheck?: {
    /**
     * Path that answers 200 when the app is healthy, e.g. /healthz.
     */
    path: string;
  };
}
/**
 * A value taken from a database of the same project, set in Waypoint's config store.
 */
export interface EnvFromDatabase {
  /**
   * Name of a database of the same project, provider and region.
   */
  fromDatabase: string;
  /**
   * Which value of the database.
   */
  property: "url" | "host" | "port" | "user" | "password" | "database";
}
/**
 * A secret whose value is set out of band with `pilot secret set PROJECT/APP NAME` and never stored in git.
 */
export interface EnvSecret {
  /**
   * Always true.
   */
  secret: true;
}
/**
 * A value read from a secret store by the runner.
 */
export interface EnvFromSecret {
  /**
   * aws-ssm:/path or vault:path#key.
   */
  fromSecret: string;
}
/**
 * A managed PostgreSQL database (RDS on aws, Cloud SQL on gcp).
 */
export interface Database {
  /**
   * Lower case letters, digits and dashes, 1 to 30 characters, starting with a letter and not ending with a dash.
   */
  name: string;
  provider?: Provider;
  region?: Region;
  gcpProject?: GcpProject;
  /**
   * Database engine. Default: postgres.
   */
  engine?: "postgres";
  /**
   * Major version, as a string. Default: "16".
   */
  version?: "13" | "14" | "15" | "16" | "17";
  /**
   * small, medium or large (mapped to instance classes per cloud). Default: small.
   */
  size?: "small" | "medium" | "large";
  /**
   * Storage in GB, up to 16384: at least 20 on aws (RDS), at least 10 on gcp (Cloud SQL). Default: 20.
   */
  storageGB?: number;
  /**
   * Never destroy this database, even when pruning. Default: true.
   */
  deletionProtection?: boolean;
}
