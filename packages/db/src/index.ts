export * from "drizzle-orm";
export { isDatabaseUnavailable } from "./availability.ts";
export {
  type ConnectOptions,
  connect,
  type Database,
  type DatabaseConnection,
  type Executor,
  type SqlClient,
} from "./client.ts";
export { type EmbeddedDatabase, type EmbeddedOptions, startEmbeddedPostgres } from "./embedded.ts";
export { type MigrationStatus, migrationStatus, migrationsFolder, runMigrations } from "./migrations.ts";
export { embeddedDataDir, inkwellDataDir, type OpenedDatabase, openDatabase } from "./open.ts";
export {
  DEFAULT_HEALTH_INTERVAL_MS,
  ReadReplicas,
  type ReadReplicasOptions,
  WRITE_MEMORY_MS,
} from "./read-replicas.ts";
export * as schema from "./schema/index.ts";
export { formatWalPosition, parseWalPosition, type WalPosition } from "./wal-position.ts";
