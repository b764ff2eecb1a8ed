// The store's connections: a small pool for reads and writes, each failure to connect
// turned into store.unreachable, and transactions that always end (commit or roll back).

import pg from 'pg';
import { toStoreError } from './errors.js';
import { storeTypes } from './types.js';
import type { StoreAddress } from './url.js';

/** What a statement runs on: the pool, or the client of a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly address: StoreAddress;
  /** Runs `work` in one transaction (BEGIN, or `begin` e.g. for a read-only snapshot). */
  transaction<T>(work: (client: Queryable) => Promise<T>, begin?: string): Promise<T>;
  end(): Promise<void>;
}

/** One consistent view for reads made of several statements. */
export const readSnapshot = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/** A daemon needs few: one reconcile writes at a time, the status page and webhooks read. */
const poolSize = 4;

export function connectionSettings(address: StoreAddress): pg.ClientConfig {
  return {
    connectionString: address.url,
    types: storeTypes(),
    application_name: 'pilot',
    connectionTimeoutMillis: 10_000,
    // A server gone silent (a dead VM, a dropped route) is noticed instead of awaited forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // A statement unanswered for a minute fails rather than hold its caller (a webhook, stop()).
    query_timeout: 60_000,
    // The server's side of the same: a silent client is dropped after 5 s idle + 3 probes
    // 2 s apart (11 s, not the kernel's 2 hours), and a transaction left open by a client
    // that vanished mid-write is ended after 10 s. Without these, a leader cut off inside
    // a fenced write would keep the lease row locked FOR SHARE, and every next leader's
    // raise of the generation would wait on it until the kernel gave up.
    options: '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3 -c idle_in_transaction_session_timeout=10000',
  };
}

export function openDb(address: StoreAddress): Db {
  const pool = new pg.Pool({ ...connectionSettings(address), max: poolSize, idleTimeoutMillis: 30_000 });
  // An idle client the server closed (a restart, pg_terminate_backend, a proxy's timeout)
  // reports it here; unheard, that event would end the process. The pool has already
  // dropped that client, and the next query opens another.
  pool.on('error', () => undefined);
  const mapped = (error: unknown) => toStoreError(error, address);

  return {
    address,
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      try {
        return await pool.query<R>(text, values);
      } catch (error) {
        throw mapped(error);
      }
    },
    async transaction<T>(work: (client: Queryable) => Promise<T>, begin = 'BEGIN'): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw mapped(error);
      }
      // The pool hears a lent client's failures only while it is idle: a server that
      // ends the session mid-transaction would otherwise end the process. The statement
      // in flight fails with the same error, and the client is dropped on release.
      const ignore = () => undefined;
      client.on('error', ignore);
      try {
        await client.query(begin);
        const result = await work(client);
        await client.query('COMMIT');
        client.off('error', ignore);
        client.release();
        return result;
      } catch (error) {
        // A client whose rollback failed is broken: the pool closes it rather than lend it again.
        const broken = await client.query('ROLLBACK').then(() => undefined, (failure: unknown) => failure as Error);
        client.off('error', ignore);
        client.release(broken ?? undefined);
        throw mapped(error);
      }
    },
    end: () => pool.end(),
  };
}
