// Small reads and writes on a test database from outside Pilot's store, as psql would:
// with no vitest context, so the bench's failover figure uses them too.

import pg from 'pg';

/** One statement on a connection of its own, as another process (or psql) would run it. */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The database name of a postgres:// URL. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
