// Pure: what `terraform init` depends on in a stack's configuration, hashed, so init
// runs again only when providers, modules, the backend or the CLI config changed.

import { createHash } from 'node:crypto';
import type { TerraformJson } from '../contract.js';
import { isRecord } from './ui-lines.js';

export function initFingerprint(config: TerraformJson, cliConfig: string): string {
  const blocks = Array.isArray(config.terraform) ? config.terraform : [config.terraform];
  const settings = blocks.filter(isRecord).map((b) => ({ backend: b.backend ?? null, requiredProviders: b.required_providers ?? null }));
  const inputs = {
    settings,
    // Resource types imply their provider by prefix (aws_instance -> aws).
    providers: [...new Set([...typeNames(config.resource), ...typeNames(config.data)].map((t) => t.split('_')[0]))].sort(),
    modules: isRecord(config.module) ? Object.entries(config.module).map(([name, m]) => [name, isRecord(m) ? (m.source ?? null) : null, isRecord(m) ? (m.version ?? null) : null]) : [],
    cliConfig,
  };
  return createHash('sha256').update(canonical(inputs)).digest('hex');
}

function typeNames(section: unknown): string[] {
  return isRecord(section) ? Object.keys(section) : [];
}

/** JSON with sorted keys: the same settings always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
