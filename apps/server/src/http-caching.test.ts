import { createHash } from "node:crypto";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

/** A SHA-256 of the body, in hex. */
const STRONG_TAG = /^"[0-9a-f]{64}"$/;
const PUBLIC = "public, max-age=5, stale-while-revalidate=30";
const PRIVATE = "private, no-cache";

let server: TestServer;
let token: string;
let slug: string;

// fetch asks for compressed answers by default, whose tags are weak: ask for the body as it is, unless a test says.
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { "accept-encoding": "identity", ...headers } });

/** A request exactly as written, for headers fetch refuses to send. */
function rawRequest(request: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    // Written, not ended: a client that half-closes first may see the server drop the connection instead.
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

beforeAll(async () => {
  server = await startTestServer();
  const login = await fetch(`${server.url}/api/users/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } }),
  });
  token = ((await login.json()) as { user: { token: string } }).user.token;
  const created = await fetch(`${server.url}/api/articles`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Token ${token}` },
    body: JSON.stringify({ article: { title: "Cached", description: "d", body: "b", tagList: ["caching"] } }),
  });
  expect(created.status).toBe(201);
  slug = ((await created.json()) as { article: { slug: string } }).article.slug;
});
afterAll(() => server?.close());

describe("anonymous reads carry a strong ETag and may be shared for a short time", () => {
  it.each([
    ["the article list", () => "/api/articles?limit=20"],
    ["an article", () => `/api/articles/${slug}`],
    ["a profile", () => `/api/profiles/${TEST_ADMIN.username}`],
    ["the tags", () => "/api/tags"],
    ["an article's comments", () => `/api/articles/${slug}/comments`],
    ["tRPC articles.list", () => `/trpc/articles.list?input=${encodeURIComponent('{"json":{"limit":20}}')}`],
    ["an article through /api/rpc", () => `/api/rpc/articles.get?slug=${slug}`],
  ])("%s: 200 with ETag and public Cache-Control, then 304 without a body", async (_, path) => {
    const first = await get(path());
    expect(first.status).toBe(200);
    const tag = first.headers.get("etag") ?? "";
    expect(tag).toMatch(STRONG_TAG);
    expect(first.headers.get("cache-control")).toBe(PUBLIC);
    expect(first.headers.get("vary")).toMatch(/Authorization/);
    const bytes = new Uint8Array(await first.arrayBuffer());
    // The tag and the length name the bytes sent, however the answer was built (its bytes known or read back).
    expect(tag).toBe(`"${createHash("sha256").update(bytes).digest("hex")}"`);
    expect(first.headers.get("content-length")).toBe(String(bytes.byteLength));
    const body = new TextDecoder().decode(bytes);

    const again = await get(path(), { "if-none-match": tag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(tag);
    expect(again.headers.get("cache-control")).toBe(PUBLIC);
    expect(again.headers.get("vary")).toMatch(/Authorization/);
    expect(again.headers.get("x-request-id")).toBeTruthy();

    // The same answer twice has the same tag.
    const third = await get(path());
    expect(third.headers.get("etag")).toBe(tag);
    expect(await third.text()).toBe(body);
  });

  it("matches the weak form and a list, as browsers and caches send them; anything else gets the whole answer", async () => {
    const tag = (await get("/api/tags")).headers.get("etag") ?? "";
    const answers = async (ifNoneMatch: string) => (await get("/api/tags", { "if-none-match": ifNoneMatch })).status;
    expect(await answers(`W/${tag}`)).toBe(304);
    expect(await answers(`"0000000000000000000000000000000000000000", W/${tag}`)).toBe(304);
    expect(await answers(`"other",${tag}`)).toBe(304);
    // `*` matches any current answer (RFC 9110: the condition is false, so a GET answers 304).
    expect(await answers("*")).toBe(304);
    for (const other of [
      '"0000000000000000000000000000000000000000"',
      tag.slice(0, -1),
      tag.slice(1, -1),
      "",
      ",,,",
      "W/",
      `"${tag}"`,
    ]) {
      expect(await answers(other), other).toBe(200);
    }
  });

  it("a change makes a new tag: the old one gets the new answer", async () => {
    const before = await get("/api/articles?limit=20");
    const oldTag = before.headers.get("etag") ?? "";
    const created = await fetch(`${server.url}/api/articles`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Token ${token}` },
      body: JSON.stringify({ article: { title: "Newer", description: "d", body: "b", tagList: [] } }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBeNull();
    const after = await get("/api/articles?limit=20", { "if-none-match": oldTag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(oldTag);
    expect(((await after.json()) as { articles: { title: string }[] }).articles[0]?.title).toBe("Newer");
  });

  it("errors carry neither a tag nor a shared Cache-Control", async () => {
    const missing = await get("/api/articles/no-such-article");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("etag")).toBeNull();
    expect(missing.headers.get("cache-control")).toBeNull();
    const unauthorized = await get("/api/user");
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("cache-control")).toBeNull();
  });

  it("a compressed answer carries the weak form of the tag, and revalidates with it", async () => {
    // Descriptions long enough for the list to pass the compression threshold (1 kB); smaller answers go as they are.
    for (const title of ["Long one", "Long two", "Long three"]) {
      const long = await fetch(`${server.url}/api/articles`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Token ${token}` },
        body: JSON.stringify({ article: { title, description: "d".repeat(500), body: "b", tagList: [] } }),
      });
      expect(long.status).toBe(201);
    }
    const first = await get("/api/articles?limit=20", { "accept-encoding": "gzip" });
    expect(first.headers.get("content-encoding")).toBe("gzip");
    const tag = first.headers.get("etag") ?? "";
    expect(tag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    expect(first.headers.get("vary")).toMatch(/Accept-Encoding/);
    const plain = await get("/api/articles?limit=20");
    expect(`W/${plain.headers.get("etag")}`).toBe(tag);
    const again = await get("/api/articles?limit=20", { "accept-encoding": "gzip", "if-none-match": tag });
    expect(again.status).toBe(304);
  });
});

describe("signed-in reads are private", () => {
  it.each([
    ["REST with a token", "/api/articles?limit=20", () => ({ authorization: `Token ${token}` })],
    ["REST, the caller's own account", "/api/user", () => ({ authorization: `Token ${token}` })],
    ["REST, the feed", "/api/articles/feed", () => ({ authorization: `Token ${token}` })],
    ["tRPC with a bearer token", "/trpc/auth.me", () => ({ authorization: `Bearer ${token}` })],
  ])("%s: private, no-cache, still with a tag that revalidates", async (_, path, headers) => {
    const first = await get(path, headers());
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe(PRIVATE);
    const tag = first.headers.get("etag") ?? "";
    expect(tag).toMatch(STRONG_TAG);
    const again = await get(path, { ...headers(), "if-none-match": tag });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe(PRIVATE);
  });

  it("a malformed Authorization header is never served as a shared answer", async () => {
    const response = await get("/api/articles?limit=20", { authorization: "Basic abc" });
    // Refused or answered, it is not public.
    expect(response.headers.get("cache-control") ?? "").not.toMatch(/public/);
  });

  it("the session cookie makes a tRPC read private (and varies on it); /api never reads cookies", async () => {
    const signIn = await fetch(`${server.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ json: { email: TEST_ADMIN.email, password: TEST_ADMIN.password, session: "cookie" } }),
    });
    expect(signIn.headers.get("etag")).toBeNull();
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const trpc = await get(`/trpc/articles.list?input=${encodeURIComponent('{"json":{"limit":5}}')}`, { cookie });
    expect(trpc.headers.get("cache-control")).toBe(PRIVATE);
    expect(trpc.headers.get("vary")).toMatch(/Cookie/);
    const rest = await get("/api/tags", { cookie });
    expect(rest.headers.get("cache-control")).toBe(PUBLIC);
  });
});

describe("hostile If-None-Match headers", () => {
  it("a long list of tags (8 kB) is read and answered in full", async () => {
    const long = Array.from({ length: 200 }, (_, i) => `"${String(i).padStart(40, "0")}"`).join(", ");
    expect(long.length).toBeGreaterThan(8000);
    const response = await get("/api/tags", { "if-none-match": long });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { tags: string[] }).tags).toContain("caching");
  });

  it("one past Node's header limit is refused by the server with 431, and the server goes on", async () => {
    const answer = await rawRequest(
      `GET /api/tags HTTP/1.1\r\nHost: x\r\nIf-None-Match: "${"a".repeat(20_000)}"\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect((await get("/api/tags")).status).toBe(200);
  });

  it("unbalanced quotes, NUL-free garbage and a tag with a NUL byte do not match and do not fail", async () => {
    const tag = (await get("/api/tags")).headers.get("etag") ?? "";
    for (const value of ['"', '"""', `${tag.slice(0, 10)}`, "W/W/W/", `\t${tag.slice(0, -1)}\t`, "ÿÿ"]) {
      const answer = await rawRequest(
        `GET /api/tags HTTP/1.1\r\nHost: x\r\nIf-None-Match: ${value}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer, value).toMatch(/^HTTP\/1\.1 200 /);
    }
    const nul = await rawRequest(
      `GET /api/tags HTTP/1.1\r\nHost: x\r\nIf-None-Match: "a\0b"\r\nConnection: close\r\n\r\n`,
    );
    expect(nul).toMatch(/^HTTP\/1\.1 400 /);
    expect((await get("/api/tags")).status).toBe(200);
  });
});
