// The clouds' stand-in for tests and `pilot serve --demo`: a synthesized stack with
// every cloud resource replaced by Terraform's built-in `terraform_data`, so the real
// terraform binary plans, applies, keeps state and reads outputs with no provider and
// no network. Outputs get plausible values; secrets are derived inside Terraform from
// a random id it keeps in state, so no value is ever written to a file Pilot renders.

import { createHash } from 'node:crypto';
import { resourcesOf, type ResourceBlocks, type TerraformJson } from './contract.js';

const seed = 'pilot_stand_in_seed';
const separator = '__';

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

const isLiteral = (value: unknown) => (typeof value === 'string' && !value.includes('${')) || typeof value === 'number';

/**
 * A reference to an attribute the configuration sets literally gives that value
 * (`username = "pilot"`); ports are 5432; the rest "stand-in-<name>-<attribute>".
 */
function standInValue(value: unknown, output: string, resources: ResourceBlocks): unknown {
  if (Array.isArray(value)) return value.map((v, i) => standInValue(v, `${output}-${i}`, resources));
  if (typeof value !== 'string' || !value.includes('${')) return value;
  const reference = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)(\[[0-9*]+\])?\}$/.exec(value);
  if (!reference) return `stand-in-${output}`;
  const [, type, name, attribute] = reference as unknown as [string, string, string, string];
  const set = resources[type]?.[name]?.[attribute];
  if (isLiteral(set)) return set;
  if (attribute === 'port') return 5432;
  if (attribute === 'private_ip_address' || attribute === 'address') return `${name}.stand-in.internal`;
  if (type === 'aws_cloudfront_distribution' && attribute === 'id') return standInDistributionId(name);
  return `stand-in-${name}-${attribute}`;
}

/** A CloudFront distribution id as CloudFront shapes them (E + 13 upper-case letters and digits). */
export function standInDistributionId(resource: string): string {
  return `E${createHash('sha256').update(resource).digest('hex').slice(0, 13).toUpperCase()}`;
}

/** The stand-in configuration of a synthesized stack. */
export function standInConfig(config: TerraformJson): TerraformJson {
  const resources: Record<string, Record<string, unknown>> = { [seed]: { input: 'pilot stand-in' } };
  for (const [type, byName] of Object.entries(resourcesOf(config))) {
    for (const [name, body] of Object.entries(byName)) {
      const { ['//']: _metadata, depends_on: _dependsOn, lifecycle: _lifecycle, provider: _provider, ...settings } = body;
      resources[`${type}${separator}${name}`] = { input: digest(settings) };
    }
  }
  const output: Record<string, unknown> = {};
  for (const [name, body] of Object.entries((config.output ?? {}) as Record<string, { value: unknown; sensitive?: boolean }>)) {
    output[name] = body.sensitive
      ? { value: `\${substr(sha256("\${terraform_data.${seed}.id}/${name}"), 0, 32)}`, sensitive: true }
      : { value: standInValue(body.value, name, resourcesOf(config)) };
  }
  return { terraform: { required_version: '>= 1.5' }, resource: { terraform_data: resources }, output };
}

/** A line of terraform's output about the stand-in's own seed, which the real stack lacks. */
export function isStandInSeed(text: string): boolean {
  return text.includes(`terraform_data.${seed}`);
}

/** Every stand-in address in a line of terraform's output, written as the real stack's. */
export function realAddresses(text: string): string {
  return text.replace(/terraform_data\.([a-z0-9_]+?)__([A-Za-z0-9_-]+)/g, '$1.$2');
}

/** aws_db_instance.db-main -> terraform_data.aws_db_instance__db-main: where the stand-in keeps a real address. */
export function standInAddress(address: string): string {
  const dot = address.indexOf('.');
  return `terraform_data.${address.slice(0, dot)}${separator}${address.slice(dot + 1)}`;
}

/**
 * A progress line of terraform's as a person should see it during an apply, or undefined
 * to leave it out: apply repeats the plan's "x: Plan to create" lines (the plan was shown
 * already), and the stand-in's seed and addresses are its own, not the real stack's.
 */
export function applyProgressLine(message: string, standIn: boolean): string | undefined {
  if (/ Plan to \w+$/.test(message) || (standIn && isStandInSeed(message))) return undefined;
  return standIn ? realAddresses(message) : message;
}

/** terraform_data.aws_db_instance__db-main -> aws_db_instance.db-main; the seed -> undefined. */
export function realAddress(address: string): string | undefined {
  const match = /^terraform_data\.([a-z0-9_]+?)__(.+)$/.exec(address);
  if (match) return `${match[1]}.${match[2]}`;
  return address === `terraform_data.${seed}` ? undefined : address;
}
