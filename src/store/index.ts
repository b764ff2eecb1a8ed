export { openStore, stateStoreUrl, type StoreOptions } from './open-store.js';
export { openSqliteStore, runsKept, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres/pg-store.js';
export { parsePostgresUrl } from './postgres/url.js';
export { migrateState, type StateCopy } from './migrate-state.js';
export { migrate, migrations, schemaVersion } from './migrations.js';
export { defaultStateDir, stateDbPath } from './paths.js';
export { deliveriesKept } from './deliveries.js';
