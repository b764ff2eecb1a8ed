// `pilot migrate-state`: the state of one daemon's state.db copied into an empty
// PostgreSQL store, so several daemons can share it. The file is only read (and must be
// at the schema this Pilot writes); the copy is one transaction, all or nothing.

import path from 'node:path';
import Database from 'better-sqlite3';
import { PilotError } from '../reconciler/errors.js';
import { damagedStore } from './damaged.js';
import { schemaVersion } from './migrations.js';
import { openDb } from './postgres/db.js';
import { importState, type SourceTable } from './postgres/import-state.js';
import { migrate } from './postgres/migrations.js';
import { parsePostgresUrl } from './postgres/url.js';

/** Parents before the rows that refer to them (actions and jobs name their run). */
const tables = ['revisions', 'runs', 'actions', 'jobs', 'applied', 'inventory', 'deliveries', 'release_pins'] as const;

export interface StateCopy {
  /** sqlite:<file>. */
  from: string;
  /** The PostgreSQL store, without its password. */
  to: string;
  /** Rows copied per table, in the order copied. */
  tables: { table: string; rows: number }[];
}

export interface MigrateStateOptions {
  /** Told as each table is written (it counts once the copy commits). */
  onTable?: (table: string, rows: number) => void;
  now?: () => Date;
}

export async function migrateState(file: string, postgresUrl: string, options: MigrateStateOptions = {}): Promise<StateCopy> {
  const address = parsePostgresUrl(postgresUrl);
  const source = readState(file);
  const db = openDb(address);
  const copied: StateCopy['tables'] = [];
  try {
    await migrate(db, options.now ?? (() => new Date()));
    await importState(db, source, (table, rows) => {
      copied.push({ table, rows });
      options.onTable?.(table, rows);
    });
  } finally {
    await db.end();
  }
  return { from: `sqlite:${file}`, to: address.describe, tables: copied };
}

/** Every table of state.db as one snapshot (one read transaction), checked to be at this Pilot's schema. */
function readState(file: string): SourceTable[] {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new PilotError('stalled', 'store.not-found', `cannot read ${file} (${(error as Error).message}): give the state.db a daemon wrote, e.g. --from sqlite:$HOME/.pilot/state.db`, { cause: error });
  }
  try {
    return db.transaction(() => {
      checkSchema(db, file);
      const lastIds = new Map(db.prepare<[], { name: string; seq: number }>('SELECT name, seq FROM sqlite_sequence').all().map((row) => [row.name, row.seq]));
      return tables.map((name): SourceTable => {
        const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}') ORDER BY cid`).all().map((c) => c.name);
        const rows = db.prepare(`SELECT rowid, ${columns.map((c) => `"${c}"`).join(', ')} FROM ${name} ORDER BY rowid`).raw().all() as unknown[][];
        const lastId = lastIds.get(name);
        return { name, columns, rows: rows.map(([rowid, ...values]) => ({ rowid: rowid as number, values })), ...(lastId === undefined ? {} : { lastId }) };
      });
    })();
  } catch (error) {
    throw damagedStore(file, error);
  } finally {
    db.close();
  }
}

function checkSchema(db: Database.Database, file: string): void {
  const known = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!known?.n) throw new PilotError('stalled', 'store.not-pilot', `${file} is not a Pilot state.db (it has no schema_migrations table)`);
  const found = db.prepare<[], number>('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() ?? 0;
  if (found > schemaVersion) {
    throw new PilotError('stalled', 'store.schema-newer', `${file} was written by a newer Pilot (schema ${found}); upgrade Pilot (this one knows schema ${schemaVersion}), then copy it`);
  }
  if (found < schemaVersion) {
    const open = path.basename(file) === 'state.db' ? `pilot status --state-dir ${path.dirname(file)}` : 'pilot status, with it as the state.db of --state-dir';
    throw new PilotError('stalled', 'store.schema-older',
      `${file} is at schema ${found}, and this Pilot copies schema ${schemaVersion}: open it with this Pilot once first ` +
      `(e.g. ${open}), which brings it up to date, then copy it`);
  }
}
