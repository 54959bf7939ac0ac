import { repoRoot } from "@inkwell/config";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const migrationsFolder = `${repoRoot}drizzle`;

// Any constant shared by every Inkwell process: only one of them migrates at a time.
const MIGRATION_LOCK_ID = 7_402_117;

/**
 * Applies pending migrations. Several processes may start at once against one
 * database, so the work runs on one dedicated connection holding a
 * session-level advisory lock.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: "inkwell-migrate" } });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle({ client: sql }), { migrationsFolder });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await sql.end();
  }
}

export interface MigrationStatus {
  expected: number;
  applied: number;
  pending: number;
}

/** Compares the committed migrations with those recorded in the database. */
export async function migrationStatus(sql: postgres.Sql): Promise<MigrationStatus> {
  const files = readMigrationFiles({ migrationsFolder });
  const [table] = await sql<{ exists: boolean }[]>`
    select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
  const appliedHashes = new Set<string>();
  if (table?.exists) {
    const rows = await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`;
    for (const row of rows) appliedHashes.add(row.hash);
  }
  const pending = files.filter((file) => !appliedHashes.has(file.hash)).length;
  return { expected: files.length, applied: files.length - pending, pending };
}
