import { randomUUID } from "node:crypto";
import { parseEnv } from "@inkwell/config";
import { createTestDatabase } from "@inkwell/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./server.ts";
import { startTestServer, type TestServer } from "./testing/index.ts";

const METRICS_TOKEN = "metrics-token-0123456789";

/** The request-duration series /metrics lists now, one line each. */
async function durationSeries(url: string, headers: Record<string, string> = {}): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  return text.split("\n").filter((line) => line.startsWith("inkwell_http_request_duration_seconds_count{"));
}

describe("/metrics in production", () => {
  it("is not served without METRICS_TOKEN (404, also with the admin console on /), and says so once at start", async () => {
    const database = await createTestDatabase();
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
    const server = await startServer(
      parseEnv({
        DATABASE_URL: database.url,
        PORT: "0",
        NODE_ENV: "production",
        INKWELL_ADMIN_PASSWORD: "p".repeat(12),
      }),
      logger,
      { serveAdmin: true },
    );
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
      expect(
        (await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer anything-at-all-0" } })).status,
      ).toBe(404);
      const notices = lines.filter((line) => line.includes("METRICS_TOKEN"));
      expect(notices).toHaveLength(1);
      expect(JSON.parse(notices[0] as string).msg).toMatch(/metrics are off/i);
    } finally {
      await server.close();
      await database.drop();
    }
  });

  it("is served with METRICS_TOKEN, to holders of the token only", async () => {
    const server = await startTestServer({ NODE_ENV: "production", METRICS_TOKEN });
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("inkwell_http_requests_in_flight");
    } finally {
      await server.close();
    }
  });
});

describe("/metrics in development", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: "development" });
  });
  afterAll(() => server?.close());

  it("is open when no token is set", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it("labels only the router's procedures: unknown paths share one series, batches one more", async () => {
    await fetch(`${server.url}/trpc/tags.list`);
    await fetch(`${server.url}/trpc/articles.list?batch=1`);
    await fetch(`${server.url}/trpc/tags.list,tags.list?batch=1`);
    await durationSeries(server.url); // the scrape itself is a series too
    const before = await durationSeries(server.url);

    for (let i = 0; i < 50; i++) {
      const junk = `${randomUUID()}.${"x".repeat(i)}`;
      await fetch(`${server.url}/trpc/${i % 2 ? junk : encodeURIComponent(junk)}`);
    }
    const after = await durationSeries(server.url);
    const added = after.filter((line) => !before.some((known) => sameSeries(known, line)));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/route="trpc:unknown",method="GET",status="404"/);

    // Batches of different procedures share one series; new combinations add none.
    await fetch(`${server.url}/trpc/tags.list,tags.list,articles.list?batch=1`);
    await fetch(`${server.url}/trpc/articles.list,tags.list?batch=1`);
    const batches = (await durationSeries(server.url)).filter((line) => line.includes("trpc:batch"));
    expect(batches).toEqual([expect.stringMatching(/route="trpc:batch",method="GET",status="200"\} 3$/)]);

    // A procedure keeps its own series, called alone or as a batch of one.
    const labels = (await durationSeries(server.url)).map((line) => line.match(/route="([^"]+)"/)?.[1]);
    expect(labels).toEqual(expect.arrayContaining(["trpc:tags.list", "trpc:articles.list"]));
    expect(new Set(labels).size).toBeLessThanOrEqual(6);
  });
});

/** Same labels, whatever the count. */
function sameSeries(a: string, b: string): boolean {
  return a.replace(/ \S+$/, "") === b.replace(/ \S+$/, "");
}
