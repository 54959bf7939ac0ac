/**
 * A real Inkwell server on a fresh test database. The server, config and
 * database packages are imported by path: they are not dependencies of this
 * package (the client must not pull server code into its bundle).
 */
import { createLogger, startServer } from "../../../../apps/server/src/index.ts";
import { parseEnv } from "../../../config/src/index.ts";
import { createTestDatabase } from "../../../db/src/testing/index.ts";

export const ADMIN = { email: "admin@example.com", password: "admin password 1" } as const;

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** `env` adds or overrides variables, e.g. `{ RATE_LIMIT_IP_PER_MINUTE: "3" }`. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const server = await startServer(
    parseEnv({
      DATABASE_URL: database.url,
      PORT: "0",
      INKWELL_ADMIN_EMAIL: ADMIN.email,
      INKWELL_ADMIN_PASSWORD: ADMIN.password,
      ...env,
    }),
    createLogger({ level: "silent", pretty: false }),
  );
  return {
    url: server.url,
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
