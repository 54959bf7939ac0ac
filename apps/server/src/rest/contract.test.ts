import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/index.ts";
import { type OpenApiDocument, ResponseChecker, readRealWorldSpec } from "../testing/openapi-bodies.ts";
import { enrolOverHttp } from "../testing/two-factor.ts";
import { realWorldDocument } from "./document.ts";

/**
 * The RealWorld contract over real HTTP: every endpoint, status code and
 * error body of docs/realworld. Every response is checked against the OpenAPI
 * document the server publishes (its status must be documented for the
 * operation, its body must match) and, where the RealWorld specification
 * documents that status, against the specification too.
 */

let server: TestServer;
let bodies: ResponseChecker;

function expectShape(response: string, body: unknown) {
  const validate = bodies.named("openapi", response);
  if (!validate) throw new Error(`no body in response ${response}`);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

/** Every reply of `call`: documented by Inkwell's document, and by RealWorld's where it speaks of that status. */
function expectDocumented(method: string, path: string, reply: Reply) {
  const ours = bodies.check("openapi", method, path, reply.status, reply.body);
  expect(ours, `${method} ${path} ${reply.status}: ${JSON.stringify(reply.body)}`).toEqual({
    documented: true,
    errors: [],
  });
  const theirs = bodies.check("realworld", method, path, reply.status, reply.body);
  if (theirs.documented) expect(theirs.errors, `RealWorld: ${method} ${path} ${reply.status}`).toEqual([]);
}

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are checked against the OpenAPI schemas instead
  body: any;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; scheme?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `${options.scheme ?? "Token"} ${options.token}`;
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const reply = { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  expectDocumented(method, path, reply);
  return reply;
}

async function register(name: string) {
  const reply = await call("POST", "/users", {
    body: { user: { username: name, email: `${name}@example.com`, password: "password123" } },
  });
  expect(reply.status).toBe(201);
  return reply.body.user as { token: string; username: string; email: string };
}

beforeAll(async () => {
  server = await startTestServer();
  const published = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as OpenApiDocument;
  bodies = new ResponseChecker({ openapi: published, realworld: readRealWorldSpec() });
});
afterAll(async () => {
  await server?.close();
});

describe("users and authentication", () => {
  it("POST /users registers: 201, token, null bio and image", async () => {
    const reply = await call("POST", "/users", {
      body: { user: { username: "jake", email: "jake@jake.jake", password: "jakejake" } },
    });
    expect(reply.status).toBe(201);
    expectShape("UserResponse", reply.body);
    expect(reply.body.user).toMatchObject({ username: "jake", email: "jake@jake.jake", bio: null, image: null });
    expect(reply.body.user.token).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/);
  });

  it("POST /users answers 409 for a taken username or email", async () => {
    const username = await call("POST", "/users", {
      body: { user: { username: "jake", email: "other@x.io", password: "password123" } },
    });
    expect(username).toMatchObject({ status: 409, body: { errors: { username: ["has already been taken"] } } });
    const email = await call("POST", "/users", {
      body: { user: { username: "other", email: "JAKE@jake.jake", password: "password123" } },
    });
    expect(email).toMatchObject({ status: 409, body: { errors: { email: ["has already been taken"] } } });
  });

  it("POST /users answers 422 for blank fields and short passwords, and accepts 64-character passwords", async () => {
    const blank = await call("POST", "/users", { body: { user: { username: "", email: "x@y.io" } } });
    expect(blank.status).toBe(422);
    expect(blank.body.errors).toMatchObject({ username: ["can't be blank"], password: ["can't be blank"] });
    const short = await call("POST", "/users", {
      body: { user: { username: "shorty", email: "s@y.io", password: "1234567" } },
    });
    expect(short.status).toBe(422);
    expect(short.body.errors.password).toHaveLength(1);
    const long = await call("POST", "/users", {
      body: { user: { username: "longpw", email: "l@y.io", password: "p".repeat(64) } },
    });
    expect(long.status).toBe(201);
    expect((await call("POST", "/users", { body: {} })).body).toEqual({ errors: { user: ["can't be blank"] } });
  });

  it("POST /users/login signs in, or answers 401 credentials invalid, or 422 when blank", async () => {
    const ok = await call("POST", "/users/login", {
      body: { user: { email: "jake@jake.jake", password: "jakejake" } },
    });
    expect(ok.status).toBe(200);
    expectShape("UserResponse", ok.body);
    const wrong = await call("POST", "/users/login", {
      body: { user: { email: "jake@jake.jake", password: "wrongwrong" } },
    });
    expect(wrong).toMatchObject({ status: 401, body: { errors: { credentials: ["invalid"] } } });
    const unknown = await call("POST", "/users/login", {
      body: { user: { email: "nobody@jake.jake", password: "wrongwrong" } },
    });
    expect(unknown.body).toEqual(wrong.body);
    const blank = await call("POST", "/users/login", { body: { user: { email: "" } } });
    expect(blank).toMatchObject({
      status: 422,
      body: { errors: { email: ["can't be blank"], password: ["can't be blank"] } },
    });
  });

  it("POST /users/login answers 401 for an account with two-factor sign-in, naming what to use instead", async () => {
    const { token } = await register("guarded");
    const { key } = await enrolOverHttp(server.url, token);
    const before = await server.database.sql`select count(*)::int as n from sessions`;
    const login = await call("POST", "/users/login", {
      body: { user: { email: "guarded@example.com", password: "password123" } },
    });
    expect(login).toMatchObject({
      status: 401,
      body: {
        errors: {
          twoFactor: [
            "is on for this account, and this API cannot ask for the code. Use an API key (Authorization: Bearer ink_…), or sign in through the typed client (@inkwell/client: auth.signIn, then auth.signIn2fa).",
          ],
        },
      },
    });
    // No session was opened, and no code was needed to learn that: the password was checked first.
    expect(await server.database.sql`select count(*)::int as n from sessions`).toEqual(before);
    const wrong = await call("POST", "/users/login", {
      body: { user: { email: "guarded@example.com", password: "wrongwrong" } },
    });
    expect(wrong.body).toEqual({ errors: { credentials: ["invalid"] } });
    expect(key.byteLength).toBe(20);
    // The session that turned it on stays signed in.
    expect((await call("GET", "/user", { token })).status).toBe(200);
  });

  it("GET /user returns the current user with the presented token (Token or Bearer), or 401 token is missing", async () => {
    const user = await register("current");
    for (const scheme of ["Token", "Bearer"]) {
      const reply = await call("GET", "/user", { token: user.token, scheme });
      expect(reply.status).toBe(200);
      expectShape("UserResponse", reply.body);
      expect(reply.body.user).toMatchObject({ username: "current", token: user.token });
    }
    expect(await call("GET", "/user")).toMatchObject({ status: 401, body: { errors: { token: ["is missing"] } } });
    expect((await call("GET", "/user", { token: `${user.token}x` })).status).toBe(401);
  });

  it("PUT /user updates, stores empty bio/image as null, refuses blank email or username", async () => {
    const user = await register("editor");
    const updated = await call("PUT", "/user", {
      token: user.token,
      body: { user: { bio: "I write", image: "https://example.com/me.png" } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.user).toMatchObject({ bio: "I write", image: "https://example.com/me.png", token: user.token });
    const cleared = await call("PUT", "/user", { token: user.token, body: { user: { bio: "", image: null } } });
    expect(cleared.body.user).toMatchObject({ bio: null, image: null });
    for (const blank of [{ email: "" }, { email: null }, { username: "" }, { username: null }]) {
      const reply = await call("PUT", "/user", { token: user.token, body: { user: blank } });
      expect(reply.status).toBe(422);
      expect(reply.body.errors[Object.keys(blank)[0] as string]).toEqual(["can't be blank"]);
    }
    expect((await call("PUT", "/user", { body: { user: { bio: "x" } } })).status).toBe(401);
  });

  it("PUT /user stores any image text the contract allows (the UI neutralises it), within a length limit", async () => {
    const user = await register("xss");
    const script = "javascript:alert(1)";
    const stored = await call("PUT", "/user", { token: user.token, body: { user: { image: script } } });
    expect(stored.status).toBe(200);
    expect(stored.body.user.image).toBe(script);
    expect((await call("GET", `/profiles/${user.username}`)).body.profile.image).toBe(script);
    const huge = await call("PUT", "/user", { token: user.token, body: { user: { image: "x".repeat(2049) } } });
    expect(huge.status).toBe(422);
    expect(huge.body.errors.image).toEqual(["Use at most 2,048 characters."]);
  });

  it("PUT /user changes the password", async () => {
    const user = await register("rotator");
    expect(
      (await call("PUT", "/user", { token: user.token, body: { user: { password: "brand new pass" } } })).status,
    ).toBe(200);
    const login = await call("POST", "/users/login", {
      body: { user: { email: user.email, password: "brand new pass" } },
    });
    expect(login.status).toBe(200);
  });

  it("issues real Inkwell sessions: listed and revocable through the procedures", async () => {
    const user = await register("sessional");
    const sessions = await fetch(`${server.url}/trpc/auth.sessions.list`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(await sessions.text()).toContain('"current":true');
    const signOut = await fetch(`${server.url}/trpc/auth.signOut`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
    });
    expect(signOut.status).toBe(200);
    expect((await call("GET", "/user", { token: user.token })).status).toBe(401);
  });
});

describe("profiles", () => {
  it("GET /profiles/:username, follow and unfollow", async () => {
    const celeb = await register("celeb");
    const fan = await register("fan");
    const anonymous = await call("GET", `/profiles/${celeb.username}`);
    expect(anonymous.status).toBe(200);
    expectShape("ProfileResponse", anonymous.body);
    expect(anonymous.body.profile).toEqual({ username: "celeb", bio: null, image: null, following: false });

    const follow = await call("POST", `/profiles/${celeb.username}/follow`, { token: fan.token });
    expect(follow).toMatchObject({ status: 200, body: { profile: { following: true } } });
    expect((await call("GET", `/profiles/${celeb.username}`, { token: fan.token })).body.profile.following).toBe(true);
    const unfollow = await call("DELETE", `/profiles/${celeb.username}/follow`, { token: fan.token });
    expect(unfollow).toMatchObject({ status: 200, body: { profile: { following: false } } });

    expect(await call("GET", "/profiles/nobody")).toMatchObject({
      status: 404,
      body: { errors: { profile: ["not found"] } },
    });
    expect((await call("POST", "/profiles/nobody/follow", { token: fan.token })).status).toBe(404);
    expect(await call("POST", `/profiles/${celeb.username}/follow`)).toMatchObject({
      status: 401,
      body: { errors: { token: ["is missing"] } },
    });
  });
});

describe("articles", () => {
  const article = {
    title: "How to train your dragon",
    description: "Ever wonder how?",
    body: "You have to believe",
    tagList: ["training", "dragons"],
  };

  it("POST /articles creates (201), GET /articles/:slug reads it with sorted tags", async () => {
    const author = await register("author1");
    const created = await call("POST", "/articles", { token: author.token, body: { article } });
    expect(created.status).toBe(201);
    expectShape("SingleArticleResponse", created.body);
    expect(created.body.article).toMatchObject({
      slug: "how-to-train-your-dragon",
      tagList: ["dragons", "training"],
      favorited: false,
      favoritesCount: 0,
      author: { username: "author1", following: false },
    });
    const read = await call("GET", "/articles/how-to-train-your-dragon");
    expect(read.status).toBe(200);
    expect(read.body.article.body).toBe("You have to believe");
    expect(await call("GET", "/articles/no-such")).toMatchObject({
      status: 404,
      body: { errors: { article: ["not found"] } },
    });
  });

  it("POST /articles answers 422 for blank fields and 401 without a token", async () => {
    const author = await register("author2");
    const blank = await call("POST", "/articles", { token: author.token, body: { article: { title: "", body: "x" } } });
    expect(blank.status).toBe(422);
    expect(blank.body.errors).toMatchObject({ title: ["can't be blank"], description: ["can't be blank"] });
    expect((await call("POST", "/articles", { body: { article } })).status).toBe(401);
  });

  it("answers 401 before judging the fields: an anonymous caller learns nothing about the rules", async () => {
    // The procedures check who calls before they validate; the facade validates nothing itself, so REST keeps that order.
    const blank = { title: "", description: "x".repeat(501), body: "", tagList: null };
    for (const [method, path, body] of [
      ["POST", "/articles", { article: blank }],
      ["PUT", "/articles/anything", { article: blank }],
      ["PUT", "/user", { user: { email: "", username: "" } }],
      ["POST", "/articles/anything/comments", { comment: { body: "" } }],
    ] as const) {
      expect(await call(method, path, { body }), `${method} ${path}`).toMatchObject({
        status: 401,
        body: { errors: { token: ["is missing"] } },
      });
    }
  });

  it("PUT /articles/:slug keeps tags without tagList, clears them with [], refuses null, and only for the author", async () => {
    const author = await register("author3");
    const other = await register("intruder");
    const { body } = await call("POST", "/articles", {
      token: author.token,
      body: { article: { ...article, title: "Tagged" } },
    });
    const slug = body.article.slug;

    const kept = await call("PUT", `/articles/${slug}`, {
      token: author.token,
      body: { article: { body: "new body" } },
    });
    expect(kept).toMatchObject({
      status: 200,
      body: { article: { body: "new body", tagList: ["dragons", "training"] } },
    });
    const cleared = await call("PUT", `/articles/${slug}`, { token: author.token, body: { article: { tagList: [] } } });
    expect(cleared.body.article.tagList).toEqual([]);
    const nulled = await call("PUT", `/articles/${slug}`, {
      token: author.token,
      body: { article: { tagList: null } },
    });
    expect(nulled.status).toBe(422);
    expect(nulled.body.errors).toHaveProperty("tagList");

    expect(
      await call("PUT", `/articles/${slug}`, { token: other.token, body: { article: { body: "mine" } } }),
    ).toMatchObject({
      status: 403,
      body: { errors: { article: ["forbidden"] } },
    });
    expect(
      (await call("PUT", "/articles/nope", { token: author.token, body: { article: { body: "x" } } })).status,
    ).toBe(404);
    expect((await call("PUT", `/articles/${slug}`, { body: { article: { body: "x" } } })).status).toBe(401);
  });

  it("DELETE /articles/:slug answers 204, 403 for others, 404 when gone", async () => {
    const author = await register("author4");
    const other = await register("vandal");
    const { body } = await call("POST", "/articles", {
      token: author.token,
      body: { article: { ...article, title: "Ephemeral" } },
    });
    const slug = body.article.slug;
    expect((await call("DELETE", `/articles/${slug}`, { token: other.token })).status).toBe(403);
    const deleted = await fetch(`${server.url}/api/articles/${slug}`, {
      method: "DELETE",
      headers: { authorization: `Token ${author.token}` },
    });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect((await call("DELETE", `/articles/${slug}`, { token: author.token })).status).toBe(404);
  });

  it("favorites: POST and DELETE /articles/:slug/favorite", async () => {
    const author = await register("author5");
    const fan = await register("fan5");
    const { body } = await call("POST", "/articles", {
      token: author.token,
      body: { article: { ...article, title: "Lovely" } },
    });
    const slug = body.article.slug;
    const favorited = await call("POST", `/articles/${slug}/favorite`, { token: fan.token });
    expect(favorited).toMatchObject({ status: 200, body: { article: { favorited: true, favoritesCount: 1 } } });
    expectShape("SingleArticleResponse", favorited.body);
    const unfavorited = await call("DELETE", `/articles/${slug}/favorite`, { token: fan.token });
    expect(unfavorited).toMatchObject({ status: 200, body: { article: { favorited: false, favoritesCount: 0 } } });
    expect((await call("POST", `/articles/${slug}/favorite`)).status).toBe(401);
    expect((await call("POST", "/articles/nope/favorite", { token: fan.token })).status).toBe(404);
  });

  it("GET /articles lists newest first without bodies, filters, pages, and counts", async () => {
    const writer = await register("lister");
    const reader = await register("reader");
    for (let i = 1; i <= 3; i++) {
      await call("POST", "/articles", {
        token: writer.token,
        body: { article: { ...article, title: `Listed ${i}`, tagList: ["listing"] } },
      });
    }
    await call("POST", "/articles/listed-1/favorite", { token: reader.token });

    const byTag = await call("GET", "/articles?tag=listing");
    expect(byTag.status).toBe(200);
    expectShape("MultipleArticlesResponse", byTag.body);
    expect(byTag.body.articlesCount).toBe(3);
    expect(byTag.body.articles.map((a: { slug: string }) => a.slug)).toEqual(["listed-3", "listed-2", "listed-1"]);
    expect(byTag.body.articles[0]).not.toHaveProperty("body");

    const paged = await call("GET", "/articles?tag=listing&limit=1&offset=1");
    expect(paged.body).toMatchObject({ articlesCount: 3, articles: [{ slug: "listed-2" }] });
    expect((await call("GET", "/articles?author=lister")).body.articlesCount).toBe(3);
    expect(
      (await call("GET", "/articles?favorited=reader")).body.articles.map((a: { slug: string }) => a.slug),
    ).toEqual(["listed-1"]);
    expect((await call("GET", "/articles?limit=abc")).status).toBe(422);
  });

  it("GET /articles/feed lists followed authors' articles, and needs a token", async () => {
    const writer = await register("feeder");
    const follower = await register("follower");
    await call("POST", "/articles", { token: writer.token, body: { article: { ...article, title: "Fed" } } });
    await call("POST", "/profiles/feeder/follow", { token: follower.token });
    const feed = await call("GET", "/articles/feed", { token: follower.token });
    expect(feed.status).toBe(200);
    expectShape("MultipleArticlesResponse", feed.body);
    expect(feed.body).toMatchObject({ articlesCount: 1, articles: [{ slug: "fed", author: { following: true } }] });
    expect((await call("GET", "/articles/feed")).status).toBe(401);
  });
});

describe("comments", () => {
  it("adds (201), lists, and deletes (204) comments; 403, 404 and 422 where due", async () => {
    const author = await register("commenter");
    const other = await register("troll");
    const { body } = await call("POST", "/articles", {
      token: author.token,
      body: { article: { title: "Talk", description: "d", body: "b" } },
    });
    const slug = body.article.slug;

    const added = await call("POST", `/articles/${slug}/comments`, {
      token: author.token,
      body: { comment: { body: "Thank you so much!" } },
    });
    expect(added.status).toBe(201);
    expectShape("SingleCommentResponse", added.body);
    expect(added.body.comment).toMatchObject({ body: "Thank you so much!", author: { username: "commenter" } });

    const listed = await call("GET", `/articles/${slug}/comments`);
    expect(listed.status).toBe(200);
    expectShape("MultipleCommentsResponse", listed.body);
    expect(listed.body.comments).toHaveLength(1);

    const id = added.body.comment.id;
    expect(await call("DELETE", `/articles/${slug}/comments/${id}`, { token: other.token })).toMatchObject({
      status: 403,
      body: { errors: { comment: ["forbidden"] } },
    });
    expect(
      (await call("POST", `/articles/${slug}/comments`, { token: author.token, body: { comment: { body: "" } } })).body,
    ).toEqual({
      errors: { body: ["can't be blank"] },
    });
    expect((await call("POST", `/articles/${slug}/comments`, { body: { comment: { body: "x" } } })).status).toBe(401);
    expect((await call("DELETE", `/articles/${slug}/comments/${id}`, { token: author.token })).status).toBe(204);
    expect(await call("DELETE", `/articles/${slug}/comments/${id}`, { token: author.token })).toMatchObject({
      status: 404,
      body: { errors: { comment: ["not found"] } },
    });
    expect(await call("GET", "/articles/nope/comments")).toMatchObject({
      status: 404,
      body: { errors: { article: ["not found"] } },
    });
  });
});

describe("tags, CORS, and the document", () => {
  it("GET /tags lists tag names", async () => {
    const reply = await call("GET", "/tags");
    expect(reply.status).toBe(200);
    expectShape("TagsResponse", reply.body);
    expect(reply.body.tags).toEqual(expect.arrayContaining(["dragons", "training"]));
  });

  it("answers CORS preflights for frontends on other origins", async () => {
    const response = await fetch(`${server.url}/api/articles`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:4200",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Authorization/i);
  });

  it("publishes the OpenAPI document and an interactive reference served from the package", async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const document = (await response.json()) as { openapi: string };
    expect(document.openapi).toBe("3.1.0");
    expect(document).toEqual(realWorldDocument());
    const docs = await fetch(`${server.url}/api/docs`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ["/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-ui.css", "/api/docs/init.js"]) {
      expect((await fetch(`${server.url}${asset}`)).status, asset).toBe(200);
    }
  });
});
