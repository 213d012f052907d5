export { openStore, migrateStore, type Store, type StoreOptions } from './open-store.js';
export { HistoryWriter, BATCH_ROWS } from './history-writer.js';
export { AlertStateRepository } from './alert-state-repository.js';
export { OutboxRepository, type OutboxItem, type OutboxFailure } from './outbox-repository.js';
export { MIGRATIONS, migrate } from './migrations.js';
export { createPostgresClient, createEmbeddedClient, type SqlClient, type Queryable, type PostgresClientOptions } from './sql-client.js';
export { serviceHistory, databaseHistory, latestSamples, pruneHistory } from './history-queries.js';
export type { ServiceSample, DatabaseSample, StoredAlertState, OutboxMessage, StoreHealth } from './types.js';
export type { ServiceCapacityRow, DatabaseCapacityRow, AlertCountRow } from './capacity-queries.js';
