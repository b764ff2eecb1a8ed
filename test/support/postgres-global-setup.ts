// vitest's global setup: one PostgreSQL server for the whole run; each test file makes
// its own databases on it (test/support/postgres.ts). Without PostgreSQL on the machine
// only the tests that need it fail, each saying what to install.

import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    /** Why there is no server, when there is none. */
    postgresProblem: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const server = await startPostgres();
    project.provide('postgresUrl', server.url);
    project.provide('postgresProblem', '');
    return () => server.stop();
  } catch (error) {
    project.provide('postgresUrl', '');
    project.provide('postgresProblem', `no PostgreSQL server for the tests: ${error instanceof Error ? error.message : String(error)}`);
    return async () => undefined;
  }
}
