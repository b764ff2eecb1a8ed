// Names and labels of the Pilot VM's GCP resources, all made from `--name`, and the
// checks of the options they are made from: a bad value fails at synth, not at apply.

import type { BootstrapOptions } from '../../../bootstrap/options.js';
import { labelValue, type Labels } from '../labels.js';

/** Set as the provider's default labels: every resource that takes labels gets them. */
export function vmLabels(options: BootstrapOptions): Labels {
  return { 'pilot-component': 'vm', 'pilot-name': labelValue(options.name) };
}

/** `<name>-vm-<suffix>`: Compute Engine names, service account ids (6 to 30 characters). */
export function vmName(options: BootstrapOptions, ...suffix: string[]): string {
  return [options.name, 'vm', ...suffix].join('-');
}

/** The service account Cloud Run apps run as: no roles of its own. */
export function appsAccountId(options: BootstrapOptions): string {
  return `${options.name}-apps`;
}

/** Custom role ids allow letters, digits, "_" and ".", not "-". */
export function customRoleId(options: BootstrapOptions): string {
  return `${options.name.replaceAll('-', '_')}_vm`;
}

export function webhookSecretId(options: BootstrapOptions): string {
  return `${options.name}-webhook-secret`;
}

/** The network tag the firewall rules select the VM by. */
export function networkTag(options: BootstrapOptions): string {
  return vmName(options);
}

/** 3 to 20 characters keeps `<name>-apps` (the longest id) within a service account's 6 to 30. */
const namePattern = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;
const bucketPattern = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

export function checkGcpOptions(options: BootstrapOptions): string {
  if (options.cloud !== 'gcp') throw new Error(`the GCP VM stack was asked for cloud ${options.cloud}`);
  if (!options.gcpProject) throw new Error('a GCP VM needs --gcp-project');
  if (!namePattern.test(options.name)) throw new Error(`--name "${options.name}": use 3 to 20 lower case letters, digits and dashes, starting with a letter`);
  if (!bucketPattern.test(options.stateBucket) || /g[o0]{2}g[l1]e/.test(options.stateBucket)) {
    throw new Error(`state bucket "${options.stateBucket}" is not a Cloud Storage bucket name`);
  }
  if (!Number.isInteger(options.diskGb) || options.diskGb < 10) throw new Error(`disk size ${options.diskGb} GB: the Ubuntu image needs at least 10`);
  return options.gcpProject;
}
