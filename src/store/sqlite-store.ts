// The Store on an embedded SQLite file: one VM, one daemon (see design.md, "Scale and
// high availability", for the PostgreSQL store that replaces it past that). One
// connection serves the reconciler, the delivery log and the history.

import type { Store } from '../reconciler/store-port.js';
import { damagedStore } from './damaged.js';
import { createDeliveryLog } from './deliveries.js';
import { migrate } from './migrations.js';
import { openDatabase } from './open-database.js';
import { createHistory } from './sqlite-history.js';
import { createReconcileStore } from './sqlite-reconcile.js';
import { prepareStatements, type Statements } from './statements.js';

export interface SqliteStore extends Store {
  /** The database file (or ':memory:'). */
  readonly file: string;
}

export interface SqliteStoreOptions {
  /** The clock for the timestamps the store writes itself; tests pass a fixed one. */
  now?: () => Date;
  /** How many of the newest runs (with their actions and finished jobs) to keep. */
  keepRuns?: number;
  /** How many of the newest webhook deliveries to keep. */
  keepDeliveries?: number;
}

/** A daemon polling every minute keeps weeks of history with this many; state.db stays small. */
export const runsKept = 2_000;

export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  const now = options.now ?? (() => new Date());
  let db: ReturnType<typeof openDatabase> | undefined;
  let s: Statements;
  try {
    db = openDatabase(file);
    migrate(db, now);
    s = prepareStatements(db);
  } catch (error) {
    db?.close();
    throw damagedStore(file, error);
  }
  const { recent, ...deliveries } = createDeliveryLog(db, { now, ...(options.keepDeliveries !== undefined ? { keep: options.keepDeliveries } : {}) });
  return {
    ...createReconcileStore(db, s, () => now().toISOString(), options.keepRuns ?? runsKept),
    file,
    describe: `sqlite:${file}`,
    deliveries,
    history: createHistory(s, recent),
    async close() {
      db.close();
    },
  };
}
