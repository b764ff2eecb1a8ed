// What the Pilot VM's service account may do on GCP, as data: the permissions of its
// custom role, one group per user and reason, so the README's table is generated from
// the same list the role is made of. No wildcard, no primitive role. Access to the
// webhook secret, the state bucket and the apps' service account is granted on those
// resources alone (identity.ts), not through this project-wide role.

export interface GcpPermissionGroup {
  name: string;
  who: string;
  why: string;
  permissions: readonly string[];
}

export const gcpPermissions: readonly GcpPermissionGroup[] = [
  {
    name: 'Services',
    who: "Terraform's project stacks (services.ts)",
    why: 'enable the APIs a stack uses (never disabled)',
    permissions: ['serviceusage.services.enable', 'serviceusage.services.get', 'serviceusage.services.list', 'serviceusage.operations.get'],
  },
  {
    name: 'Project',
    who: "Terraform's project stacks (static-site.ts)",
    why: "the project number, for the CDN's fill account",
    permissions: ['resourcemanager.projects.get'],
  },
  {
    name: 'Networks',
    who: "Terraform's project stacks (network.ts)",
    why: "a project's network, its private services range and peering for Cloud SQL",
    permissions: [
      'compute.networks.create', 'compute.networks.get', 'compute.networks.delete', 'compute.networks.use',
      'compute.networks.addPeering', 'compute.networks.removePeering', 'compute.globalAddresses.create', 'compute.globalAddresses.get',
      'compute.globalAddresses.delete', 'compute.globalAddresses.use', 'compute.globalAddresses.setLabels', 'compute.globalOperations.get',
      'servicenetworking.services.addPeering', 'servicenetworking.services.get', 'servicenetworking.operations.get',
    ],
  },
  {
    name: 'Connectors',
    who: "Terraform's project stacks (connector.ts) and Waypoint's google-cloud-run plugin (vpc_access)",
    why: 'the Serverless VPC Access connector Cloud Run reaches databases through',
    permissions: ['vpcaccess.connectors.create', 'vpcaccess.connectors.get', 'vpcaccess.connectors.delete', 'vpcaccess.connectors.use', 'vpcaccess.operations.get'],
  },
  {
    name: 'Databases',
    who: "Terraform's project stacks (database.ts)",
    why: 'Cloud SQL instances, their database and user',
    permissions: [
      'cloudsql.instances.create', 'cloudsql.instances.get', 'cloudsql.instances.update', 'cloudsql.instances.delete',
      'cloudsql.databases.create', 'cloudsql.databases.get', 'cloudsql.databases.update', 'cloudsql.databases.delete',
      'cloudsql.users.create', 'cloudsql.users.list', 'cloudsql.users.update', 'cloudsql.users.delete',
    ],
  },
  {
    name: 'Registries',
    who: "Terraform's project stacks (registry.ts) and Waypoint's docker registry (push)",
    why: "a project's Docker repository, and the images pushed to it",
    permissions: [
      'artifactregistry.repositories.create', 'artifactregistry.repositories.get', 'artifactregistry.repositories.update',
      'artifactregistry.repositories.delete', 'artifactregistry.repositories.uploadArtifacts', 'artifactregistry.repositories.downloadArtifacts',
      'artifactregistry.tags.create', 'artifactregistry.tags.get', 'artifactregistry.tags.list', 'artifactregistry.tags.update',
      'artifactregistry.versions.get', 'artifactregistry.versions.list', 'artifactregistry.dockerimages.get', 'artifactregistry.dockerimages.list',
    ],
  },
  {
    name: 'Site buckets',
    who: "Terraform's project stacks (static-site.ts)",
    why: "private site buckets and the CDN fill account's read grant",
    permissions: [
      'storage.buckets.create', 'storage.buckets.get', 'storage.buckets.update', 'storage.buckets.delete',
      'storage.buckets.getIamPolicy', 'storage.buckets.setIamPolicy',
    ],
  },
  {
    name: 'Site objects',
    who: 'pilot-sync, and Terraform emptying a pruned site bucket (force_destroy)',
    why: 'compares, uploads and deletes the files of a site',
    permissions: ['storage.objects.list', 'storage.objects.get', 'storage.objects.create', 'storage.objects.delete'],
  },
  {
    name: 'Load balancers',
    who: "Terraform's project stacks (static-site.ts, load-balancer.ts)",
    why: 'the backend bucket with Cloud CDN, URL maps, proxies, forwarding rules and managed certificates of a site',
    permissions: [
      'compute.backendBuckets.create', 'compute.backendBuckets.get', 'compute.backendBuckets.update', 'compute.backendBuckets.delete',
      'compute.backendBuckets.use', 'compute.backendBuckets.addSignedUrlKey', 'compute.backendBuckets.deleteSignedUrlKey',
      'compute.urlMaps.create', 'compute.urlMaps.get', 'compute.urlMaps.update', 'compute.urlMaps.delete', 'compute.urlMaps.use',
      'compute.targetHttpProxies.create', 'compute.targetHttpProxies.get', 'compute.targetHttpProxies.delete', 'compute.targetHttpProxies.use',
      'compute.targetHttpProxies.setUrlMap', 'compute.targetHttpsProxies.create', 'compute.targetHttpsProxies.get',
      'compute.targetHttpsProxies.delete', 'compute.targetHttpsProxies.use', 'compute.targetHttpsProxies.setUrlMap',
      'compute.targetHttpsProxies.setSslCertificates', 'compute.globalForwardingRules.create', 'compute.globalForwardingRules.get',
      'compute.globalForwardingRules.delete', 'compute.globalForwardingRules.setLabels', 'compute.globalForwardingRules.setTarget',
      'compute.sslCertificates.create', 'compute.sslCertificates.get', 'compute.sslCertificates.delete',
    ],
  },
  {
    name: 'CDN invalidation',
    who: 'pilot-sync',
    why: "invalidates a site's URL map after a sync and waits for the operation",
    permissions: ['compute.urlMaps.invalidateCache', 'compute.globalOperations.get'],
  },
  {
    name: 'Cloud Run',
    who: "Waypoint's google-cloud-run plugin (v0.11.4: builtin/google/cloudrun)",
    why: 'lists locations, creates and replaces services, deletes old revisions, lets allUsers invoke (unauthenticated = true)',
    permissions: [
      'run.locations.list', 'run.services.create', 'run.services.get', 'run.services.update', 'run.services.delete',
      'run.services.getIamPolicy', 'run.services.setIamPolicy', 'run.revisions.get', 'run.revisions.delete',
    ],
  },
];

/** The custom role's permissions: sorted, each once (groups may share one, such as globalOperations.get). */
export function customRolePermissions(): string[] {
  return [...new Set(gcpPermissions.flatMap((group) => group.permissions))].sort();
}
