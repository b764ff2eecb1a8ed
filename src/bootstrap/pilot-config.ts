// The daemon's config as user-data.ts renders it (/etc/pilot/pilot.config.base.yaml),
// shaped as schemas/pilot-config.schema.json. What only the VM knows (the public URL of
// an IP, the shared network's ids) is added at each boot by deploy/cloud-init/configure.sh.

import type { BootstrapOptions } from './options.js';
import { vmPaths, vmPorts } from './options.js';

export function pilotConfig(options: BootstrapOptions): Record<string, unknown> {
  const backend = options.cloud === 'aws'
    // No dynamodbTable: the state bucket locks with S3's own lock file.
    ? { s3: { bucket: options.stateBucket, region: options.region } }
    : { gcs: { bucket: options.stateBucket } };
  return {
    repository: { url: options.repo, branch: options.branch },
    stateDir: vmPaths.stateDir,
    waypoint: {
      address: `127.0.0.1:${vmPorts.waypointGrpc}`,
      // Waypoint's own self-signed certificate, on loopback.
      tls: 'skip-verify',
      // The daemon calls BootstrapToken on its first start and keeps the token here.
      token: { file: vmPaths.waypointToken, bootstrap: true },
    },
    webhooks: { secrets: [{ file: vmPaths.webhookSecret }] },
    http: {
      host: '127.0.0.1',
      port: vmPorts.daemon,
      ...(options.domain ? { publicUrl: `https://${options.domain}` } : {}),
    },
    clouds: {
      mode: 'terraform',
      terraform: { backend },
      // Cloud Run apps run as the VM stack's <name>-apps account, the only one its identity may act as.
      ...(options.cloud === 'gcp' ? { gcp: { appsServiceAccount: `${options.name}-apps@${options.gcpProject}.iam.gserviceaccount.com` } } : {}),
    },
  };
}
