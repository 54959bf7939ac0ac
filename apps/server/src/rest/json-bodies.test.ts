import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/index.ts";

/** A request body on /api must be declared as JSON; requests without a body need no Content-Type. */
describe("REST request bodies", () => {
  let server: TestServer;
  let token: string;
  let slug: string;

  const send = (
    method: string,
    path: string,
    body: RequestInit["body"] | undefined,
    headers: Record<string, string> = {},
  ) => fetch(`${server.url}/api${path}`, { method, body, headers: { authorization: `Token ${token}`, ...headers } });
  const json = (value: unknown) => JSON.stringify(value);
  const UNSUPPORTED = { errors: { body: ["must be sent as application/json"] } };

  beforeAll(async () => {
    server = await startTestServer();
    const signUp = await fetch(`${server.url}/api/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: json({ user: { username: "bodies", email: "bodies@example.com", password: "password123" } }),
    });
    token = ((await signUp.json()) as { user: { token: string } }).user.token;
    const created = await send("POST", "/articles", json({ article: { title: "T", description: "d", body: "b" } }), {
      "content-type": "application/json",
    });
    slug = ((await created.json()) as { article: { slug: string } }).article.slug;
  });
  afterAll(() => server?.close());

  it("answers 415 with a RealWorld error body when a body is not declared as application/json", async () => {
    const article = json({ article: { title: "Sneaky", description: "d", body: "b" } });
    const cases: [string, RequestInit["body"], Record<string, string>][] = [
      ["text/plain (what a form or a no-preflight fetch sends)", article, { "content-type": "text/plain" }],
      ["a string body with fetch's default type", article, {}],
      ["no Content-Type at all", new TextEncoder().encode(article), {}],
      ["form encoding", "article=x", { "content-type": "application/x-www-form-urlencoded" }],
      ["multipart", article, { "content-type": "multipart/form-data; boundary=x" }],
      ["a look-alike type", article, { "content-type": "application/jsonx" }],
      ["a JSON-based type that is not JSON", article, { "content-type": "application/json-patch+json" }],
    ];
    for (const [what, body, headers] of cases) {
      const response = await send("POST", "/articles", body, headers);
      expect(response.status, what).toBe(415);
      expect(await response.json(), what).toEqual(UNSUPPORTED);
    }
    const [count] = await server.database.sql`select count(*)::int as n from articles where title = 'Sneaky'`;
    expect(count?.n).toBe(0);

    const login = await fetch(`${server.url}/api/users/login`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: json({ user: { email: "bodies@example.com", password: "password123" } }),
    });
    expect(login.status).toBe(415);
    const update = await send("PUT", "/user", json({ user: { bio: "x" } }), { "content-type": "text/plain" });
    expect(update.status).toBe(415);
  });

  it("accepts application/json with parameters and in any letter case", async () => {
    for (const type of ["application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"]) {
      const response = await send("PUT", "/user", json({ user: { bio: type } }), { "content-type": type });
      expect(response.status, type).toBe(200);
      expect(((await response.json()) as { user: { bio: string } }).user.bio).toBe(type);
    }
  });

  it("leaves requests without a body alone: favorite, unfavorite, delete", async () => {
    expect((await send("POST", `/articles/${slug}/favorite`, undefined)).status).toBe(200);
    expect((await send("DELETE", `/articles/${slug}/favorite`, undefined)).status).toBe(200);
    expect((await send("POST", `/articles/${slug}/favorite`, "", { "content-type": "text/plain" })).status).toBe(200);
    expect((await send("DELETE", `/articles/${slug}`, undefined)).status).toBe(204);
  });

  it("still reads a missing body on an endpoint that needs one as a blank envelope (422)", async () => {
    const response = await send("POST", "/articles", undefined);
    expect(response.status).toBe(422);
  });
});
