import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Database = PostgresJsDatabase<typeof schema>;
export type SqlClient = postgres.Sql;
/** A database handle or an open transaction: services accept either. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseConnection {
  url: string;
  db: Database;
  /** The postgres.js client underneath, for pool stats and raw SQL. */
  sql: SqlClient;
  close(timeoutSeconds?: number): Promise<void>;
}

export interface ConnectOptions {
  url: string;
  maxConnections?: number;
  /** Label shown in `pg_stat_activity`. */
  applicationName?: string;
  /** Named prepared statements; off behind PgBouncer in transaction mode. */
  prepare?: boolean;
  /** Called with every statement sent (tests count queries; the bench captures SQL). */
  onQuery?: (statement: string, parameters: unknown[]) => void;
}

export function connect({
  url,
  maxConnections = 10,
  applicationName = "inkwell",
  prepare = true,
  onQuery,
}: ConnectOptions): DatabaseConnection {
  const sql = postgres(url, {
    max: maxConnections,
    // Fail fast when the database is unreachable instead of queueing forever.
    connect_timeout: 5,
    idle_timeout: 60,
    onnotice: () => {},
    connection: { application_name: applicationName },
    prepare,
    debug: onQuery ? (_connection, statement, parameters) => onQuery(statement, parameters) : undefined,
  });
  const db = drizzle({ client: sql, schema });
  return {
    url,
    db,
    sql,
    close: (timeoutSeconds = 5) => sql.end({ timeout: timeoutSeconds }),
  };
}
