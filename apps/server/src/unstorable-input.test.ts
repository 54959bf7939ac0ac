import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

/**
 * Text PostgreSQL cannot store, anywhere in any input, is a 400 before any
 * query runs; a 500 never shows its internals; and a change cannot commit
 * without its audit row.
 */
let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const response = await call("auth.signIn", {
    email: TEST_ADMIN.email,
    password: TEST_ADMIN.password,
    session: "token",
  });
  token = ((await response.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
});
afterAll(() => server?.close());

function call(path: string, input: unknown, options: { query?: boolean; token?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.query) {
    return fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
      headers,
    });
  }
  return fetch(`${server.url}/trpc/${path}`, { method: "POST", headers, body: JSON.stringify({ json: input }) });
}

interface ErrorBody {
  error: {
    json: { message: string; data: { code: string; httpStatus: number; fieldErrors?: Record<string, string[]> } };
  };
}

async function expectRefused(response: Response, field: string) {
  const text = await response.text();
  expect(response.status, text).toBe(400);
  expect(text).not.toMatch(/Failed query|insert into|select |params:|\bat .*\.ts:\d+/i);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error.json.data.code).toBe("BAD_REQUEST");
  expect(body.error.json.data.fieldErrors?.[field]?.[0]).toMatch(/NUL|Unicode|nested|field name/);
}

const countArticles = async (title: string) =>
  (await server.database.sql<{ n: number }[]>`select count(*)::int as n from articles where title = ${title}`)[0]?.n;

const article = (title: string) => ({ title, description: "d", body: "b", tagList: [] });

describe("unstorable text", () => {
  it("refuses a NUL in a query's input with 400 and the field, before any SQL runs", async () => {
    await expectRefused(await call("articles.get", { slug: "a\u0000b" }, { query: true }), "slug");
    await expectRefused(await call("profiles.get", { username: "\u0000" }, { query: true }), "username");
  });

  it("refuses a NUL in an unknown extra field of a mutation: nothing is created", async () => {
    await expectRefused(
      await call("articles.create", { ...article("extra field"), extra: "x\u0000y" }, { token }),
      "extra",
    );
    expect(await countArticles("extra field")).toBe(0);
  });

  it("refuses lone surrogates, NUL in field names and absurd nesting", async () => {
    await expectRefused(await call("articles.create", article("lone \uD800 surrogate"), { token }), "title");
    await expectRefused(await call("articles.create", { ...article("key"), "bad\u0000key": 1 }, { token }), "input");
    // A field name superjson will not serialise must not break the error answer itself.
    await expectRefused(
      await call("articles.create", { ...article("proto"), constructor: "\u0000" }, { token }),
      "[constructor]",
    );
    let deep: unknown = "bottom";
    for (let i = 0; i < 100; i++) deep = [deep];
    await expectRefused(await call("articles.create", { ...article("deep"), extra: deep }, { token }), "extra");
  });

  it("runs no call of a batch whose inputs cannot all be read: a valid article beside a broken input is not created", async () => {
    const valid = JSON.stringify({ json: article("beside a broken input") });
    // Raw text that makes the body no JSON at all; an envelope naming a type superjson does not know.
    for (const broken of ["\u0000", '{"json":"x","meta":{"values":["custom","Nope"]}}']) {
      const response = await fetch(`${server.url}/trpc/articles.create,articles.create?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: `{"0":${valid},"1":${broken}}`,
      });
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(text).not.toMatch(/\bat .*\.ts:\d+/);
      const answers = JSON.parse(text) as ErrorBody[];
      expect(answers.map((answer) => answer.error.json.data.code)).toEqual(["BAD_REQUEST", "BAD_REQUEST"]);
    }
    expect(await countArticles("beside a broken input")).toBe(0);
  });

  it("refuses a NUL sent through the REST facade (422 with the field)", async () => {
    const response = await fetch(`${server.url}/api/user`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Token ${token}` },
      body: JSON.stringify({ user: { bio: "nul \u0000 here" } }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ errors: { bio: [expect.stringMatching(/NUL/)] } });
  });

  it("keeps an audit summary small whatever the input: 40,000 extra keys are not stored", async () => {
    const extra = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`k${i}`, `value ${i}`]));
    const response = await call("articles.create", { ...article("many keys"), extra }, { token });
    expect(response.status).toBe(200);
    const [row] = await server.database.sql<{ size: number }[]>`
      select pg_column_size(details)::int as size from audit_events
      where action = 'articles.create' and details->'input'->>'title' = 'many keys'`;
    expect(row?.size).toBeLessThan(16_000);
  });
});

describe("a change and its audit row", () => {
  it("commit together: when the audit row cannot be written, the change is rolled back and the answer says nothing internal", async () => {
    // Make the audit insert fail for one title, as a full disk or a broken constraint would.
    await server.database.sql.unsafe(`
      create function refuse_audit() returns trigger language plpgsql as $$
      begin
        if new.details->'input'->>'title' = 'no audit' then raise exception 'audit storage refused'; end if;
        return new;
      end $$;
      create trigger refuse_audit before insert on audit_events for each row execute function refuse_audit();`);
    try {
      const response = await call("articles.create", article("no audit"), { token });
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(text).not.toContain("audit storage refused");
      expect(text).not.toMatch(/Failed query|insert into|params:/);
      expect((JSON.parse(text) as ErrorBody).error.json.message).toMatch(/Something went wrong on our side/);
      expect(await countArticles("no audit")).toBe(0);
    } finally {
      await server.database.sql.unsafe(`drop trigger refuse_audit on audit_events; drop function refuse_audit();`);
    }
  });

  it("records a failed mutation after rolling it back", async () => {
    const response = await call("articles.update", { slug: "no-such-article", title: "x" }, { token });
    expect(response.status).toBe(404);
    const [row] = await server.database.sql<{ outcome: string; code: string }[]>`
      select details->>'outcome' as outcome, details->'error'->>'code' as code from audit_events
      where action = 'articles.update' order by id desc limit 1`;
    expect(row).toEqual({ outcome: "failure", code: "NOT_FOUND" });
  });
});
