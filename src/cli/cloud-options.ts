// Cloud settings for CLI commands: --clouds and the terraform flags, else PILOT_*
// variables, else the `clouds` section of the --config file.

import path from 'node:path';
import { ConfigError, readConfigFile } from '../daemon/config.js';
import { openClouds, type Clouds } from '../drivers/clouds.js';
import { mergeClouds, resolveClouds, type RawClouds } from '../drivers/settings.js';
import { isPilotError } from '../reconciler/errors.js';
import { stringOption, type Options, type ParsedArgs } from './command.js';
import { UserError } from './errors.js';
import { paint, useColour, type Io } from './io.js';

export const cloudFlags: Options = {
  clouds: { type: 'string' },
  terraform: { type: 'string' },
  'terraform-mirror': { type: 'string' },
  config: { type: 'string' },
};

export const cloudHelp = `Clouds (flags, else environment, else the clouds section of --config):
  --clouds MODE              terraform (default) | stand-in | off   PILOT_CLOUDS
                             stand-in: terraform_data in place of the clouds
  --terraform PATH           the terraform binary                    PILOT_TERRAFORM
  --terraform-mirror DIR     provider mirror for offline machines    PILOT_TERRAFORM_MIRROR
  --config FILE              pilot.config.yaml (network, state backend)`;

/** The clouds section of --config with the flags and PILOT_* variables over it. */
export function cloudSettingsFrom(args: ParsedArgs, io: Io): RawClouds {
  const file = stringOption(args, 'config');
  try {
    const raw = file ? (readConfigFile(path.resolve(io.cwd, file)).clouds ?? {}) : {};
    const resolved = (name: string) => (stringOption(args, name) ? path.resolve(io.cwd, stringOption(args, name)!) : undefined);
    const overrides = {
      ...(stringOption(args, 'clouds') ? { mode: stringOption(args, 'clouds')! } : {}),
      ...(resolved('terraform') ? { binary: resolved('terraform')! } : {}),
      ...(resolved('terraform-mirror') ? { mirror: resolved('terraform-mirror')! } : {}),
    };
    return mergeClouds(raw, io.env, overrides);
  } catch (error) {
    if (error instanceof ConfigError || isPilotError(error)) throw new UserError(error.message);
    throw error;
  }
}

/** `progress`: print terraform's progress under the stack's action (apply in text mode). */
export function cloudsFrom(args: ParsedArgs, io: Io, stateDir: string, progress = false): Clouds {
  const dim = paint(useColour(io)).dim;
  const hooks = progress ? { onProgress: (stack: string, message: string) => io.stdout.write(dim(`      | ${stack}: ${message}\n`)) } : {};
  return openClouds(resolveClouds(cloudSettingsFrom(args, io), stateDir), hooks);
}
