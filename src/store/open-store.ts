// One way to open the state store: a URL. `sqlite:<file>` is the embedded default
// (`sqlite::memory:` for a throwaway one); `postgres://` (or `postgresql://`) is the
// store several daemons share.

import path from 'node:path';
import { PilotError } from '../reconciler/errors.js';
import type { Store } from '../reconciler/store-port.js';
import { stateDbPath } from './paths.js';
import type { PostgresStoreOptions } from './postgres/pg-store.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

export type StoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/** The store URL of a state directory: its state.db. */
export function stateStoreUrl(stateDir: string): string {
  return `sqlite:${stateDbPath(path.resolve(stateDir))}`;
}

export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    // sqlite:/abs/path, sqlite:///abs/path, sqlite:relative/path or sqlite::memory:
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file || file === '//') throw new PilotError('stalled', 'store.bad-url', `store URL ${JSON.stringify(url)} names no file: use sqlite:/path/to/state.db`);
    return openSqliteStore(file, options);
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    // Loaded only here: the driver costs every other command (and a SQLite daemon) start-up time and memory.
    const { openPostgresStore } = await import('./postgres/pg-store.js');
    return openPostgresStore(url, options);
  }
  // Only the scheme is shown: anything after it may hold a password.
  throw new PilotError(
    'stalled',
    'store.bad-url',
    `store URL with scheme ${JSON.stringify(scheme ?? url.split(':')[0] ?? '')}: Pilot knows sqlite: and postgres: stores ` +
      '(e.g. sqlite:/var/lib/pilot/state.db, postgres://pilot@db.internal:5432/pilot)',
  );
}
