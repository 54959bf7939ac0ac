import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

const METRICS_TOKEN = "metrics-token-0123456789";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN, BODY_LIMIT_BYTES: "2048" });
});
afterAll(() => server?.close());

describe("/metrics", () => {
  it("needs the bearer token when one is configured", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer wrong-token-000000" } })).status,
    ).toBe(401);
  });

  it("reports request durations by procedure and status, pool connections, event-loop lag and memory", async () => {
    await fetch(`${server.url}/trpc/tags.list`);
    await fetch(`${server.url}/api/articles/missing-article`);
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(
      /inkwell_http_request_duration_seconds_count\{route="trpc:tags.list",method="GET",status="200"\} 1/,
    );
    expect(text).toMatch(
      /inkwell_http_request_duration_seconds_count\{route="\/api\/articles\/:slug",method="GET",status="404"\} 1/,
    );
    expect(text).toMatch(/inkwell_db_pool_connections\{state="idle"\} \d+/);
    expect(text).toMatch(/inkwell_db_pool_connections\{state="active"\} [1-9]/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/);
    expect(text).toMatch(/process_resident_memory_bytes \d/);
  });
});

describe("limits and headers", () => {
  it("refuses a body over the limit with 413", async () => {
    const response = await fetch(`${server.url}/api/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: { username: "big", email: "big@example.com", password: "x".repeat(4000) } }),
    });
    expect(response.status).toBe(413);
    // The unread rest of the body leaves the connection unusable: the answer says so, and the next request works.
    expect(response.headers.get("connection")).toBe("close");
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("a GET carrying a body over the limit is answered without reading it, and the server goes on", async () => {
    // The body limit passes GET and HEAD by (they have no body to the server): sent anyway, 32 times the limit.
    // (Declared as anything but JSON, /api answers 415 first.) The server drops the connection after the answer
    // rather than read the body: a request pipelined behind it goes unanswered, and a new connection is served.
    const { hostname, port } = new URL(server.url);
    const body = "x".repeat(64 * 1024);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write(
          `GET /api/tags HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${body.length}\r\n\r\n${body}`,
        ),
      );
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk;
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer.match(/^HTTP\/1\.1 \d{3}/gm)).toEqual(["HTTP/1.1 200"]);
    expect(answer).toContain('"tags"');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("sets security headers and compresses large responses", async () => {
    const response = await fetch(`${server.url}/api/openapi.json`, { headers: { "accept-encoding": "gzip" } });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(((await response.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });

  it("sets the same security headers on every kind of answer, failures and refusals included", async () => {
    const list = await fetch(`${server.url}/api/articles?limit=1`);
    const answers = {
      "REST list": list,
      "REST 404": await fetch(`${server.url}/api/profiles/nobody-has-this-name`),
      "REST 304": await fetch(`${server.url}/api/articles?limit=1`, {
        headers: { "if-none-match": list.headers.get("etag") ?? "" },
      }),
      "tRPC query": await fetch(`${server.url}/trpc/tags.list`),
      "tRPC refusal": await fetch(`${server.url}/trpc/auth.signOut`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie: "inkwell_session=forged.value",
          origin: "https://evil.example",
        },
        body: "{}",
      }),
      "body too large": await fetch(`${server.url}/api/users/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: { email: "a@example.com", password: "x".repeat(4096) } }),
      }),
      "CORS preflight": await fetch(`${server.url}/api/articles`, {
        method: "OPTIONS",
        headers: { origin: "https://reader.example", "access-control-request-method": "POST" },
      }),
      health: await fetch(`${server.url}/healthz`),
    };
    const seen = Object.fromEntries(
      Object.entries(answers).map(([kind, answer]) => [
        kind,
        {
          status: answer.status,
          nosniff: answer.headers.get("x-content-type-options"),
          frames: answer.headers.get("x-frame-options"),
          hsts: answer.headers.get("strict-transport-security"),
          opener: answer.headers.get("cross-origin-opener-policy"),
        },
      ]),
    );
    const expected = (status: number) => ({
      status,
      nosniff: "nosniff",
      frames: "SAMEORIGIN",
      hsts: "max-age=15552000; includeSubDomains",
      opener: "same-origin",
    });
    expect(seen).toEqual({
      "REST list": expected(200),
      "REST 404": expected(404),
      "REST 304": expected(304),
      "tRPC query": expected(200),
      "tRPC refusal": expected(403),
      "body too large": expected(413),
      "CORS preflight": expected(204),
      health: expected(200),
    });
  });
});

describe("request timeout", () => {
  it("ends a request that runs longer than REQUEST_TIMEOUT_MS with 504", async () => {
    const slow = await startTestServer({ REQUEST_TIMEOUT_MS: "1" });
    try {
      // A sign-in runs argon2id (tens of milliseconds), far past a 1 ms budget.
      const response = await fetch(`${slow.url}/trpc/auth.signIn`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          json: { email: TEST_ADMIN.email, password: TEST_ADMIN.password, session: "token" },
        }),
      });
      expect(response.status).toBe(504);
      // Answered by the timeout middleware, still with the request id and the rate-limit headers.
      expect(response.headers.get("x-request-id")).toMatch(/.{8,}/);
      expect(response.headers.get("ratelimit")).toMatch(/^limit=600, remaining=\d+, reset=\d+$/);
    } finally {
      await slow.close();
    }
  });
});

describe("rate limits", () => {
  it("answer 429 with Retry-After and RateLimit headers, per address and per credential", async () => {
    const limited = await startTestServer({
      RATE_LIMIT_IP_PER_MINUTE: "5",
      RATE_LIMIT_CREDENTIAL_PER_MINUTE: "3",
      TRUST_PROXY: "true",
    });
    try {
      const get = (headers: Record<string, string>) => fetch(`${limited.url}/api/tags`, { headers });
      const fromA = { "x-forwarded-for": "198.51.100.1" };
      for (let i = 0; i < 5; i++) {
        const ok = await get(fromA);
        expect(ok.status).toBe(200);
        expect(ok.headers.get("ratelimit")).toMatch(/limit=5, remaining=\d+, reset=\d+/);
        expect(ok.headers.get("ratelimit-policy")).toBe("5;w=60");
      }
      const refused = await get(fromA);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      // Another address has its own budget; the counters live in PostgreSQL, shared by every process.
      expect((await get({ "x-forwarded-for": "198.51.100.2" })).status).toBe(200);
      const [row] = await limited.database.sql`select hits from throttle_counters where key = 'rate:ip:198.51.100.1'`;
      expect(row?.hits).toBe(6);

      // One credential from many addresses is limited too.
      const token = { authorization: "Bearer some-token-value" };
      for (let i = 0; i < 3; i++)
        expect((await get({ ...token, "x-forwarded-for": `203.0.113.${i}` })).status).toBe(200);
      expect((await get({ ...token, "x-forwarded-for": "203.0.113.99" })).status).toBe(429);
      const keys = await limited.database.sql`select key from throttle_counters where key like 'rate:credential:%'`;
      expect(JSON.stringify(keys)).not.toContain("some-token-value");
    } finally {
      await limited.close();
    }
  });
});
