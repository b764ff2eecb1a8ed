// The Waypoint emulator: a real gRPC server speaking the subset of Waypoint v0.11's API
// in ../proto/server.proto, with the real server's checks, codes and job behaviour.

export { startEmulator, type Emulator, type EmulatorOptions } from './server.js';
export type { FailApps, FailTarget, Faults } from './faults.js';
export type { Job, QueueJobRequest, Received } from './types.js';
export type { AppLockMode } from './state.js';
export { formatHcl, HclSyntaxError } from './hcl-fmt.js';
export { generateToken } from './tokens.js';
export { emulatorVersion } from './handlers.js';
