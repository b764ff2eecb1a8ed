// The terraform CLI configuration Pilot owns (TF_CLI_CONFIG_FILE): plugin cache and,
// on offline VMs, a filesystem mirror as the only place providers come from.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PilotError } from '../../reconciler/errors.js';

export interface CliConfigOptions {
  pluginCache: string;
  mirror?: string;
}

/**
 * The file's text. With a mirror there is no `direct` installation method at all, so
 * init never reaches the network: a provider missing from the mirror fails at once.
 */
export function cliConfigText(options: CliConfigOptions): string {
  const lines = ['# Written by Pilot; edits are overwritten.', 'disable_checkpoint = true', `plugin_cache_dir = ${quote(options.pluginCache, 'pluginCache')}`];
  if (options.mirror !== undefined) {
    lines.push('provider_installation {', '  filesystem_mirror {', `    path = ${quote(options.mirror, 'mirror')}`, '  }', '}');
  }
  return lines.join('\n') + '\n';
}

/**
 * A quoted string for terraform's CLI config parser (HCL 1). Terraform expands
 * environment variables in some of these settings (`$x` became empty in a test), and
 * there is no escape for `$`, so such paths are refused rather than silently changed.
 */
export function quote(value: string, setting: string): string {
  if (!path.isAbsolute(value)) throw configError(setting, value, 'must be an absolute path');
  if (/[\u0000-\u001f\u007f$]/.test(value)) throw configError(setting, value, 'must not contain "$" or control characters');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Writes the file (atomically: a running terraform never reads half of it); returns its path. */
export async function writeCliConfig(dir: string, options: CliConfigOptions): Promise<string> {
  await mkdir(options.pluginCache, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'terraformrc');
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, cliConfigText(options), { mode: 0o600 });
  await rename(temporary, file);
  return file;
}

function configError(setting: string, value: string, problem: string): PilotError {
  return new PilotError('stalled', 'terraform.config', `terraform setting ${setting} (${JSON.stringify(value)}) ${problem}`);
}
