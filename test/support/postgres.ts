// A database of its own for each test (or each test file) on the run's PostgreSQL
// server (started by postgres-global-setup.ts), so tests never see each other's rows.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The server's superuser URL, for tests that act on the server itself (pg_terminate_backend). */
export function postgresAdminUrl(): string {
  const url = inject('postgresUrl');
  if (!url) throw new Error(inject('postgresProblem'));
  return url;
}

/** Creates an empty database and returns its URL. */
export async function freshDatabase(label = 'test'): Promise<string> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  const name = `pilot_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export { databaseOf, sql } from './postgres-sql.js';
