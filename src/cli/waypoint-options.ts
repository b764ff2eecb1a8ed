// The Waypoint connection from flags, else PILOT_WAYPOINT_* variables.

import type { ConnectionOptions, TlsMode } from '../waypoint/client/connection.js';
import { stringOption, type Options, type ParsedArgs } from './command.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

export const waypointFlags: Options = {
  waypoint: { type: 'string' },
  'waypoint-token': { type: 'string' },
  'waypoint-tls': { type: 'string' },
  'waypoint-ca': { type: 'string' },
};

export const waypointHelp = `Waypoint connection (flags, else environment):
  --waypoint ADDR            host:port of the Waypoint server     PILOT_WAYPOINT_ADDR
  --waypoint-token T         token (prefer the variable: flags     PILOT_WAYPOINT_TOKEN
                             show in the process list)
  --waypoint-tls MODE        verify | skip-verify | off            PILOT_WAYPOINT_TLS
                             (default verify; off only on loopback)
  --waypoint-ca FILE         CA certificate for verify             PILOT_WAYPOINT_CA`;

/** Undefined when no address is given anywhere. */
export function waypointConnection(args: ParsedArgs, io: Io): ConnectionOptions | undefined {
  const address = stringOption(args, 'waypoint') ?? io.env.PILOT_WAYPOINT_ADDR;
  if (!address) return undefined;
  const tls = (stringOption(args, 'waypoint-tls') ?? io.env.PILOT_WAYPOINT_TLS ?? 'verify') as TlsMode;
  if (!['verify', 'skip-verify', 'off'].includes(tls)) throw new UsageError(`--waypoint-tls must be verify, skip-verify or off, not ${JSON.stringify(tls)}`);
  const options: ConnectionOptions = { address, tls };
  const token = stringOption(args, 'waypoint-token') ?? io.env.PILOT_WAYPOINT_TOKEN;
  if (token) options.token = token;
  const ca = stringOption(args, 'waypoint-ca') ?? io.env.PILOT_WAYPOINT_CA;
  if (ca) options.caFile = ca;
  return options;
}
