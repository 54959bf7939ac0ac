import { repoRoot } from "@inkwell/config";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations as installJobQueueSchema, Logger } from "graphile-worker";
import postgres from "postgres";

export const migrationsFolder = `${repoRoot}drizzle`;

// Any constant shared by every Inkwell process: only one of them migrates at a time.
const MIGRATION_LOCK_ID = 7_402_117;

/** The schema graphile-worker keeps its jobs in (docs/background-work.md). */
export const JOB_QUEUE_SCHEMA = "graphile_worker";

// graphile-worker reports each migration it applies at info level; only its errors are worth a line.
const queueSchemaLogger = new Logger(() => (level, message) => {
  if (level === "error") console.error(`job queue migration: ${message}`);
});

/**
 * Applies pending migrations: ours (drizzle/), then the job queue's, which
 * graphile-worker ships and versions itself (its own `graphile_worker.migrations`
 * table). Both are needed before a request can enqueue a job, whether or not
 * this process runs workers. Several processes may start at once against one
 * database, so the work runs while one dedicated connection holds a
 * session-level advisory lock.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: "inkwell-migrate" } });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle({ client: sql }), { migrationsFolder });
    await installJobQueueSchema({ connectionString: url, schema: JOB_QUEUE_SCHEMA, logger: queueSchemaLogger });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await sql.end();
  }
}

export interface MigrationStatus {
  expected: number;
  applied: number;
  pending: number;
  /** The job queue's schema exists (graphile-worker versions it; see `runMigrations`). */
  jobQueueInstalled: boolean;
}

/** Compares the committed migrations with those recorded in the database, and checks the job queue's schema. */
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
  const [queue] = await sql<{ installed: boolean }[]>`
    select to_regclass(${`${JOB_QUEUE_SCHEMA}.migrations`}) is not null as installed`;
  return {
    expected: files.length,
    applied: files.length - pending,
    pending,
    jobQueueInstalled: queue?.installed ?? false,
  };
}
