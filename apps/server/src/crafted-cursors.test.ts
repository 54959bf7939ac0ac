import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

/** Keyset cursors and dates as an attacker crafts them: every one is a 400 naming the field, never a 500. */
let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await signIn();
});

async function signIn(): Promise<string> {
  const response = await fetch(`${server.url}/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email: TEST_ADMIN.email, password: TEST_ADMIN.password, session: "token" } }),
  });
  return ((await response.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
}
afterAll(() => server?.close());

/** A GET query with a superjson input; `dates` lists the fields superjson should revive as Dates. */
async function query(path: string, input: Record<string, unknown>, dates: string[] = []) {
  const meta = dates.length > 0 ? { values: Object.fromEntries(dates.map((field) => [field, ["Date"]])) } : undefined;
  const encoded = encodeURIComponent(JSON.stringify({ json: input, meta }));
  const response = await fetch(`${server.url}/trpc/${path}?input=${encoded}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, text: await response.text() };
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

const craftedCursors = {
  "year 275760": b64(["+275760-09-13T00:00:00.000Z", 1]),
  "year 0": b64(["0000-01-01T00:00:00.000Z", 1]),
  "id 1e30": b64(["2024-01-01T00:00:00.000Z", 1e30]),
  "negative id": b64(["2024-01-01T00:00:00.000Z", -5]),
  "fractional id": b64(["2024-01-01T00:00:00.000Z", 1.5]),
  "not a date": b64(["yesterday", 1]),
  "an object": b64({ createdAt: "2024-01-01T00:00:00.000Z", id: 1 }),
  "three items": b64(["2024-01-01T00:00:00.000Z", 1, 2]),
  "not JSON": b64("[[[["),
  "not base64url": "!!!$$$",
};

function expectBadRequest(answer: { status: number; text: string }, field: string) {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.text).not.toMatch(/Failed query|select |params:/);
  const body = JSON.parse(answer.text) as { error: { json: { data: { fieldErrors?: Record<string, string[]> } } } };
  expect(body.error.json.data.fieldErrors?.[field]?.[0]).toBeTruthy();
}

describe("crafted keyset cursors", () => {
  for (const [name, cursor] of Object.entries(craftedCursors)) {
    it(`${name}: 400 on articles, comments and the audit log`, async () => {
      expectBadRequest(await query("articles.list", { cursor }), "cursor");
      expectBadRequest(await query("articles.feed", { cursor }), "cursor");
      expectBadRequest(await query("comments.list", { slug: "any", cursor }), "cursor");
      expectBadRequest(await query("audit.list", { cursor }), "cursor");
    });
  }

  it("a cursor a previous page returned still works", async () => {
    // A second audit event (the sign-in made the first), so the first page of one has a next page.
    await fetch(`${server.url}/trpc/auth.signOut`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    token = await signIn();
    const first = await query("audit.list", { limit: 1 });
    expect(first.status).toBe(200);
    const nextCursor = (JSON.parse(first.text) as { result: { data: { json: { nextCursor: string } } } }).result.data
      .json.nextCursor;
    expect(nextCursor).toBeTruthy();
    expect((await query("audit.list", { limit: 1, cursor: nextCursor })).status).toBe(200);
  });
});

describe("out-of-range dates", () => {
  it("audit.list from and to beyond what PostgreSQL and JavaScript agree on: 400", async () => {
    expectBadRequest(await query("audit.list", { from: "+275760-09-13T00:00:00.000Z" }, ["from"]), "from");
    expectBadRequest(await query("audit.list", { to: "-271821-04-20T00:00:00.000Z" }, ["to"]), "to");
    expectBadRequest(await query("audit.list", { from: "not a date" }, ["from"]), "from");
    expect((await query("audit.list", { from: "2020-01-01T00:00:00.000Z" }, ["from"])).status).toBe(200);
  });
});
