// The daemon's one logger: JSON lines (or lines for people with --log-format pretty),
// every secret path redacted.

import { pino, type Logger as PinoLogger } from 'pino';
import { prettyStream } from './pretty-log.js';

/** Paths that could hold a secret, wherever they appear in a log record. */
export const redactPaths = [
  'token', '*.token', '*.*.token', 'password', '*.password', 'secret', '*.secret', 'secrets', '*.secrets',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'waypointToken', 'webhookSecrets', 'apiToken', '*.apiToken',
  'config.waypoint.token', 'config.repository.token', 'config.github.token', 'config.webhookSecrets', 'value', '*.value',
];

export interface LoggerOptions {
  level?: string;
  destination?: NodeJS.WritableStream;
  /** json (default): a JSON object per line. pretty: a line for people (see pretty-log.ts). */
  format?: 'json' | 'pretty';
  /** pretty only: colour the level. */
  colour?: boolean;
}

export function createLogger(options: LoggerOptions = {}): PinoLogger {
  const target = options.destination ?? process.stdout;
  const destination = options.format === 'pretty' ? prettyStream(target, options.colour === true) : target;
  return pino(
    { level: options.level ?? 'info', redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'pilot' } },
    destination as pino.DestinationStream,
  );
}

export type { PinoLogger };
