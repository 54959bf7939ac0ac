import { migrationStatus, type SqlClient } from "@inkwell/db";
import { DATABASE_UNAVAILABLE } from "../errors.ts";

/** Whether the database answers, how fast, and how many migrations are applied of those this release expects. */
export async function databaseHealth(sql: SqlClient) {
  const started = performance.now();
  try {
    const migrations = await migrationStatus(sql);
    return {
      reachable: true as const,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      migrations,
    };
  } catch (error) {
    // The driver's text can name tables, hosts and users: it goes to the server log, never to the caller.
    console.error("system.status: database check failed", error);
    return { reachable: false as const, error: DATABASE_UNAVAILABLE };
  }
}
