import { generateSessionToken } from "@inkwell/auth";
import { connect, type DatabaseConnection } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAuthSettings } from "../auth/settings.ts";
import { articleFeed, listArticles } from "./article-lists.ts";
import { findArticleById, findArticleBySlug } from "./article-views.ts";
import { recordAuditEvent } from "./audit-writer.ts";
import { profileByUsername } from "./profiles.ts";
import { validateSessionToken } from "./sessions.ts";

/** The hot lookups, each called twice with different values. */
async function hotLookups(connection: DatabaseConnection) {
  for (const value of ["first", "second"]) {
    await findArticleBySlug(connection.db, `no-such-${value}`, null);
    await findArticleBySlug(connection.db, `no-such-${value}`, 1);
    await findArticleById(connection.db, value === "first" ? 1 : 2, null);
    await validateSessionToken(connection.db, defaultAuthSettings, generateSessionToken().token);
    await listArticles(connection.db, null, {}, { limit: value === "first" ? 20 : 10, offset: 0 });
    await profileByUsername(connection.db, `someone-${value}`, null).catch(() => null);
    await profileByUsername(connection.db, `someone-${value}`, 1).catch(() => null);
    await articleFeed(connection.db, value === "first" ? 1 : 2, { limit: 20, offset: 0 });
  }
}

/** The statements the (single) connection holds prepared, as PostgreSQL lists them. */
async function preparedOnConnection(connection: DatabaseConnection): Promise<string[]> {
  const rows = await connection.sql<{ statement: string }[]>`
    select statement from pg_prepared_statements order by prepare_time`.execute();
  return rows.map((row) => row.statement);
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe("hot fixed-shape lookups as named prepared statements", () => {
  it("are prepared once per connection and reused for other values", async () => {
    const connection = connect({ url: database.url, maxConnections: 1 });
    try {
      await hotLookups(connection);
      const statements = await preparedOnConnection(connection);
      const containing = (fragment: string) => statements.filter((statement) => statement.includes(fragment));
      expect(containing('where "articles"."slug" = $')).toHaveLength(2); // anonymous, and as a viewer
      expect(containing('where "articles"."id" = $')).toHaveLength(1);
      expect(containing('where "sessions"."id" = $')).toHaveLength(1);
      // (The visible total has no parameter: postgres.js sends such a statement in the simple protocol, unprepared.)
      expect(containing("offset $")).toHaveLength(2); // the unfiltered page, and the feed's
      expect(containing('select "follows"."following_id" from "follows"')).toHaveLength(2); // the feed's page and count
      expect(containing('where lower("users"."username") = lower($')).toHaveLength(2); // a profile, both ways
    } finally {
      await connection.close();
    }
  });

  it("stay unnamed with DATABASE_PREPARED_STATEMENTS=false (PgBouncer in transaction mode)", async () => {
    const connection = connect({ url: database.url, maxConnections: 1, prepare: false });
    try {
      await hotLookups(connection);
      expect(await preparedOnConnection(connection)).toEqual([]);
    } finally {
      await connection.close();
    }
  });

  it("inside a transaction are built as usual and still prepared, once, on the transaction's connection", async () => {
    for (const prepare of [true, false]) {
      const connection = connect({ url: database.url, maxConnections: 1, prepare });
      try {
        await connection.db.transaction(async (tx) => {
          for (const value of ["first", "second"]) {
            await findArticleBySlug(tx, `no-such-${value}`, 1);
            await recordAuditEvent(tx, {
              action: `prepared.${value}`,
              actorId: null,
              ip: null,
              userAgent: null,
              requestId: null,
            });
          }
        });
        const statements = await preparedOnConnection(connection);
        const containing = (fragment: string) => statements.filter((statement) => statement.includes(fragment));
        // Off (PgBouncer in transaction mode): nothing is named, in a transaction either.
        expect(containing('where "articles"."slug" = $')).toHaveLength(prepare ? 1 : 0);
        expect(containing('insert into "audit_events"')).toHaveLength(prepare ? 1 : 0);
      } finally {
        await connection.close();
      }
    }
  });

  it("inside a transaction run on the transaction's connection, built as usual", async () => {
    const connection = connect({ url: database.url, maxConnections: 2 });
    try {
      const found = await connection.db.transaction(async (tx) => {
        await tx.execute("set local statement_timeout = 1234");
        // Run on the transaction's connection: it sees the transaction's own setting.
        const [setting] = await tx.execute<{ statement_timeout: string }>("show statement_timeout");
        return { article: await findArticleBySlug(tx, "no-such", 1), setting: setting?.statement_timeout };
      });
      expect(found).toEqual({ article: null, setting: "1234ms" });
    } finally {
      await connection.close();
    }
  });
});
