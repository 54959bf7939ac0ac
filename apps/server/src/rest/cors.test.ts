import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "../testing/index.ts";

/**
 * A RealWorld frontend on another origin (http://localhost:4200) calling /api
 * exactly as a browser does: a preflight, then the request with the browser's
 * own Origin and Sec-Fetch-* headers. Tokens travel in Authorization; cookies
 * play no part.
 */

const FRONTEND = "http://localhost:4200";

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: shapes are checked by contract.test.ts
  body: any;
  headers: Headers;
}

function browser(server: TestServer, origin: string, site: "cross-site" | "same-site" = "cross-site") {
  const fetchMetadata = { origin, "sec-fetch-site": site, "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" };
  return async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
    const requestHeaders = [
      ...(options.token ? ["authorization"] : []),
      ...(options.body !== undefined ? ["content-type"] : []),
    ];
    // Anything but a simple request is preflighted; a browser always asks for these.
    const preflight = await fetch(`${server.url}/api${path}`, {
      method: "OPTIONS",
      headers: {
        ...fetchMetadata,
        "access-control-request-method": method,
        "access-control-request-headers": "authorization,content-type",
      },
    });
    const headers: Record<string, string> = { ...fetchMetadata };
    if (options.token) headers.authorization = `Token ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const reply: Reply = { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    return { preflight, reply, requestHeaders };
  };
}

/** What a browser checks before it lets the page see the answer. */
function expectBrowserAllows(
  call: { preflight: Response; reply: Reply; requestHeaders: string[] },
  method: string,
  origin: string,
) {
  expect(call.preflight.status).toBe(204);
  expect(call.preflight.headers.get("access-control-allow-origin")).toBe(origin);
  const methods = (call.preflight.headers.get("access-control-allow-methods") ?? "").toUpperCase().split(/\s*,\s*/);
  expect(methods).toContain(method);
  const allowed = (call.preflight.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
  expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type"]));
  expect(call.preflight.headers.get("access-control-allow-credentials")).toBeNull();
  expect(call.reply.headers.get("access-control-allow-origin")).toBe(origin);
  expect(call.reply.headers.get("access-control-allow-credentials")).toBeNull();
  expect(call.reply.headers.get("set-cookie")).toBeNull();
}

describe("/api from a browser on another origin (CORS_ORIGINS=*)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  for (const site of ["cross-site", "same-site"] as const) {
    it(`works end to end, every call ${site}`, async () => {
      const call = browser(server, FRONTEND, site);
      const allowed = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
        const result = await call(method, path, options);
        expectBrowserAllows(result, method, "*");
        return result.reply;
      };
      const name = `cors${site.replace("-", "")}`;

      const signUp = await allowed("POST", "/users", {
        body: { user: { username: name, email: `${name}@example.com`, password: "password123" } },
      });
      expect(signUp.status).toBe(201);
      const signIn = await allowed("POST", "/users/login", {
        body: { user: { email: `${name}@example.com`, password: "password123" } },
      });
      expect(signIn.status).toBe(200);
      const token = signIn.body.user.token as string;

      const me = await allowed("GET", "/user", { token });
      expect(me).toMatchObject({ status: 200, body: { user: { username: name, token } } });
      const updated = await allowed("PUT", "/user", { token, body: { user: { bio: `from ${site}` } } });
      expect(updated).toMatchObject({ status: 200, body: { user: { bio: `from ${site}` } } });

      const created = await allowed("POST", "/articles", {
        token,
        body: { article: { title: `Written ${site}`, description: "d", body: "b", tagList: ["cors"] } },
      });
      expect(created.status).toBe(201);
      const slug = created.body.article.slug as string;
      const favorited = await allowed("POST", `/articles/${slug}/favorite`, { token });
      expect(favorited).toMatchObject({ status: 200, body: { article: { favorited: true, favoritesCount: 1 } } });
      const comment = await allowed("POST", `/articles/${slug}/comments`, {
        token,
        body: { comment: { body: "Nice" } },
      });
      expect(comment.status).toBe(201);
      const deletedComment = await allowed("DELETE", `/articles/${slug}/comments/${comment.body.comment.id}`, {
        token,
      });
      expect(deletedComment.status).toBe(204);
      const deleted = await allowed("DELETE", `/articles/${slug}`, { token });
      expect(deleted.status).toBe(204);
    });
  }

  it("exposes the headers a frontend needs to back off", async () => {
    const { reply } = await browser(server, FRONTEND)("GET", "/tags");
    const exposed = (reply.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(["retry-after", "x-request-id", "ratelimit", "ratelimit-policy"]));
  });

  it("ignores a session cookie: no principal comes from it", async () => {
    const signIn = await fetch(`${server.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ json: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } }),
    });
    const cookie = signIn.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(cookie).toMatch(/^inkwell_session=.+/);
    // The same cookie works on /trpc, where the admin console uses it …
    expect((await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } })).status).toBe(200);
    // … and means nothing to /api, in a browser or not.
    const variants: Record<string, string>[] = [
      { cookie },
      { cookie, origin: FRONTEND, "sec-fetch-site": "cross-site" },
    ];
    for (const headers of variants) {
      const me = await fetch(`${server.url}/api/user`, { headers });
      expect(me.status).toBe(401);
      expect(await me.json()).toEqual({ errors: { token: ["is missing"] } });
      const write = await fetch(`${server.url}/api/articles`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ article: { title: "By cookie", description: "d", body: "b" } }),
      });
      expect(write.status).toBe(401);
      expect(write.headers.get("set-cookie")).toBeNull();
    }
  });
});

describe("/api with CORS_ORIGINS listing one origin", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: FRONTEND, RATE_LIMIT_IP_PER_MINUTE: "8" });
  });
  afterAll(() => server?.close());

  it("allows that origin by name", async () => {
    const call = await browser(server, FRONTEND)("POST", "/users", {
      body: { user: { username: "listed", email: "listed@example.com", password: "password123" } },
    });
    expectBrowserAllows(call, "POST", FRONTEND);
    expect(call.reply.status).toBe(201);
    expect(call.reply.headers.get("vary")?.toLowerCase()).toContain("origin");
  });

  it("gives another origin no allow header, so its browser withholds the answer", async () => {
    for (const origin of ["http://localhost:4201", "https://localhost:4200", "http://evil.example"]) {
      const { preflight, reply } = await browser(server, origin)("GET", "/user", { token: "x" });
      expect(preflight.headers.get("access-control-allow-origin"), origin).toBeNull();
      expect(reply.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });

  it("lets the page read a refusal by the rate limit (429), so it can back off", async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const response = await fetch(`${server.url}/api/tags`, {
        headers: { origin: FRONTEND, "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" },
      });
      if (response.status === 429) refused = response;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get("access-control-allow-origin")).toBe(FRONTEND);
    expect(refused?.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("retry-after");
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
