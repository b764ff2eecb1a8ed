// The daemon's own Waypoint token (waypoint.token: { file, bootstrap: true }): when the
// file does not exist at the start of `pilot serve`, the daemon asks the fresh server
// for its first token (BootstrapToken, which works once per server) and keeps it there.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Logger } from '../reconciler/logger.js';
import { WaypointClient } from '../waypoint/client/client.js';
import type { ConnectionOptions } from '../waypoint/client/connection.js';
import { grpcCode } from '../waypoint/client/errors.js';
import { ConfigError, readSecret } from './setting-values.js';
import type { Settings } from './settings.js';

const where = 'waypoint.token';

function alreadyBootstrapped(file: string, address: string): ConfigError {
  return new ConfigError(
    `${where}: ${file} does not exist, and Waypoint at ${address} is already bootstrapped (it hands out its first token only once). ` +
      `Make a token where the waypoint CLI is logged in to this server ('waypoint user token', formerly 'waypoint token new'), ` +
      `write it to ${file} readable by the daemon's user only (chmod 600 ${file}), then start the daemon again`,
  );
}

function cannotWrite(file: string, error: unknown): ConfigError {
  return new ConfigError(`${where}: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): the daemon's user must be able to create files in ${path.dirname(file)}`);
}

/** Syncs a folder, so the name just linked into it survives a power cut. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Asks the server for its first token and links it into `file`, never replacing one.
 * The temporary file (same folder, O_EXCL, 0600) is made before the call: a folder the
 * daemon cannot write is found before the server's only bootstrap is spent.
 */
async function bootstrapInto(file: string, connection: Omit<ConnectionOptions, 'token'>): Promise<string> {
  const folder = path.dirname(file);
  const temporary = path.join(folder, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await mkdir(folder, { recursive: true, mode: 0o700 })
    .then(() => open(temporary, 'wx', 0o600))
    .catch((error: unknown) => {
      throw cannotWrite(file, error);
    });
  try {
    const client = await WaypointClient.connect(connection);
    let token: string;
    try {
      token = await client.bootstrapToken();
    } finally {
      client.close();
    }
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
      await handle.close();
      // link() fails when the name exists, where rename() would replace it.
      await link(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ConfigError(`${where}: ${file} appeared while the daemon was making its token (another pilot serve?); it was left as it is: start the daemon again to use it`);
      }
      throw new ConfigError(
        `${where}: Waypoint handed out its first token but ${file} could not be written (${(error as NodeJS.ErrnoException).code ?? 'error'}), so the token is lost: ` +
          `fix the folder, then start from a fresh Waypoint server (its data reset), which hands out a first token again`,
      );
    }
    await syncFolder(folder);
    return token;
  } finally {
    // Linked or not, the temporary name goes: `file` is either whole or absent.
    await handle.close().catch(() => {});
    await unlink(temporary).catch(() => {});
  }
}

/**
 * The settings with the daemon's token: made when the settings name a file to make
 * (settings.ts sets bootstrapTokenFile for the daemon only), else unchanged.
 */
export async function withWaypointToken(settings: Settings, logger: Logger): Promise<Settings> {
  const waypoint = settings.waypoint;
  if (!waypoint?.bootstrapTokenFile || waypoint.token) return settings;
  const { bootstrapTokenFile: file, ...connection } = waypoint;
  let token: string;
  try {
    token = await bootstrapInto(file, connection);
    logger.info({ file }, 'waypoint token made with BootstrapToken');
  } catch (error) {
    if (grpcCode(error) !== status.PERMISSION_DENIED) throw error;
    // Another daemon may have made it in the meantime: its file is the token.
    if (!existsSync(file)) throw alreadyBootstrapped(file, waypoint.address);
    token = readSecret({ file }, {}, where);
    logger.info({ file }, 'waypoint token read: made meanwhile by another daemon');
  }
  return { ...settings, waypoint: { ...connection, token } };
}
