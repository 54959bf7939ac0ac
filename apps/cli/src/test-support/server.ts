/**
 * A real Inkwell server on a fresh test database. The server, config and
 * database packages are imported by path: they are not dependencies of the CLI.
 */
import { createInkwellClient } from "@inkwell/client";
import { parseEnv } from "../../../../packages/config/src/index.ts";
import { createTestDatabase } from "../../../../packages/db/src/testing/index.ts";
import { createLogger, startServer } from "../../../server/src/index.ts";

export const ADMIN = { email: "admin@example.com", password: "admin password 1", username: "admin" } as const;

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** `env` adds or overrides variables, e.g. `{ RATE_LIMIT_CREDENTIAL_PER_MINUTE: "4" }`. */
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

/** A new user with role "user", signed up through the API; returns their session token. */
export async function signUp(url: string, username: string) {
  const account = { email: `${username}@example.com`, username, password: `${username} password 1` };
  const { token } = await createInkwellClient({ url }).auth.signUp.mutate({ ...account, session: "token" });
  if (!token) throw new Error("signUp returned no token");
  return { ...account, token };
}
