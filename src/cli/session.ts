// Opens what a reconciling command needs: the state store and, when configured, Waypoint.

import path from 'node:path';
import type { StateStore, WaypointPort } from '../reconciler/ports.js';
import { defaultStateDir, openSqliteStore, stateDbPath } from '../store/index.js';
import { WaypointClient } from '../waypoint/client/client.js';
import type { ConnectionOptions } from '../waypoint/client/connection.js';
import { waypointPort } from '../waypoint/reconciler-port.js';
import { readSecret } from '../daemon/config.js';
import { jobAuthFor, resolveSourceCredentials, type SourceCredentials } from '../sources/git/source-credentials.js';
import { stringOption, type Options, type ParsedArgs } from './command.js';
import type { Io } from './io.js';
import { waypointConnection } from './waypoint-options.js';

export const stateFlags: Options = { 'state-dir': { type: 'string' } };

export const stateHelp = `  --state-dir DIR            where Pilot keeps state.db (default $PILOT_HOME, else ~/.pilot)`;

export interface Session {
  store: StateStore;
  stateFile: string;
  client?: WaypointClient;
  waypoint?: WaypointPort;
  connection?: ConnectionOptions;
  /** Credentials for private app repositories (PILOT_SOURCE_*). */
  sources?: SourceCredentials;
  close(): void;
}

/** PILOT_SOURCE_TOKEN (or PILOT_SOURCE_SSH_KEY_FILE) for repositories on PILOT_SOURCE_HOST (default github.com). */
function sourceCredentials(io: Io): SourceCredentials | undefined {
  const env = io.env;
  return resolveSourceCredentials(
    {
      host: env.PILOT_SOURCE_HOST ?? 'github.com',
      ...(env.PILOT_SOURCE_USERNAME ? { username: env.PILOT_SOURCE_USERNAME } : {}),
      ...(env.PILOT_SOURCE_TOKEN ? { token: env.PILOT_SOURCE_TOKEN } : {}),
      ...(env.PILOT_SOURCE_SSH_KEY_FILE ? { sshKeyFile: env.PILOT_SOURCE_SSH_KEY_FILE } : {}),
    },
    (file) => readSecret({ file }, env, 'PILOT_SOURCE_SSH_KEY_FILE'),
  );
}

export function stateDir(args: ParsedArgs, io: Io): string {
  const dir = stringOption(args, 'state-dir');
  return dir ? path.resolve(io.cwd, dir) : defaultStateDir(io.env);
}

export async function openSession(args: ParsedArgs, io: Io): Promise<Session> {
  const stateFile = stateDbPath(stateDir(args, io));
  const sources = sourceCredentials(io);
  const store = openSqliteStore(stateFile);
  const connection = waypointConnection(args, io);
  let client: WaypointClient | undefined;
  try {
    client = connection ? await WaypointClient.connect(connection) : undefined;
  } catch (error) {
    store.close();
    throw error;
  }
  return {
    store,
    stateFile,
    ...(client ? { client, waypoint: waypointPort(client, { sourceAuth: (repo) => jobAuthFor(sources, repo) }) } : {}),
    ...(connection ? { connection } : {}),
    ...(sources ? { sources } : {}),
    close() {
      client?.close();
      store.close();
    },
  };
}
