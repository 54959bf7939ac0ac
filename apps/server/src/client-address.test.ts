import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

/**
 * Which address and scheme the server believes a request came from, behind
 * 0, 1 or 2 trusted reverse proxies. Each proxy appends to X-Forwarded-For,
 * so only the right-most entries were written by proxies; everything to their
 * left is whatever the client sent.
 */

/** Every address the per-address rate limit has counted, with its hits. */
async function countedAddresses(server: TestServer): Promise<Record<string, number>> {
  // Hits are counted in the process and reported in batches (decision 012): report them first.
  await server.syncRateLimits();
  const rows = await server.database.sql<{ key: string; hits: number }[]>`
    select key, hits from throttle_counters where key like 'rate:ip:%'`;
  return Object.fromEntries(rows.map((row) => [row.key.slice("rate:ip:".length), row.hits]));
}

async function resetCounters(server: TestServer): Promise<void> {
  await server.syncRateLimits();
  await server.database.sql`delete from throttle_counters`;
}

const status = (server: TestServer, headers: Record<string, string>) =>
  fetch(`${server.url}/trpc/tags.list`, { headers });

const SOCKET_ADDRESSES = ["127.0.0.1", "::ffff:127.0.0.1", "::1"];

describe("TRUST_PROXY=true (one proxy)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: "true" });
  });
  afterAll(() => server?.close());

  it("takes the entry the proxy appended: a spoofed left-most entry changes nothing", async () => {
    await resetCounters(server);
    for (const spoofed of ["203.0.113.1", "203.0.113.2", "10.0.0.1, 203.0.113.3"]) {
      expect((await status(server, { "x-forwarded-for": `${spoofed}, 198.51.100.20` })).status).toBe(200);
    }
    expect(await countedAddresses(server)).toEqual({ "198.51.100.20": 3 });
  });

  it("records the real address in the audit log and the sign-in lock", async () => {
    await resetCounters(server);
    const response = await fetch(`${server.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9, 198.51.100.21" },
      body: JSON.stringify({ json: { email: TEST_ADMIN.email, password: "wrong password 1" } }),
    });
    expect(response.status).toBe(401);
    const [event] = await server.database.sql`
      select ip from audit_events where action = 'auth.signIn' order by id desc limit 1`;
    expect(event?.ip).toBe("198.51.100.21");
    await server.syncRateLimits();
    const keys = await server.database.sql<{ key: string }[]>`select key from throttle_counters order by key`;
    expect(keys.map((row) => row.key).filter((key) => key.includes("203.0.113.9"))).toEqual([]);
    expect(keys.map((row) => row.key)).toContain("rate:ip:198.51.100.21");
  });

  it("falls back to the socket address when the header is empty or malformed", async () => {
    for (const header of ["", " ", ",", "198.51.100.22, ", "not-an-address", "198.51.100.23, garbage", "1.2.3.4.5"]) {
      await resetCounters(server);
      expect((await status(server, { "x-forwarded-for": header })).status, header).toBe(200);
      const counted = Object.keys(await countedAddresses(server));
      expect(counted, header).toHaveLength(1);
      expect(SOCKET_ADDRESSES, header).toContain(counted[0]);
    }
  });

  it("takes the scheme and host the proxy set, not those the client prepended", async () => {
    const signIn = (headers: Record<string, string>) =>
      fetch(`${server.url}/trpc/auth.signIn`, {
        method: "POST",
        headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", ...headers },
        body: JSON.stringify({ json: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } }),
      });
    const secure = async (headers: Record<string, string>) =>
      /;\s*Secure/i.test((await signIn(headers)).headers.get("set-cookie") ?? "");
    expect(await secure({ "x-forwarded-proto": "https" })).toBe(true);
    expect(await secure({ "x-forwarded-proto": "https, http" })).toBe(false);
    expect(await secure({ "x-forwarded-proto": "http, https" })).toBe(true);
    expect(await secure({ "x-forwarded-proto": "javascript" })).toBe(false);

    // The server's own origin (for the cookie origin check) is built from the proxy's host, not the client's.
    const cookie = (await signIn({})).headers.get("set-cookie")?.split(";")[0] ?? "";
    const changeBio = (headers: Record<string, string>) =>
      fetch(`${server.url}/trpc/auth.updateProfile`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, ...headers },
        body: JSON.stringify({ json: { bio: "from the proxy test" } }),
      });
    const viaProxy = { "x-forwarded-host": "evil.example, inkwell.example", "x-forwarded-proto": "https" };
    expect((await changeBio({ ...viaProxy, origin: "https://evil.example" })).status).toBe(403);
    expect((await changeBio({ ...viaProxy, origin: "https://inkwell.example" })).status).toBe(200);
  });
});

describe("TRUST_PROXY=2 (two proxies)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: "2" });
  });
  afterAll(() => server?.close());

  it("takes the second entry from the right", async () => {
    await resetCounters(server);
    await status(server, { "x-forwarded-for": "203.0.113.5, 198.51.100.30, 10.0.0.2" });
    await status(server, { "x-forwarded-for": "198.51.100.30,10.0.0.3" });
    // Fewer entries than proxies: the request passed one proxy only, whose entry is the client.
    await status(server, { "x-forwarded-for": "198.51.100.31" });
    expect(await countedAddresses(server)).toEqual({ "198.51.100.30": 2, "198.51.100.31": 1 });
  });

  it("falls back to the socket address when the chosen entry is malformed", async () => {
    await resetCounters(server);
    await status(server, { "x-forwarded-for": "198.51.100.32, unknown, 10.0.0.2" });
    const counted = Object.keys(await countedAddresses(server));
    expect(counted).toHaveLength(1);
    expect(SOCKET_ADDRESSES).toContain(counted[0]);
  });
});

describe("TRUST_PROXY=false (the default)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("ignores X-Forwarded-* entirely", async () => {
    await status(server, { "x-forwarded-for": "198.51.100.40", "x-forwarded-proto": "https" });
    const counted = Object.keys(await countedAddresses(server));
    expect(counted).toHaveLength(1);
    expect(SOCKET_ADDRESSES).toContain(counted[0]);
  });
});
