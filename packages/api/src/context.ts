import type { Database, SqlClient } from "@inkwell/db";

/** Long-lived dependencies, built once by the server and shared by every request. */
export interface ApiDeps {
  db: Database;
  /** The postgres.js pool under `db`, for health checks. */
  sql: SqlClient;
  version: string;
}

/** Facts about the HTTP request that procedures and the audit log need. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  headers: Headers;
}

export interface CreateContextOptions {
  deps: ApiDeps;
  meta: RequestMeta;
}

export function createContext({ deps, meta }: CreateContextOptions) {
  return { ...deps, meta };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
