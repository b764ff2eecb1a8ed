// Writes a copy of a state.db (read by ../migrate-state.ts) into an empty PostgreSQL
// store, whole or not at all: one transaction that first makes sure nothing else
// writes the store and that it holds nothing yet.

import { PilotError } from '../../reconciler/errors.js';
import type { Db, Queryable } from './db.js';
import { leaderLockKey, leaseName } from './locks.js';

/** A state.db table as read: its columns, and its rows in insertion (rowid) order. */
export interface SourceTable {
  name: string;
  columns: readonly string[];
  rows: readonly { rowid: number; values: readonly unknown[] }[];
  /** The highest id SQLite ever handed out (AUTOINCREMENT's sqlite_sequence), when it keeps one. */
  lastId?: number;
}

/** The tables a store holds beyond what state.db has: a store that has them filled was used. */
const sharedTables = ['leader_lease', 'inbox'];

/** Parameters per INSERT stay far below PostgreSQL's 65,535. */
const rowsPerInsert = 500;

export async function importState(db: Db, tables: readonly SourceTable[], onTable: (table: string, rows: number) => void): Promise<void> {
  await db.transaction(async (client) => {
    await refuseUsed(client, db.address.describe, [...tables.map((t) => t.name), ...sharedTables]);
    const columns = await columnsOf(client);
    for (const table of tables) {
      try {
        await copyTable(client, table, columns.get(table.name) ?? new Map());
      } catch (error) {
        if (error instanceof PilotError) throw error;
        // A row PostgreSQL refuses (a time or JSON text it cannot read) names its table.
        throw new PilotError('stalled', 'store.copy-failed', `copying ${table.name} failed (${(error as Error).message}); nothing was copied`, { cause: error });
      }
      onTable(table.name, table.rows.length);
    }
    await restartIdentities(client, tables);
  });
}

/**
 * No daemon may lead or write while the copy runs (the leader's lock, and every table
 * locked against writers), and the store must be empty: merging two histories would
 * mix two stores' ids.
 */
async function refuseUsed(client: Queryable, where: string, tables: readonly string[]): Promise<void> {
  const { rows: [lock] } = await client.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS free', [leaderLockKey]);
  if (!lock?.free) {
    const { rows: [lease] } = await client.query<{ holder: string }>('SELECT holder FROM leader_lease WHERE name = $1', [leaseName]);
    throw new PilotError('stalled', 'store.in-use', `${lease?.holder ?? 'a Pilot daemon'} leads the store ${where} now: stop every daemon on it before copying state into it`);
  }
  await client.query(`LOCK TABLE ${tables.join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
  const counts = await client.query<{ name: string; n: number }>(tables.map((t) => `SELECT '${t}' AS name, count(*)::int AS n FROM ${t}`).join(' UNION ALL '));
  const found = counts.rows.filter((row) => row.n > 0);
  if (found.length === 0) return;
  throw new PilotError('stalled', 'store.not-empty',
    `the store ${where} is not empty (${found.map((row) => `${row.name}: ${row.n} rows`).join(', ')}): state is copied only into an empty one, ` +
    'so that no history is mixed or lost; give a new database, or empty this one first');
}

/** Each table's columns and their types, as PostgreSQL has them. */
async function columnsOf(client: Queryable): Promise<Map<string, Map<string, { type: string; identity: boolean }>>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    'SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = current_schema()');
  const tables = new Map<string, Map<string, { type: string; identity: boolean }>>();
  for (const row of rows) {
    if (!tables.has(row.table_name)) tables.set(row.table_name, new Map());
    tables.get(row.table_name)!.set(row.column_name, { type: row.data_type, identity: row.is_identity === 'YES' });
  }
  return tables;
}

/**
 * Columns are named alike in both stores; where SQLite relies on its rowid for order,
 * PostgreSQL has a `seq` column, which takes the rowid. Text times become timestamptz
 * and JSON text json as PostgreSQL reads them; 0 and 1 become booleans.
 */
async function copyTable(client: Queryable, table: SourceTable, target: Map<string, { type: string; identity: boolean }>): Promise<void> {
  const missing = table.columns.filter((column) => !target.has(column));
  if (missing.length > 0) {
    throw new Error(`the PostgreSQL store has no column ${missing.map((c) => `${table.name}.${c}`).join(', ')} for state.db's: this Pilot cannot copy its state`);
  }
  const withSeq = target.has('seq');
  const names = [...table.columns, ...(withSeq ? ['seq'] : [])];
  const booleans = names.map((name) => target.get(name)?.type === 'boolean');
  const overriding = names.some((name) => target.get(name)?.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  for (let start = 0; start < table.rows.length; start += rowsPerInsert) {
    const batch = table.rows.slice(start, start + rowsPerInsert);
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const cells = [...row.values, ...(withSeq ? [row.rowid] : [])].map((cell, i) => (booleans[i] && cell !== null ? cell === 1 : cell));
      const first = values.push(...cells) - cells.length + 1;
      return `(${cells.map((_, i) => `$${first + i}`).join(', ')})`;
    });
    await client.query(`INSERT INTO ${table.name} (${names.map((n) => `"${n}"`).join(', ')})${overriding} VALUES ${tuples.join(', ')}`, values);
  }
}

/** New rows number on from the copied ones; run ids never reuse one SQLite handed out. */
async function restartIdentities(client: Queryable, tables: readonly SourceTable[]): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'");
  for (const { table_name: name, column_name: column } of rows) {
    const table = tables.find((t) => t.name === name);
    if (!table) continue;
    const { rows: [copied] } = await client.query<{ max: number | null }>(`SELECT max("${column}") AS max FROM ${name}`);
    const last = Math.max(copied?.max ?? 0, table.lastId ?? 0);
    if (last > 0) await client.query('SELECT setval(pg_get_serial_sequence($1, $2), $3)', [name, column, last]);
  }
}
