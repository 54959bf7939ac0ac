import { parseEnv } from "@inkwell/config";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { type RunningServer, startServer } from "@inkwell/server";
import pino from "pino";

export interface TestServer {
  url: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real server, serving the built admin console, on its own fresh database. */
export async function startTestServer(extraEnv: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  let server: RunningServer;
  try {
    server = await startServer(
      parseEnv({ DATABASE_URL: database.url, PORT: "0", NODE_ENV: "test", ...extraEnv }),
      pino({ level: "silent" }),
      { serveAdmin: true },
    );
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    url: server.url,
    database,
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
