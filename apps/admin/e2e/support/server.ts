import { startTestServer as startServer, type TestServer } from "@inkwell/server/testing";

export type { TestServer };

/** The real server, serving the built admin console, on its own fresh database. */
export function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startServer(env, { serveAdmin: true });
}
