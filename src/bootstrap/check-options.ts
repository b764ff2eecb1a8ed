// The options user-data.ts writes into files, checked before anything is rendered: a
// value that could break out of its file (a newline, a quote, a leading "-" that a
// command would take for an option) is refused with the option's name.

import { awsFacts } from '../drivers/aws/facts.js';
import { gcpFacts } from '../drivers/gcp/facts.js';
import { carriesCredentials, optionLikePart } from '../sources/manifests/git-url.js';
import { builtRunnerImage, type BootstrapOptions } from './options.js';

export const hostname = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const patterns = {
  name: /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
  gcpProject: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
  // A git ref name without the characters git refuses, and nothing a shell would read.
  branch: /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/,
  stateBucket: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  runnerImage: /^[a-z0-9]([a-z0-9._/:-]*[a-z0-9])?@sha256:[0-9a-f]{64}$/,
  // An npm spec (name@version, scope/name, npm:alias) or a tarball URL: no space, quote,
  // backslash, "$" or backtick, and no leading "-" (npm would read it as a flag).
  pilotPackage: /^(?!-)[A-Za-z0-9@._/:~^=+%?&#,-]{1,500}$/,
  repo: /^[A-Za-z0-9@._/:~+%=-]{1,500}$/,
};

function fail(option: string, value: unknown, rule: string): never {
  throw new Error(`bootstrap option ${option}: ${JSON.stringify(value)} ${rule}`);
}

/** Why a repository URL cannot go into the VM's files, or undefined; the command and the renderer say it alike. */
export function repoProblem(repo: string): string | undefined {
  if (!patterns.repo.test(repo)) return 'has a character a git URL does not need (a space, quote, "$", newline...): give the clone URL';
  if (!/^(https:\/\/|ssh:\/\/|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:)/.test(repo)) return 'is not an https://, ssh:// or user@host:path git URL';
  if (carriesCredentials(repo)) return 'carries a user name or password before the @: remove it (the daemon reads the repository token from PILOT_REPO_TOKEN)';
  const part = optionLikePart(repo);
  return part ? `has a ${part} that starts with "-", which git would read as an option` : undefined;
}

/** The URL as a message may show it: never the credentials it carries. */
export const shownRepo = (repo: string) => JSON.stringify(repo.replace(/\/\/[^/@]*@/, '//…@'));

function checkRepo(repo: string): void {
  const problem = repoProblem(repo);
  if (problem) throw new Error(`bootstrap option repo: ${shownRepo(repo)} ${problem}`);
}

/** Throws an Error naming the first option whose value could break a rendered file. */
export function checkOptions(options: BootstrapOptions): void {
  const { cloud } = options;
  if (cloud !== 'aws' && cloud !== 'gcp') fail('cloud', cloud, 'is not aws or gcp');
  if (!patterns.name.test(options.name)) fail('name', options.name, 'is not a name of lower-case letters, digits and "-" (at most 40)');
  const regions = (cloud === 'aws' ? awsFacts : gcpFacts).regions;
  if (!regions.pattern.test(options.region)) fail('region', options.region, `is not ${regions.label} (e.g. ${regions.example})`);
  if (cloud === 'gcp' && !patterns.gcpProject.test(options.gcpProject ?? '')) fail('gcpProject', options.gcpProject, 'is not a GCP project id (required on gcp)');
  if (options.domain !== undefined && !hostname.test(options.domain)) fail('domain', options.domain, 'is not a lower-case DNS name such as pilot.example.com');
  checkRepo(options.repo);
  if (!patterns.branch.test(options.branch)) fail('branch', options.branch, 'is not a branch name');
  if (!patterns.stateBucket.test(options.stateBucket)) fail('stateBucket', options.stateBucket, 'is not a bucket name');
  if (options.runnerImage !== builtRunnerImage && !patterns.runnerImage.test(options.runnerImage)) fail('runnerImage', options.runnerImage, 'is not an image pinned by digest (registry/name@sha256:<64 hex>)');
  if (options.pilotBundle) {
    const { file, key, sha256 } = options.pilotBundle;
    if (!/^[A-Za-z0-9._-]+\.tgz$/.test(file) || options.pilotPackage !== file) fail('pilotBundle.file', file, 'is not a tarball name (and the same as pilotPackage)');
    if (!/^[A-Za-z0-9._/-]+\.tgz$/.test(key)) fail('pilotBundle.key', key, 'is not an object key of the state bucket');
    if (!/^[0-9a-f]{64}$/.test(sha256)) fail('pilotBundle.sha256', sha256, 'is not a hex SHA-256');
  }
  if (!patterns.pilotPackage.test(options.pilotPackage)) fail('pilotPackage', options.pilotPackage, 'is not an npm package spec or tarball URL');
  if (typeof options.shareDatabaseNetwork !== 'boolean') fail('shareDatabaseNetwork', options.shareDatabaseNetwork, 'is not true or false');
}
