// Where each file of deploy/cloud-init/ goes on the VM, read from the package's own copy
// (from src/ under tsx or dist/ after the build alike: both are two folders down).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const cloudInitDir = fileURLToPath(new URL('../../deploy/cloud-init/', import.meta.url));

/** The boot scripts and Caddy templates live here; the units call them by this path. */
export const libDir = '/usr/local/lib/pilot';

export interface PlacedFile {
  /** Name in deploy/cloud-init/. */
  source: string;
  path: string;
  permissions: '0644' | '0755';
}

const script = (source: string): PlacedFile => ({ source, path: `${libDir}/${source}`, permissions: '0755' });
const unit = (source: string): PlacedFile => ({ source, path: `/etc/systemd/system/${source}`, permissions: '0644' });

export const placedFiles: readonly PlacedFile[] = [
  script('metadata.sh'),
  script('install-pilot.sh'),
  script('fetch-pilot-package.sh'),
  script('build-runner-image.sh'),
  script('fetch-webhook-secret.sh'),
  script('configure.sh'),
  script('runner-token.sh'),
  { source: 'Caddyfile.domain', path: `${libDir}/Caddyfile.domain`, permissions: '0644' },
  { source: 'Caddyfile.ip', path: `${libDir}/Caddyfile.ip`, permissions: '0644' },
  // Written before docker.io is installed, so Docker starts with it: no "hosts" key,
  // the API stays on the unix socket.
  { source: 'daemon.json', path: '/etc/docker/daemon.json', permissions: '0644' },
  unit('pilot-configure.service'),
  unit('pilot-webhook-secret.service'),
  unit('waypoint-server.service'),
  unit('waypoint-runner.service'),
  unit('pilot.service'),
];

export function readCloudInitFile(source: string): string {
  try {
    return readFileSync(`${cloudInitDir}${source}`, 'utf8');
  } catch {
    throw new Error(`cannot read ${cloudInitDir}${source}: the user-data embeds it (the package needs its deploy/ folder)`);
  }
}
