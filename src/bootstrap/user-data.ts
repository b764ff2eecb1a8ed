// The Pilot VM's cloud-init user-data: the files of deploy/cloud-init/, the packages and
// the apt sources they come from (keys pinned by fingerprint), and the first-boot
// command. Nothing secret is in it; the same options always give the same text.

import { stringify } from 'yaml';
import { checkOptions } from './check-options.js';
import { libDir, placedFiles, readCloudInitFile } from './cloud-init-files.js';
import type { BootstrapOptions } from './options.js';
import { builtRunnerImage, vmPaths } from './options.js';
import { pilotConfig } from './pilot-config.js';

/** Fetched from keyserver.ubuntu.com by full fingerprint; apt trusts each key for its source only. */
const aptSources = {
  // Ubuntu noble's nodejs is 18; Pilot needs 20.19 or newer.
  'nodesource.list': {
    source: 'deb [signed-by=$KEY_FILE] https://deb.nodesource.com/node_22.x nodistro main',
    keyid: '6F71F525282841EEDAF851B42F59B5F99B1BE0B4',
    keyserver: 'keyserver.ubuntu.com',
  },
  'hashicorp.list': {
    source: 'deb [signed-by=$KEY_FILE] https://apt.releases.hashicorp.com $RELEASE main',
    keyid: '798AEC654E5C15428C8E42EEAA16FCBCA621E701',
    keyserver: 'keyserver.ubuntu.com',
  },
};

/** The Terraform Pilot is tested with, pinned (install-pilot.sh holds it there). */
export const terraformPackageVersion = '1.11.4-1';

const packages = [
  'ca-certificates', 'curl', 'openssl', 'python3', 'python3-yaml',
  'docker.io', 'caddy', 'nodejs', ['terraform', terraformPackageVersion],
];

/** /etc/pilot/boot.env: what the boot scripts and units need to know, in a form both shell and systemd read. */
function bootEnv(options: BootstrapOptions): string {
  const values: Array<[string, string]> = [
    ['PILOT_CLOUD', options.cloud],
    ['PILOT_NAME', options.name],
    ['PILOT_REGION', options.region],
    ['PILOT_GCP_PROJECT', options.gcpProject ?? ''],
    ['PILOT_DOMAIN', options.domain ?? ''],
    ['PILOT_SSH', String(options.sshCidr !== undefined)],
    ['PILOT_SHARE_NETWORK', String(options.shareDatabaseNetwork)],
    ['PILOT_RUNNER_IMAGE', options.runnerImage],
    ['PILOT_BUILD_RUNNER', String(options.runnerImage === builtRunnerImage)],
    ['PILOT_PACKAGE', options.pilotPackage],
    ['PILOT_STATE_BUCKET', options.stateBucket],
    ['PILOT_BUNDLE_KEY', options.pilotBundle?.key ?? ''],
    ['PILOT_BUNDLE_SHA256', options.pilotBundle?.sha256 ?? ''],
  ];
  // checkOptions let no quote, newline, "$" or backslash through: single quotes hold every value as it is.
  return `# Written by cloud-init (src/bootstrap/user-data.ts): the facts the boot scripts read. No secret.\n${values.map(([k, v]) => `${k}='${v}'\n`).join('')}`;
}

export function renderUserData(options: BootstrapOptions): string {
  checkOptions(options);
  const config = `# The daemon's config as rendered by pilot bootstrap; configure.sh adds what the VM knows\n# at each boot and writes ${vmPaths.config}.\n${stringify(pilotConfig(options), { lineWidth: 0 })}`;
  const writeFiles = [
    { path: '/etc/pilot/boot.env', content: bootEnv(options), permissions: '0644' },
    { path: '/etc/pilot/pilot.config.base.yaml', content: config, permissions: '0640' },
    ...placedFiles.map((file) => ({ path: file.path, content: readCloudInitFile(file.source), permissions: file.permissions })),
  ];
  const cloudConfig = {
    apt: { sources: aptSources },
    package_update: true,
    packages,
    write_files: writeFiles,
    runcmd: [[`${libDir}/install-pilot.sh`]],
  };
  return `#cloud-config\n${stringify(cloudConfig, { lineWidth: 0, blockQuote: 'literal' })}`;
}
