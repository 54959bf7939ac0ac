import { SESSION_COOKIE } from "@inkwell/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStream, subscriptionUrl } from "./testing/event-stream.ts";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

/** A batched tRPC call as httpBatchLink sends it: `/trpc/a,b,c?batch=1`. */
function batch(url: string, paths: string[], init: { headers?: Record<string, string>; inputs?: unknown[] } = {}) {
  const query = `/trpc/${paths.join(",")}?batch=1`;
  if (!init.inputs) return fetch(`${url}${query}`, { headers: init.headers });
  return fetch(`${url}${query}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify(Object.fromEntries(init.inputs.map((input, index) => [index, { json: input }]))),
  });
}

const times = (count: number, path: string) => Array.from({ length: count }, () => path);
const from = (address: string) => ({ "x-forwarded-for": address });

async function signIn(url: string, headers: Record<string, string>, session: "token" | "cookie") {
  const response = await fetch(`${url}/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", ...headers },
    body: JSON.stringify({ json: { email: TEST_ADMIN.email, password: TEST_ADMIN.password, session } }),
  });
  expect(response.status).toBe(200);
  if (session === "cookie") return (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
  return ((await response.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
}

describe("rate limits count each call of a tRPC batch", () => {
  const PER_ADDRESS = 10;
  const PER_CREDENTIAL = 6;
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      RATE_LIMIT_IP_PER_MINUTE: String(PER_ADDRESS),
      RATE_LIMIT_CREDENTIAL_PER_MINUTE: String(PER_CREDENTIAL),
      TRUST_PROXY: "true",
    });
  });
  afterAll(() => server?.close());

  it("a batch of N counts N against the address; one that would exceed the limit is refused whole", async () => {
    const address = from("198.51.100.10");
    const eight = await batch(server.url, times(8, "tags.list"), { headers: address });
    expect(eight.status).toBe(200);
    expect(eight.headers.get("ratelimit")).toMatch(/^limit=10, remaining=2, reset=\d+$/);

    // Three sign-ups in one request: refused before any of them runs.
    const emails = ["batch-a@example.com", "batch-b@example.com", "batch-c@example.com"];
    const refused = await batch(server.url, times(3, "auth.signUp"), {
      headers: address,
      inputs: emails.map((email, i) => ({ email, username: `batch${i}`, password: "password123" })),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit")).toMatch(/^limit=10, remaining=0, reset=\d+$/);
    expect(refused.headers.get("ratelimit-policy")).toBe("10;w=60");
    expect(((await refused.json()) as { error: string }).error).toMatch(/Too many requests/);
    const created = await server.database.sql`select email from users where email in ${server.database.sql(emails)}`;
    expect(created).toEqual([]);

    expect((await fetch(`${server.url}/trpc/tags.list`, { headers: address })).status).toBe(429);
    const [row] = await server.database.sql`select hits from throttle_counters where key = 'rate:ip:198.51.100.10'`;
    expect(row?.hits).toBe(8 + 3 + 1);
  });

  it("a batch of N counts N against the credential, whatever address it comes from", async () => {
    const token = await signIn(server.url, from("198.51.100.11"), "token");
    const bearer = { authorization: `Bearer ${token}` };
    const five = await batch(server.url, times(5, "auth.me"), { headers: { ...bearer, ...from("203.0.113.1") } });
    expect(five.status).toBe(200);
    expect(five.headers.get("ratelimit")).toMatch(/^limit=6, remaining=1, reset=\d+$/);
    const two = await batch(server.url, times(2, "auth.me"), { headers: { ...bearer, ...from("203.0.113.2") } });
    expect(two.status).toBe(429);
    expect(two.headers.get("ratelimit-policy")).toBe("6;w=60");
  });

  it("keys on the token, so spelling the Authorization header differently buys no extra budget", async () => {
    const token = await signIn(server.url, from("198.51.100.12"), "token");
    const spellings = [
      `Bearer ${token}`,
      `bearer ${token}`,
      `Token ${token}`,
      `Bearer   ${token}`,
      ` Bearer\t${token} `,
    ];
    for (const [i, authorization] of [...spellings, `BEARER ${token}`].entries()) {
      const response = await fetch(`${server.url}/trpc/auth.me`, {
        headers: { authorization, ...from(`203.0.113.${20 + i}`) },
      });
      expect(response.status, authorization).toBe(200);
    }
    const seventh = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { authorization: `Token ${token}`, ...from("203.0.113.40") },
    });
    expect(seventh.status).toBe(429);
  });

  it("counts a live stream opened with the token as a connection parameter against that token", async () => {
    const token = await signIn(server.url, from("198.51.100.13"), "token");
    for (let i = 0; i < PER_CREDENTIAL; i++) {
      const url = `${subscriptionUrl(server.url, "activity.onEvent")}&connectionParams=${encodeURIComponent(JSON.stringify({ token }))}`;
      const stream = await openEventStream(url, from(`203.0.113.${50 + i}`));
      expect(stream.response.status).toBe(200);
      await stream.close();
    }
    const after = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { authorization: `Bearer ${token}`, ...from("203.0.113.60") },
    });
    expect(after.status).toBe(429);
  });

  it("counts an empty Authorization header with a valid cookie per address only: the cookie is not used", async () => {
    const cookie = await signIn(server.url, from("198.51.100.14"), "cookie");
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=.+`));
    const emptyAuthorization = { authorization: "", cookie };

    // More calls than the credential allows, each from its own address: none is counted against the cookie.
    for (let i = 0; i < PER_CREDENTIAL + 2; i++) {
      const read = await fetch(`${server.url}/trpc/articles.list`, {
        headers: { ...emptyAuthorization, ...from(`203.0.113.${70 + i}`) },
      });
      expect(read.status).toBe(200);
    }
    const me = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { ...emptyAuthorization, ...from("203.0.113.80") },
    });
    expect(me.status).toBe(401);
    // The cookie alone still has its whole budget.
    for (let i = 0; i < PER_CREDENTIAL; i++) {
      const withCookie = await fetch(`${server.url}/trpc/auth.me`, {
        headers: { cookie, ...from(`203.0.113.${90 + i}`) },
      });
      expect(withCookie.status).toBe(200);
    }
  });

  it("does not count a cookie sent to /api, which never reads cookies, against that session", async () => {
    const cookie = await signIn(server.url, from("198.51.100.15"), "cookie");
    for (let i = 0; i < PER_CREDENTIAL + 2; i++) {
      const response = await fetch(`${server.url}/api/tags`, { headers: { cookie, ...from(`203.0.113.${110 + i}`) } });
      expect(response.status).toBe(200);
    }
    const withCookie = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie, ...from("203.0.113.130") } });
    expect(withCookie.status).toBe(200);
    expect(withCookie.headers.get("ratelimit")).toMatch(/^limit=6, remaining=5, reset=\d+$/);
  });
});

describe("the /trpc edge", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("refuses a batch of more than 50 calls with a clear message, and serves 50", async () => {
    const fifty = await batch(server.url, times(50, "tags.list"));
    expect(fifty.status).toBe(200);
    expect((await fifty.json()) as unknown[]).toHaveLength(50);

    const fiftyOne = await batch(server.url, times(51, "tags.list"));
    expect(fiftyOne.status).toBe(400);
    const body = (await fiftyOne.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json).toMatchObject({
      message: "A batch holds at most 50 calls.",
      data: { code: "BAD_REQUEST" },
    });
  });

  it("answers every call with X-Request-Id and the RateLimit headers: success, error, batch, stream", async () => {
    const answers = {
      success: await fetch(`${server.url}/trpc/tags.list`),
      unauthorized: await fetch(`${server.url}/trpc/auth.me`),
      unknownProcedure: await fetch(`${server.url}/trpc/no.such.procedure`),
      badInput: await fetch(`${server.url}/trpc/articles.get?input=${encodeURIComponent('{"json":{"slug":5}}')}`),
      batch: await batch(server.url, ["tags.list", "articles.list"]),
      oversizeBatch: await batch(server.url, times(51, "tags.list")),
      mutation: await fetch(`${server.url}/trpc/auth.signOut`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: null }),
      }),
    };
    const statuses = Object.fromEntries(Object.entries(answers).map(([name, response]) => [name, response.status]));
    expect(statuses).toEqual({
      success: 200,
      unauthorized: 401,
      unknownProcedure: 404,
      badInput: 400,
      batch: 200,
      oversizeBatch: 400,
      mutation: 401,
    });
    for (const [name, response] of Object.entries(answers)) {
      expect(response.headers.get("x-request-id"), name).toMatch(/^[\w-]{8,}$/);
      expect(response.headers.get("ratelimit"), name).toMatch(/^limit=600, remaining=\d+, reset=\d+$/);
      expect(response.headers.get("ratelimit-policy"), name).toBe("600;w=60");
    }

    const forwarded = await fetch(`${server.url}/trpc/tags.list`, { headers: { "x-request-id": "proxy-id-42" } });
    expect(forwarded.headers.get("x-request-id")).toBe("proxy-id-42");

    const stream = await openEventStream(subscriptionUrl(server.url, "activity.onEvent"));
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get("x-request-id")).toMatch(/^[\w-]{8,}$/);
    expect(stream.response.headers.get("ratelimit")).toMatch(/^limit=600, remaining=\d+, reset=\d+$/);
    await stream.close();
  });
});
