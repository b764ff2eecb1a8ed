// The logging port: pino's Logger fits it; tests and the CLI may pass their own.
// Messages are fixed strings; variable facts go in the data object. Never secrets.

export interface Logger {
  debug(data: object, message: string): void;
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
