export { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { migrate, migrations, schemaVersion } from './migrations.js';
export { defaultStateDir, stateDbPath } from './paths.js';
export { createDeliveryLog, deliveriesKept, openDeliveryLog, type DeliveryLogOptions, type OpenDeliveryLog } from './deliveries.js';
