import { encodeEncryptionKey, generateEncryptionKey, TEST_PASSWORD_POLICY } from "@inkwell/auth";
import { parseEnv } from "@inkwell/config";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { createLogger } from "../logger.ts";
import { type RunningServer, type StartOptions, startServer } from "../server.ts";

/** The first admin of every test server. */
export const TEST_ADMIN = { email: "admin@example.com", password: "admin password 1", username: "admin" } as const;

export interface TestServer {
  url: string;
  database: TestDatabase;
  /** Reports the rate-limit hits the server counted so far to `throttle_counters` (otherwise once a second). */
  syncRateLimits(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real server on a fresh test database (inside vitest's global setup),
 * for the tests of the apps that talk to it: this one (the client SDK's
 * tests among them), the admin console and the CLI. Packages may not import
 * it (a package never imports an app). `env` adds or overrides variables
 * (`ENCRYPTION_KEY: ""` leaves it unset). Passwords are hashed with TEST_PASSWORD_POLICY, not
 * OWASP's cost, unless `env` says NODE_ENV=production (server processes spawned by `spawnServer`
 * run the production policy too).
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: Pick<StartOptions, "serveAdmin" | "jobs"> = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  let server: RunningServer;
  try {
    server = await startServer(
      parseEnv({
        DATABASE_URL: database.url,
        PORT: "0",
        NODE_ENV: "test",
        INKWELL_ADMIN_EMAIL: TEST_ADMIN.email,
        INKWELL_ADMIN_PASSWORD: TEST_ADMIN.password,
        // A key of its own, as an operator on DATABASE_URL sets one (tests may pass another, or "" for none).
        ENCRYPTION_KEY: encodeEncryptionKey(generateEncryptionKey()),
        ...env,
      }),
      createLogger({ level: "silent", pretty: false }),
      // A test that runs the server as in production (NODE_ENV=production) gets production's policy too.
      env.NODE_ENV === "production" ? options : { ...options, authSettings: { passwordPolicy: TEST_PASSWORD_POLICY } },
    );
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    url: server.url,
    database,
    syncRateLimits: () => server.syncRateLimits(),
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
export { startTestOpenIdProvider, type TestIdentity, type TestOpenIdProvider } from "./openid-provider.ts";
