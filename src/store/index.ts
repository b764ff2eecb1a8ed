export { openStore, stateStoreUrl, type StoreOptions } from './open-store.js';
export { openSqliteStore, runsKept, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export type { PostgresStore, PostgresStoreOptions } from './postgres/pg-store.js';
export { parsePostgresUrl } from './postgres/url.js';
export type { StateCopy } from './migrate-state.js';
export { migrate, migrations, schemaVersion } from './migrations.js';
export { defaultStateDir, stateDbPath } from './paths.js';
export { deliveriesKept } from './deliveries.js';
