// Opens what a reconciling command needs: the state store and, when configured, Waypoint.

import path from 'node:path';
import type { StateStore, WaypointPort } from '../reconciler/ports.js';
import { defaultStateDir, openSqliteStore, stateDbPath } from '../store/index.js';
import { WaypointClient } from '../waypoint/client/client.js';
import type { ConnectionOptions } from '../waypoint/client/connection.js';
import { waypointPort } from '../waypoint/reconciler-port.js';
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
  close(): void;
}

export function stateDir(args: ParsedArgs, io: Io): string {
  const dir = stringOption(args, 'state-dir');
  return dir ? path.resolve(io.cwd, dir) : defaultStateDir(io.env);
}

export async function openSession(args: ParsedArgs, io: Io): Promise<Session> {
  const stateFile = stateDbPath(stateDir(args, io));
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
    ...(client ? { client, waypoint: waypointPort(client) } : {}),
    ...(connection ? { connection } : {}),
    close() {
      client?.close();
      store.close();
    },
  };
}
