// The flags every command shares for Pilot's settings, resolved through the same
// function the daemon uses (src/app/settings.ts): --config file, then PILOT_*
// variables, then these flags. Secrets are never taken from flags.

import path from 'node:path';
import { resolveSettings, type Overrides, type Reader, type Settings } from '../app/settings.js';
import { readConfigFile } from '../app/settings-file.js';
import { ConfigError } from '../app/setting-values.js';
import type { CloudMode } from '../drivers/clouds.js';
import type { TlsMode } from '../waypoint/client/connection.js';
import { isPilotError } from '../reconciler/errors.js';
import { choiceOption, stringOption, type Options, type ParsedArgs } from './command.js';
import { UsageError, UserError } from './errors.js';
import type { Io } from './io.js';

export const stateFlags: Options = { 'state-dir': { type: 'string' }, config: { type: 'string' } };
export const waypointFlags: Options = { ...stateFlags, waypoint: { type: 'string' }, 'waypoint-tls': { type: 'string' }, 'waypoint-ca': { type: 'string' }, 'waypoint-token': { type: 'string' } };
export const cloudFlags: Options = { ...stateFlags, clouds: { type: 'string' }, terraform: { type: 'string' }, 'terraform-mirror': { type: 'string' } };

export const stateHelp = `  --config FILE              pilot.config.yaml: every section the daemon reads
                             (flags, then PILOT_* variables, then the file)
  --state-dir DIR            where Pilot keeps state.db (default $PILOT_HOME, else ~/.pilot);
                             PILOT_STATE_URL (or state.url) names a PostgreSQL store instead`;

export const waypointHelp = `Waypoint connection (flags, else environment, else --config):
  --waypoint ADDR            host:port of the Waypoint server     PILOT_WAYPOINT_ADDR
  --waypoint-tls MODE        verify | skip-verify | off            PILOT_WAYPOINT_TLS
                             (default verify; off only on loopback)
  --waypoint-ca FILE         CA certificate for verify             PILOT_WAYPOINT_CA
  token: PILOT_WAYPOINT_TOKEN or waypoint.token in --config (never a flag: flags
  show in the process list)`;

export const cloudHelp = `Clouds (flags, else environment, else the clouds section of --config):
  --clouds MODE              terraform (default) | stand-in | off   PILOT_CLOUDS
                             stand-in: terraform_data in place of the clouds
  --terraform PATH           the terraform binary                    PILOT_TERRAFORM
  --terraform-mirror DIR     provider mirror for offline machines    PILOT_TERRAFORM_MIRROR`;

const tlsModes = ['verify', 'skip-verify', 'off'] as const satisfies readonly TlsMode[];
const cloudModes = ['terraform', 'stand-in', 'off'] as const satisfies readonly CloudMode[];

/**
 * The flags a command was given, as overrides; paths resolved against the working folder.
 * A flag's value is checked here, so a wrong one is wrong usage (exit 2); the same value
 * from a variable or the file is a configuration error (exit 1).
 */
function overridesOf(args: ParsedArgs, io: Io): Overrides {
  if (stringOption(args, 'waypoint-token') !== undefined) {
    throw new UsageError('--waypoint-token is not accepted: flags show in the process list; set PILOT_WAYPOINT_TOKEN or waypoint.token in --config');
  }
  // Checked only: the value itself is passed on below (the fallbacks are unused).
  choiceOption(args, 'waypoint-tls', tlsModes, 'verify');
  choiceOption(args, 'clouds', cloudModes, 'terraform');
  const overrides: Overrides = {};
  const put = (key: keyof Overrides, flag: string, isPath = false) => {
    const value = stringOption(args, flag);
    if (value !== undefined) (overrides as Record<string, string>)[key] = isPath ? path.resolve(io.cwd, value) : value;
  };
  put('repoUrl', 'repo');
  put('branch', 'ref');
  put('stateDir', 'state-dir', true);
  put('waypoint', 'waypoint');
  put('waypointTls', 'waypoint-tls');
  put('waypointCa', 'waypoint-ca', true);
  put('clouds', 'clouds');
  put('terraform', 'terraform', true);
  put('terraformMirror', 'terraform-mirror', true);
  return overrides;
}

/** Settings for a command; `extra` are the command's own overrides (e.g. serve's --poll). */
export function settingsFrom(args: ParsedArgs, io: Io, extra: Overrides = {}, reader: Reader = 'command'): Settings {
  const file = stringOption(args, 'config');
  try {
    const raw = file ? readConfigFile(path.resolve(io.cwd, file)) : {};
    const settings = resolveSettings(raw, io.env, { ...overridesOf(args, io), ...extra }, reader);
    // A relative stateDir in the file is read from where the command runs, as the daemon does.
    return settings.stateDir ? { ...settings, stateDir: path.resolve(io.cwd, settings.stateDir) } : settings;
  } catch (error) {
    if (error instanceof ConfigError || isPilotError(error)) throw new UserError(`configuration: ${error.message}`);
    throw error;
  }
}
