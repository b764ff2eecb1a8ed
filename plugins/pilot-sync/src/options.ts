// Turns the flags into one typed, checked set of options; every rule of the command line lives here.

import type { Flags, FlagName } from './args.js';
import { UsageError } from './errors.js';

export type SiteSource = { kind: 'image'; image: string; imagePath: string } | { kind: 'dir'; dir: string };

interface CommonOptions {
  bucket: string;
  site: SiteSource;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  concurrency: number;
}

export interface AwsOptions extends CommonOptions {
  provider: 'aws';
  region: string;
  distribution: string | undefined;
}

export interface GcpOptions extends CommonOptions {
  provider: 'gcp';
  project: string;
  urlMap: string | undefined;
}

export type SyncOptions = AwsOptions | GcpOptions;

// S3 and Cloud Storage names share this shape (lower case, digits, dots, dashes; GCS adds "_").
const bucketPattern = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const distributionPattern = /^[A-Z0-9]{1,64}$/;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const projectPattern = /^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const urlMapPattern = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const imagePattern = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

function checked(flags: Flags, name: FlagName, pattern: RegExp, what: string): string | undefined {
  const value = flags[name];
  if (value !== undefined && !pattern.test(value)) throw new UsageError(`--${name} "${value}" is not ${what}`);
  return value;
}

function required(value: string | undefined, name: FlagName, why: string): string {
  if (value === undefined) throw new UsageError(`--${name} is required ${why}`);
  return value;
}

function number(flags: Flags, name: FlagName, fallback: number, integer: boolean): number {
  const text = flags[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} "${text}" is not a positive ${integer ? 'whole ' : ''}number`);
  }
  return value;
}

function refuse(flags: Flags, names: readonly FlagName[], provider: string): void {
  for (const name of names) {
    if (flags[name] !== undefined) throw new UsageError(`--${name} does not apply to --provider ${provider}`);
  }
}

function siteSource(flags: Flags): SiteSource {
  const image = checked(flags, 'image', imagePattern, 'a Docker image reference');
  const dir = flags.dir;
  if ((image === undefined) === (dir === undefined)) throw new UsageError('give exactly one of --image and --dir');
  if (dir !== undefined) {
    if (flags['image-path'] !== undefined) throw new UsageError('--image-path goes with --image, not --dir');
    return { kind: 'dir', dir };
  }
  const imagePath = (flags['image-path'] ?? '/site').replace(/\/+$/, '');
  if (!imagePath.startsWith('/') || imagePath.split('/').includes('..')) {
    throw new UsageError(`--image-path "${flags['image-path']}" must be an absolute folder path other than /`);
  }
  return { kind: 'image', image: image ?? '', imagePath };
}

export function toOptions(flags: Flags, env: NodeJS.ProcessEnv): SyncOptions {
  const provider = required(flags.provider, 'provider', '(aws or gcp)');
  if (provider !== 'aws' && provider !== 'gcp') throw new UsageError(`--provider "${provider}" is not aws or gcp`);
  const common: CommonOptions = {
    bucket: required(checked(flags, 'bucket', bucketPattern, 'a bucket name'), 'bucket', '(the bucket that hosts the site)'),
    site: siteSource(flags),
    waitTimeoutMs: number(flags, 'wait-timeout', 900, false) * 1000,
    pollIntervalMs: number(flags, 'poll-interval', 5, false) * 1000,
    concurrency: number(flags, 'concurrency', 8, true),
  };
  if (provider === 'aws') {
    refuse(flags, ['project', 'url-map'], provider);
    const region = checked(flags, 'region', regionPattern, 'an AWS region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (region === undefined || !regionPattern.test(region)) throw new UsageError('--region is required for aws (or set AWS_REGION)');
    const distribution = checked(flags, 'distribution', distributionPattern, 'a CloudFront distribution id');
    return { ...common, provider, region, distribution };
  }
  refuse(flags, ['region', 'distribution'], provider);
  const project = required(checked(flags, 'project', projectPattern, 'a Google Cloud project id'), 'project', 'for gcp');
  const urlMap = checked(flags, 'url-map', urlMapPattern, 'a URL map name');
  return { ...common, provider, project, urlMap };
}
