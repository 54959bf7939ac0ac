import { isAbsolute, resolve } from "node:path";
import { type Env, repoRoot } from "@inkwell/config";
import { connect, type DatabaseConnection } from "./client.ts";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "./embedded.ts";

export interface OpenedDatabase extends DatabaseConnection {
  /** Set when Inkwell started its own PostgreSQL because `DATABASE_URL` is unset. */
  embedded?: EmbeddedDatabase;
  /** Closes the pool, then stops the embedded cluster if there is one. */
  shutdown(): Promise<void>;
}

type DatabaseEnv = Pick<Env, "DATABASE_URL" | "DATABASE_POOL_MAX" | "INKWELL_DATA_DIR"> &
  Partial<Pick<Env, "DATABASE_PREPARED_STATEMENTS">>;

/** `INKWELL_DATA_DIR` as an absolute path (relative paths start at the repository root). */
export function inkwellDataDir(env: Pick<Env, "INKWELL_DATA_DIR">): string {
  return isAbsolute(env.INKWELL_DATA_DIR) ? env.INKWELL_DATA_DIR : resolve(repoRoot, env.INKWELL_DATA_DIR);
}

export function embeddedDataDir(env: Pick<Env, "INKWELL_DATA_DIR">): string {
  return resolve(inkwellDataDir(env), "postgres");
}

/** `DATABASE_URL` when set; otherwise an embedded PostgreSQL under `INKWELL_DATA_DIR`. */
export async function openDatabase(
  env: DatabaseEnv,
  options: { applicationName?: string; onLog?: (message: string) => void } = {},
): Promise<OpenedDatabase> {
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: embeddedDataDir(env), onLog: options.onLog });
  const url = env.DATABASE_URL ?? (await ensureDatabase(embedded as EmbeddedDatabase, "inkwell"));
  const connection = connect({
    url,
    maxConnections: env.DATABASE_POOL_MAX,
    applicationName: options.applicationName,
    prepare: env.DATABASE_PREPARED_STATEMENTS ?? true,
  });
  return {
    ...connection,
    embedded,
    async shutdown() {
      await connection.close();
      await embedded?.stop();
    },
  };
}

/** Creates `name` on the embedded cluster the first time and returns its URL. */
async function ensureDatabase(embedded: EmbeddedDatabase, name: string): Promise<string> {
  const admin = connect({ url: embedded.url, maxConnections: 1 });
  try {
    const [row] = await admin.sql`select 1 from pg_database where datname = ${name}`;
    if (!row) await admin.sql.unsafe(`create database "${name}"`);
  } finally {
    await admin.close();
  }
  return embedded.urlFor(name);
}
