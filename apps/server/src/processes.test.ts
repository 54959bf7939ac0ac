import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerPair, type ServerProcess, spawnServer, spawnServerPair } from "./testing/server-process.ts";

const PASSWORD = "operator password 1";

function trpc(url: string, path: string, options: { body?: unknown; token?: string; ip?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.ip) headers["x-forwarded-for"] = options.ip;
  return fetch(`${url}/trpc/${path}`, {
    method: options.body === undefined ? "GET" : "POST",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify({ json: options.body }),
  });
}

const METRICS_TOKEN = "processes-test-metrics-token";

/** Requests the server is answering now, this one included (`inkwell_http_requests_in_flight`). */
async function requestsInFlight(url: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  const value = /^inkwell_http_requests_in_flight (\d+)$/m.exec(text)?.[1];
  if (value === undefined) throw new Error(`no in-flight gauge in /metrics (${response.status})`);
  return Number(value);
}

async function signIn(url: string): Promise<string> {
  const response = await trpc(url, "auth.signIn", {
    body: { email: "ops@example.com", password: PASSWORD, session: "token" },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
}

describe("two server processes on one database", () => {
  let pair: ServerPair;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    pair = await spawnServerPair({
      INKWELL_ADMIN_EMAIL: "ops@example.com",
      INKWELL_ADMIN_PASSWORD: PASSWORD,
      TRUST_PROXY: "true",
      RATE_LIMIT_IP_PER_MINUTE: "6",
    });
    ({ a, b } = pair);
  }, 90_000);
  afterAll(() => pair?.stop());

  it("share sessions: created on one, used on the other, revoked on one and refused by the other", async () => {
    const [admins] = await pair.database.sql`select count(*)::int as n from users`;
    expect(admins?.n).toBe(1);
    const token = await signIn(a.url);
    expect((await trpc(b.url, "auth.me", { token })).status).toBe(200);
    expect((await trpc(a.url, "auth.signOut", { token, body: null })).status).toBe(200);
    expect((await trpc(b.url, "auth.me", { token })).status).toBe(401);
  });

  it("hash passwords at OWASP's minimum (argon2id, 19 MiB, 2 passes), not the tests' cheaper policy", async () => {
    // A sign-in rehashes a password whose parameters differ from the server's policy.
    const response = await trpc(b.url, "auth.signIn", {
      body: { email: "ops@example.com", password: PASSWORD, session: "token" },
      ip: "198.51.100.5",
    });
    expect(response.status).toBe(200);
    const [admin] = await pair.database.sql<{ password_hash: string }[]>`select password_hash from users`;
    expect(admin?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("count rate limits across both", async () => {
    const ip = "198.51.100.77";
    for (let i = 0; i < 3; i++) {
      expect((await trpc(a.url, "tags.list", { ip })).status).toBe(200);
      expect((await trpc(b.url, "tags.list", { ip })).status).toBe(200);
    }
    expect((await trpc(a.url, "tags.list", { ip })).status).toBe(429);
    expect((await trpc(b.url, "tags.list", { ip })).status).toBe(429);
  });

  it("check at most the free sign-in attempts of one account between them, however many arrive at once", async () => {
    // 40 attempts at once, half on each process, each from an address of its own (so only the account counts).
    const statuses = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const response = await trpc(i % 2 === 0 ? a.url : b.url, "auth.signIn", {
          body: { email: "ops@example.com", password: i === 39 ? PASSWORD : `wrong guess ${i}`, session: "token" },
          ip: `203.0.113.${i + 1}`,
        });
        await response.body?.cancel();
        return response.status;
      }),
    );
    const checked = statuses.filter((status) => status === 200 || status === 401).length;
    expect(statuses.filter((status) => ![200, 401, 429].includes(status))).toEqual([]);
    expect(checked).toBeLessThanOrEqual(5);
  });
});

describe("SIGTERM", () => {
  it("finishes requests in flight, then closes the pool and stops embedded PostgreSQL, within 10 seconds", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "inkwell-sigterm-"));
    await chmod(dataDir, 0o755);
    try {
      const server = await spawnServer({
        INKWELL_DATA_DIR: dataDir,
        INKWELL_ADMIN_EMAIL: "ops@example.com",
        INKWELL_ADMIN_PASSWORD: PASSWORD,
        METRICS_TOKEN,
      });
      // Several argon2id sign-ins queue up on two cores, so some are still running when the signal arrives
      // (five: one account's free attempts, which concurrent sign-ins all count against until one succeeds).
      let answered = 0;
      const inFlight = Array.from({ length: 5 }, () =>
        signIn(server.url).then(() => {
          answered++;
          return performance.now();
        }),
      );
      // The signal comes once the server has read every sign-in (running or answered): a request still unread on its
      // socket is not in flight, and a stopping server closes such connections (a fixed 150 ms did not always do).
      await expect
        .poll(async () => (await requestsInFlight(server.url)) - 1 + answered, { timeout: 30_000, interval: 20 })
        .toBeGreaterThanOrEqual(5);
      const signalled = performance.now();
      server.child.kill("SIGTERM");

      const finishedAt = await Promise.all(inFlight);
      // Every request succeeded, and some of them were still running when the signal came.
      expect(finishedAt.filter((time) => time > signalled).length).toBeGreaterThan(0);
      expect(await server.exited).toBe(0);
      expect(performance.now() - signalled).toBeLessThan(10_000);
      expect(server.output()).toContain("shutting down");
      const { stdout } = await promisify(execFile)("pgrep", ["-f", `postgres -D ${join(dataDir, "postgres")}`]).catch(
        () => ({
          stdout: "",
        }),
      );
      expect(stdout.trim(), "embedded PostgreSQL still running").toBe("");
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    } finally {
      await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  }, 90_000);
});
