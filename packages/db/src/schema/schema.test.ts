import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";
import { articles, auditEvents, comments, follows, sessions, users } from "./index.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function insertUser(name: string) {
  const [user] = await database.db
    .insert(users)
    .values({ email: `${name}@example.com`, username: name, passwordHash: "x" })
    .returning();
  if (!user) throw new Error("insert returned nothing");
  return user;
}

describe("schema", () => {
  it("stores every time as timestamptz", async () => {
    const rows = await database.sql<{ table_name: string; column_name: string }[]>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type = 'timestamp without time zone'`;
    expect(rows).toEqual([]);
  });

  it("gives every foreign key a deliberate ON DELETE (cascade or set null)", async () => {
    const rows = await database.sql<{ name: string; action: string }[]>`
      select conname as name, confdeltype as action from pg_constraint
      where contype = 'f' and connamespace = 'public'::regnamespace`;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((row) => row.action !== "c" && row.action !== "n")).toEqual([]);
  });

  it("treats emails and usernames as unique regardless of case", async () => {
    await insertUser("Casey");
    await expect(
      database.db.insert(users).values({ email: "CASEY@example.com", username: "other", passwordHash: "x" }),
    ).rejects.toMatchObject({ cause: { code: "23505", constraint_name: "users_email_lower_key" } });
    await expect(
      database.db.insert(users).values({ email: "new@example.com", username: "casey", passwordHash: "x" }),
    ).rejects.toMatchObject({ cause: { code: "23505", constraint_name: "users_username_lower_key" } });
  });

  it("refuses a self-follow", async () => {
    const user = await insertUser("narcissus");
    await expect(
      database.db.insert(follows).values({ followerId: user.id, followingId: user.id }),
    ).rejects.toMatchObject({ cause: { code: "23514" } });
  });

  it("deletes a user's content and sessions with them, and keeps their audit trail", async () => {
    const author = await insertUser("leaving");
    const reader = await insertUser("staying");
    const [article] = await database.db
      .insert(articles)
      .values({ slug: "bye", title: "Bye", description: "d", body: "b", authorId: author.id })
      .returning();
    if (!article) throw new Error("no article");
    await database.db.insert(comments).values({ articleId: article.id, authorId: reader.id, body: "c" });
    await database.db.insert(sessions).values({ id: "session-1", secretHash: new Uint8Array(32), userId: author.id });
    const [event] = await database.db
      .insert(auditEvents)
      .values({ actorId: author.id, actorUsername: author.username, action: "auth.signIn" })
      .returning();

    await database.db.delete(users).where(eq(users.id, author.id));

    const [counts] = await database.db.execute<{ articles: number; comments: number; sessions: number }>(sql`
      select (select count(*)::int from articles) as articles,
             (select count(*)::int from comments) as comments,
             (select count(*)::int from sessions) as sessions`);
    expect(counts).toEqual({ articles: 0, comments: 0, sessions: 0 });
    const [kept] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.id, event?.id ?? -1));
    // The actor's id is plain data, not a foreign key: deleting them leaves it, with their name as it was.
    expect(kept).toMatchObject({ action: "auth.signIn", actorId: author.id, actorUsername: "leaving" });
  });
});
