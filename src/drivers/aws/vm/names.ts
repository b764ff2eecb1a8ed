// Names and tags of the Pilot VM's AWS resources, all made from `--name`, and the
// checks of the options they are made from: a bad value fails at synth, not at apply.

import type { BootstrapOptions } from '../../../bootstrap/options.js';

export type Tags = Record<string, string>;

/** Every taggable resource of the VM stack carries these (set once, as the provider's default tags). */
export function vmTags(options: BootstrapOptions): Tags {
  return { 'pilot:component': 'vm', 'pilot:name': options.name };
}

/** The console's Name column: `<name>-vm`, `<name>-vm-public`, ... */
export function nameTag(options: BootstrapOptions, ...suffix: string[]): Tags {
  return { Name: [options.name, 'vm', ...suffix].join('-') };
}

/** `<name>-vm-<suffix>`: IAM role and policy names (≤ 64) and security group names. */
export function vmName(options: BootstrapOptions, ...suffix: string[]): string {
  return [options.name, 'vm', ...suffix].join('-');
}

/** Secrets Manager allows "/" in names: `<name>/webhook-secret`, as the command and cloud-init expect. */
export function webhookSecretName(options: BootstrapOptions): string {
  return `${options.name}/webhook-secret`;
}

const namePattern = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Throws on options no AWS name or rule could be made from; the command checks them first, this is the last line. */
export function checkAwsOptions(options: BootstrapOptions): void {
  if (options.cloud !== 'aws') throw new Error(`the AWS VM stack was asked for cloud ${options.cloud}`);
  if (!namePattern.test(options.name)) throw new Error(`--name "${options.name}": use 1 to 20 lower case letters, digits and dashes, starting with a letter`);
  if (!bucketPattern.test(options.stateBucket)) throw new Error(`state bucket "${options.stateBucket}" is not an S3 bucket name`);
  if (!Number.isInteger(options.diskGb) || options.diskGb < 8) throw new Error(`disk size ${options.diskGb} GB: Ubuntu needs at least 8`);
}
