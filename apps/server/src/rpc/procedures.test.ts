import { permissionsOf } from "@inkwell/auth";
import { createInkwellClient } from "@inkwell/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "../testing/index.ts";
import { type OpenApiDocument, ResponseChecker } from "../testing/openapi-bodies.ts";
import { unwrap } from "./input-decoding.ts";
import { readCatalogue } from "./procedures.ts";

let server: TestServer;
let document: OpenApiDocument;
let bodies: ResponseChecker;
let adminKey: string;
let zeroScopeKey: string;

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** A call to /api/rpc as a client in any language makes it: a query's input in the query string, a mutation's as JSON. */
async function rpc(
  path: string,
  options: { key?: string; query?: string; body?: unknown; method?: string; contentType?: string } = {},
): Promise<Answer> {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const response = await fetch(`${server.url}/api/rpc/${path}${options.query ? `?${options.query}` : ""}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** What the document says about this answer: the errors of its body against the schema documented for its status. */
function conformance(method: string, path: string, answer: Answer) {
  const checked = bodies.check("rpc", method, `/${path}`, answer.status, answer.body);
  if (checked.documented) return checked.errors;
  // Statuses not listed one by one are the `default` response's.
  const fallback = bodies.named("rpc", "OtherError");
  return fallback?.(answer.body) ? [] : [checked.reason, ...(fallback?.errors ?? [])];
}

async function ok(path: string, options: Parameters<typeof rpc>[1] = {}): Promise<unknown> {
  const answer = await rpc(path, { key: adminKey, ...options });
  expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  expect(conformance(method, path, answer), path).toEqual([]);
  return answer.body;
}

beforeAll(async () => {
  // The hostile sweep sends a few thousand requests from one address; limits would answer 429 and hide the rest.
  server = await startTestServer({ RATE_LIMIT_IP_PER_MINUTE: "0", RATE_LIMIT_CREDENTIAL_PER_MINUTE: "0" });
  document = (await (await fetch(`${server.url}/api/rpc/openapi.json`)).json()) as OpenApiDocument;
  bodies = new ResponseChecker({ rpc: document });
  const signedIn = await rpc("auth.signIn", { body: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } });
  const token = (signedIn.body as { token?: string }).token;
  if (!token) throw new Error(`auth.signIn gave no token: ${JSON.stringify(signedIn.body)}`);
  const admin = createInkwellClient({ url: server.url, token });
  adminKey = (await admin.apiKeys.create.mutate({ name: "every scope", scopes: [...permissionsOf("admin")] })).key;
  zeroScopeKey = (await admin.apiKeys.create.mutate({ name: "no scope", scopes: [] })).key;
});
afterAll(() => server?.close());

describe("/api/rpc answers as its document says", () => {
  it("serves the document it checks against, with every procedure an API key may call", () => {
    expect(Object.keys(document.paths).sort()).toEqual(
      readCatalogue()
        .served.map(({ path }) => `/${path}`)
        .sort(),
    );
  });

  it("answers operators' queries and mutations with bodies their output schemas describe", async () => {
    const signedUp = (await ok("auth.signUp", {
      key: undefined,
      body: { username: "writer", email: "writer@example.com", password: "writer password 1" },
    })) as { token: string; user: { id: number } };
    expect(signedUp.token).toMatch(/\S{20,}/);
    const writer = signedUp.token;
    const article = (await ok("articles.create", {
      key: writer,
      body: { title: "Rpc article", description: "d", body: "b", tagList: ["rpc"] },
    })) as { slug: string; id: number; createdAt: string };
    expect(article.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const comment = (await ok("comments.add", { body: { slug: article.slug, body: "First" } })) as { id: number };

    await ok("auth.me");
    await ok("auth.me", { key: writer });
    await ok("system.status");
    await ok("dashboard.summary");
    await ok("apiKeys.list");
    const users = (await ok("users.list", { query: "role=user&sort=username&direction=asc&pageSize=5" })) as {
      users: { username: string }[];
      pageSize: number;
    };
    expect(users.users.map((user) => user.username)).toEqual(["writer"]);
    expect(users.pageSize).toBe(5);
    await ok("users.detail", { query: `userId=${signedUp.user.id}` });
    const audit = (await ok("audit.list", { query: "from=2020-01-01T00:00:00Z&limit=5" })) as { events: unknown[] };
    expect(audit.events.length).toBeGreaterThan(0);
    expect(((await ok("audit.list", { query: "to=2020-01-01T00:00:00Z" })) as { events: unknown[] }).events).toEqual(
      [],
    );
    const tags = (await ok("tags.list")) as { id: number; name: string }[];
    await ok("articles.list", { query: "tag=rpc" });
    await ok("comments.list", { query: `slug=${article.slug}` });
    await ok("moderation.articles.list", { query: "state=visible" });
    await ok("moderation.comments.list");
    await ok("moderation.comments.hide", { body: { ids: [comment.id] } });
    await ok("jobs.summary");
    await ok("jobs.failures", { query: "state=failed" });
    const outbox = (await ok("outbox.list")) as { messages: { id: number }[] };
    const [email] = outbox.messages;
    if (email) await ok("outbox.get", { query: `id=${email.id}` });
    await ok("settings.requireTwoFactor.get");
    await ok("tags.rename", { body: { id: tags.find((tag) => tag.name === "rpc")?.id, name: "rpc-renamed" } });
    await ok("users.suspend", { body: { userId: signedUp.user.id } });
    await ok("users.restore", { body: { userId: signedUp.user.id } });
    await ok("profiles.get", { key: undefined, query: "username=writer" });
  });

  it("audits a mutation made here as any other, under the API key", async () => {
    await ok("tags.list");
    const profile = (await ok("profiles.follow", { body: { username: "writer" } })) as { following: boolean };
    expect(profile.following).toBe(true);
    const audit = (await ok("audit.list", { query: "action=profiles.follow" })) as {
      events: { action: string; actorApiKeyId: number | null }[];
    };
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]?.actorApiKeyId).toEqual(expect.any(Number));
  });
});

describe("/api/rpc refuses with a documented ProcedureError", () => {
  it("asks every procedure that needs a credential for one (401), and no public one", async () => {
    for (const procedure of readCatalogue().served) {
      const answer = await rpc(procedure.path, procedure.type === "mutation" ? { body: {} } : {});
      if (procedure.public) expect(answer.status, procedure.path).not.toBe(401);
      else {
        expect(answer.status, procedure.path).toBe(401);
        expect(
          conformance(procedure.type === "query" ? "GET" : "POST", procedure.path, answer),
          procedure.path,
        ).toEqual([]);
      }
    }
  });

  it("refuses a key without the permission (403), naming it", async () => {
    const answer = await rpc("users.list", { key: zeroScopeKey });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: "FORBIDDEN", error: 'You need the "users:read" permission to do this.' });
    expect(conformance("GET", "users.list", answer)).toEqual([]);
  });

  it("names each invalid field (400), in the query string and in a body", async () => {
    const query = await rpc("users.list", { key: adminKey, query: "pageSize=0&role=wizard" });
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { pageSize: expect.any(Array), role: expect.any(Array) },
    });
    expect(conformance("GET", "users.list", query)).toEqual([]);
    const body = await rpc("tags.rename", { key: adminKey, body: { id: "1; drop table tags", name: "" } });
    expect(body.status).toBe(400);
    expect(Object.keys((body.body as { fieldErrors: object }).fieldErrors).sort()).toEqual(["id", "name"]);
  });

  it("refuses crafted input as the procedures do: NUL bytes, a repeated scalar, a date that is not one, a huge number", async () => {
    for (const query of ["search=a%00b", "page=1&page=2", "pageSize=1e400", "page=99999999999999999999"]) {
      const answer = await rpc("users.list", { key: adminKey, query });
      expect(answer.status, query).toBe(400);
      expect((answer.body as { code: string }).code, query).toBe("BAD_REQUEST");
    }
    const date = await rpc("audit.list", { key: adminKey, query: "from=yesterday" });
    expect(date.status).toBe(400);
    expect(date.body).toMatchObject({ fieldErrors: { from: ["Expected a date."] } });
  });

  it("says how to call it: the wrong method (405 with Allow), not JSON (415), broken JSON (400), unknown (404)", async () => {
    const get = await rpc("tags.rename", { key: adminKey });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(get.body).toMatchObject({ code: "METHOD_NOT_SUPPORTED" });
    expect((await rpc("tags.list", { method: "POST", body: {} })).status).toBe(405);

    const form = await rpc("tags.rename", {
      key: adminKey,
      body: "id=1&name=x",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(415);
    expect(conformance("POST", "tags.rename", form)).toEqual([]);
    const broken = await rpc("tags.rename", { key: adminKey, body: '{"id": 1,' });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: "PARSE_ERROR", error: "The body is not valid JSON." });

    const unknown = await rpc("users.nope", { key: adminKey });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: "NOT_FOUND", requestId: expect.any(String) });
    expect((await rpc("__proto__.constructor", { key: adminKey })).status).toBe(404);
  });

  it("does not serve what an API key may not call, and says where to call it", async () => {
    const answer = await rpc("auth.changePassword", { key: adminKey, body: {} });
    expect(answer.status).toBe(404);
    expect((answer.body as { error: string }).error).toContain("never an API key");
    const stream = await rpc("activity.onEvent", { key: adminKey });
    expect(stream.status).toBe(404);
    expect((stream.body as { error: string }).error).toContain("server-sent events");
  });
});

/** Text no field should choke on in a query string: empty, NUL, long, numbers no column takes, dates out of range. */
const HOSTILE_TEXT = [
  "",
  "\u0000",
  "a\u0000b",
  "x".repeat(4_000),
  "-1",
  "0.5",
  "1e308",
  "NaN",
  "2147483648",
  "9007199254740993",
  "0001-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.001Z",
  "9999-99-99T99:99:99Z",
  "__proto__",
  "\ud800",
];

/** JSON values of every type and size for a body's field. */
const HOSTILE_JSON: unknown[] = [
  "",
  "a\u0000b",
  "\ud800",
  "x".repeat(200_000),
  "0001-01-01T00:00:00Z",
  "__proto__",
  null,
  true,
  -1,
  1e308,
  2 ** 53 + 2,
  [],
  [null],
  {},
  { __proto__: { admin: true } },
];

describe("/api/rpc under hostile input", () => {
  it("answers every field of every procedure's input with hostile values without a 5xx, as a documented failure or success", async () => {
    const findings: string[] = [];
    for (const procedure of readCatalogue().served) {
      const object = procedure.input && unwrap(procedure.input);
      const fields = object && "shape" in object._zod.def ? Object.keys(object._zod.def.shape as object) : [];
      for (const field of fields.length > 0 ? fields : ["unexpected"]) {
        const values = procedure.type === "query" ? HOSTILE_TEXT : HOSTILE_JSON;
        for (const value of values) {
          const answer =
            procedure.type === "query"
              ? await rpc(procedure.path, {
                  key: adminKey,
                  query: new URLSearchParams({ [field]: String(value) }).toString(),
                })
              : await rpc(procedure.path, { key: adminKey, body: { [field]: value } });
          const method = procedure.type === "query" ? "GET" : "POST";
          const problems = answer.status >= 500 ? ["a 5xx"] : conformance(method, procedure.path, answer);
          if (problems.length > 0) {
            findings.push(
              `${method} ${procedure.path} ${field}=${JSON.stringify(value).slice(0, 40)}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)} ${JSON.stringify(problems).slice(0, 300)}`,
            );
          }
        }
      }
    }
    expect(findings).toEqual([]);
  }, 300_000);
});
