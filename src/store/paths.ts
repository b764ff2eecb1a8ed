// Where the daemon keeps its state on disk.

import { homedir } from 'node:os';
import path from 'node:path';

/** `$PILOT_HOME` when set, else `~/.pilot`. */
export function defaultStateDir(env: Readonly<Record<string, string | undefined>>, home: string = homedir()): string {
  const pilotHome = env['PILOT_HOME'];
  return pilotHome ? path.resolve(pilotHome) : path.join(home, '.pilot');
}

export function stateDbPath(dir: string): string {
  return path.join(dir, 'state.db');
}
