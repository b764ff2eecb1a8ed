// The daemon's one logger: JSON lines (pretty on a terminal), every secret path redacted.

import { pino, type Logger as PinoLogger } from 'pino';

/** Paths that could hold a secret, wherever they appear in a log record. */
export const redactPaths = [
  'token', '*.token', '*.*.token', 'password', '*.password', 'secret', '*.secret', 'secrets', '*.secrets',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'waypointToken', 'webhookSecrets',
  'config.waypoint.token', 'config.repository.token', 'config.github.token', 'config.webhookSecrets', 'value', '*.value',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): PinoLogger {
  return pino(
    { level: options.level ?? 'info', redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'pilot' } },
    (options.destination ?? process.stdout) as pino.DestinationStream,
  );
}

export type { PinoLogger };
