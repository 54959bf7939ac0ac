import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { connect, type DatabaseConnection } from "../client.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the `postgres` database on the test cluster; test files create their own databases from it. */
    postgresAdminUrl: string;
    /** The test cluster's data directory, which its running PostgreSQL holds (for a start that must be refused). */
    postgresDataDir: string;
  }
}

export const TEMPLATE_DATABASE = "inkwell_template";

export interface TestDatabase extends DatabaseConnection {
  name: string;
  /** Closes connections and drops the database. */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A fresh, migrated database of its own, cloned from the run's template. */
export async function createTestDatabase(
  options: { maxConnections?: number; onQuery?: (statement: string, parameters: unknown[]) => void } = {},
): Promise<TestDatabase> {
  const adminUrl = inject("postgresAdminUrl");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = connect({ url: adminUrl, maxConnections: 1 });
  try {
    await admin.sql.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.close();
  }
  const connection = connect({
    url: withDatabase(adminUrl, name),
    maxConnections: options.maxConnections ?? 5,
    onQuery: options.onQuery,
  });
  return {
    ...connection,
    name,
    async drop() {
      await connection.close();
      const cleanup = connect({ url: adminUrl, maxConnections: 1 });
      try {
        await cleanup.sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.close();
      }
    },
  };
}
export { type HeldLock, holdLock } from "./hold-lock.ts";
export { type StreamingReplica, type StreamingReplicaOptions, startStreamingReplica } from "./streaming-replica.ts";
