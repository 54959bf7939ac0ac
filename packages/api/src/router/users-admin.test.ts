import { and, eq, schema, sql } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;
let adminId: number;
let seeded: schema.User[];

const SEEDED_USERS = 40;
const JANUARY_FIRST = Date.UTC(2024, 0, 1);

/** 40 users whose names mix case, in groups of four sharing one creation time. */
function seedRows(): schema.NewUser[] {
  return Array.from({ length: SEEDED_USERS }, (_, i) => {
    const n = String(SEEDED_USERS - i).padStart(2, "0");
    return {
      username: i % 3 === 0 ? `Seed${n}` : `seed${n}`,
      email: `person.${n}@lists.example`,
      passwordHash: "x",
      role: i % 10 === 0 ? "moderator" : "user",
      status: i % 4 === 0 ? "suspended" : "active",
      createdAt: new Date(JANUARY_FIRST + Math.floor(i / 4) * 60_000),
    };
  });
}

beforeAll(async () => {
  h = await createHarness();
  const signedIn = await h.signedIn("admin");
  adminId = signedIn.user.id;
  admin = await h.as({ bearer: signedIn.token });
  seeded = await h.database.db.insert(schema.users).values(seedRows()).returning();
});
afterAll(() => h.close());

const byId = (a: schema.User, b: schema.User) => a.id - b.id;
const names = (users: { username: string }[]) => users.map((user) => user.username);

describe("users.list", () => {
  it("finds a substring of username or email, ignoring case and taking % literally", async () => {
    const byName = await admin.users.list({ search: "SEED1", pageSize: 100 });
    expect(byName.total).toBe(10);
    expect(names(byName.users).every((name) => name.toLowerCase().startsWith("seed1"))).toBe(true);

    const byEmail = await admin.users.list({ search: "Lists.Example", pageSize: 100 });
    expect(byEmail.total).toBe(SEEDED_USERS);

    await h.database.db
      .insert(schema.users)
      .values({ username: "percent%sign", email: "p@percent.example", passwordHash: "x" });
    // As a wildcard, "t%s" would match every "...lists..." email.
    const literal = await admin.users.list({ search: "t%s" });
    expect(names(literal.users)).toEqual(["percent%sign"]);
    expect(literal.total).toBe(1);
  });

  it("filters by role and status together with search", async () => {
    const result = await admin.users.list({ search: "seed", role: "moderator", status: "suspended" });
    const expected = seeded.filter((user) => user.role === "moderator" && user.status === "suspended");
    expect(expected.length).toBeGreaterThan(0);
    expect(result.total).toBe(expected.length);
    expect(result.users.map((user) => user.id).sort()).toEqual(expected.map((user) => user.id).sort());
  });

  it("sorts names case-insensitively and breaks ties by id", async () => {
    const ascending = await admin.users.list({ search: "seed", sort: "username", direction: "asc", pageSize: 100 });
    const expected = [...seeded].sort((a, b) => a.username.toLowerCase().localeCompare(b.username.toLowerCase()));
    expect(names(ascending.users)).toEqual(names(expected));

    const byRole = await admin.users.list({ search: "seed", sort: "role", direction: "desc", pageSize: 100 });
    const roleOrder = { user: 0, moderator: 1, admin: 2 };
    const expectedByRole = [...seeded].sort((a, b) => roleOrder[b.role] - roleOrder[a.role] || b.id - a.id);
    expect(byRole.users.map((user) => user.id)).toEqual(expectedByRole.map((user) => user.id));
  });

  it("pages through ties in creation time with every user exactly once, in order", async () => {
    const collected: number[] = [];
    for (let page = 1; page <= 14; page++) {
      const result = await admin.users.list({ search: "seed", sort: "createdAt", direction: "asc", page, pageSize: 3 });
      expect(result).toMatchObject({ total: SEEDED_USERS, page, pageSize: 3 });
      collected.push(...result.users.map((user) => user.id));
    }
    const expected = [...seeded].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b));
    expect(collected).toEqual(expected.map((user) => user.id));
  });

  it("sends one statement whatever the page size, and a second only for a page past the end", async () => {
    const small = await h.recordQueries(() => admin.users.list({ pageSize: 5 }));
    const large = await h.recordQueries(() => admin.users.list({ pageSize: 50 }));
    expect(small.result.users).toHaveLength(5);
    expect(large.result.users.length).toBeGreaterThan(SEEDED_USERS);
    expect(small.statements).toHaveLength(1);
    expect(large.statements).toHaveLength(small.statements.length);

    const pastTheEnd = await h.recordQueries(() => admin.users.list({ search: "seed", page: 50, pageSize: 10 }));
    expect(pastTheEnd.result).toMatchObject({ users: [], total: SEEDED_USERS, page: 50 });
    expect(pastTheEnd.statements).toHaveLength(2);

    const noMatch = await h.recordQueries(() => admin.users.list({ search: "nobody-is-called-this" }));
    expect(noMatch.result).toMatchObject({ users: [], total: 0 });
    expect(noMatch.statements).toHaveLength(1);
  });

  it("returns no password hash, and refuses pages over 100 rows or unknown sort keys", async () => {
    const { users } = await admin.users.list({ search: "seed01" });
    expect(Object.keys(users[0] ?? {}).sort()).toEqual(
      [
        "bio",
        "createdAt",
        "email",
        "emailVerified",
        "emailVerifiedAt",
        "id",
        "image",
        "invitedAt",
        "lastSignInAt",
        "role",
        "status",
        "suspendedUntil",
        "suspensionReason",
        "twoFactorEnabled",
        "updatedAt",
        "username",
      ].sort(),
    );
    await expectTRPCError(admin.users.list({ pageSize: 101 }), "BAD_REQUEST");
    await expectTRPCError(admin.users.list({ sort: "passwordHash" as never }), "BAD_REQUEST");
    await expectTRPCError(admin.users.list({ search: "x".repeat(101) }), "BAD_REQUEST");
  });
});

/** A user with a signed-in session, an API key, two articles, a comment, a favorite and follows. */
async function activeAuthor() {
  const { user, token } = await h.signedIn("user");
  const own = await h.as({ bearer: token });
  const key = await own.apiKeys.create({ name: "publisher", scopes: ["articles:write"] });
  const other = await h.createUser();
  const db = h.database.db;
  const articles = await db
    .insert(schema.articles)
    .values(
      ["one", "two"].map((slug) => ({
        slug: `${user.username}-${slug}`,
        title: slug,
        description: "d",
        body: "b",
        authorId: user.id,
      })),
    )
    .returning();
  const [article] = articles;
  if (!article) throw new Error("no article");
  await db.insert(schema.comments).values([
    { articleId: article.id, authorId: user.id, body: "mine" },
    { articleId: article.id, authorId: other.id, body: "theirs, on their article" },
  ]);
  await db.insert(schema.favorites).values({ userId: user.id, articleId: article.id });
  await db.insert(schema.follows).values([
    { followerId: user.id, followingId: other.id },
    { followerId: other.id, followingId: user.id },
  ]);
  return { user, token, key, other, articles };
}

describe("users.detail", () => {
  it("shows the user with sessions, keys, counts and their newest activity", async () => {
    const { user, key } = await activeAuthor();
    await h.database.db.insert(schema.auditEvents).values(
      Array.from({ length: 25 }, (_, i) => ({
        actorId: user.id,
        action: `test.step${i}`,
        createdAt: new Date(JANUARY_FIRST + i * 1000),
      })),
    );

    const detail = await admin.users.detail({ userId: user.id });
    expect(detail.user).toMatchObject({ id: user.id, username: user.username, email: user.email });
    expect(detail.user).not.toHaveProperty("passwordHash");
    expect(detail.sessions).toHaveLength(1);
    expect(detail.sessions[0]).not.toHaveProperty("secretHash");
    expect(detail.apiKeys.map((k) => k.id)).toEqual([key.id]);
    expect(detail.apiKeys[0]).not.toHaveProperty("secretHash");
    expect(detail.counts).toEqual({ articles: 2, comments: 1, favorites: 1, followers: 1, following: 1 });
    // The sign-in and key creation are newer than the 25 inserted events from 2024.
    expect(detail.recentActivity).toHaveLength(20);
    expect(detail.recentActivity.slice(0, 2).map((event) => event.action)).toEqual(["apiKeys.create", "auth.signIn"]);
    expect(detail.recentActivity.slice(2, 4).map((event) => event.action)).toEqual(["test.step24", "test.step23"]);
    expect(detail.recentActivity[0]).toMatchObject({ targetType: "apiKey", targetId: String(key.id) });
  });

  it("sends the same number of statements for a busy user and a new one", async () => {
    const busy = (await activeAuthor()).user;
    const fresh = await h.createUser();
    const forBusy = await h.recordQueries(() => admin.users.detail({ userId: busy.id }));
    const forFresh = await h.recordQueries(() => admin.users.detail({ userId: fresh.id }));
    expect(forFresh.result.counts).toEqual({ articles: 0, comments: 0, favorites: 0, followers: 0, following: 0 });
    expect(forBusy.statements).toHaveLength(forFresh.statements.length);
    // The user with counts, sessions, keys, recent activity, linked identities and passkeys: one statement each.
    expect(forBusy.statements.length).toBeLessThanOrEqual(6);
  });

  it("reports an unknown user as NOT_FOUND", async () => {
    const error = await expectTRPCError(admin.users.detail({ userId: 2_000_000_000 }), "NOT_FOUND");
    expect(error.message).toMatch(/no such user/i);
  });
});

async function auditOf(action: string, targetId: number) {
  const [event] = await h.database.db
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, String(targetId))));
  return event;
}

describe("users.revokeSessions", () => {
  it("ends every session of the user, and is audited", async () => {
    const { user, token } = await h.signedIn("user");
    const secondToken = await h.signIn(user.email);
    const { key } = await (await h.as({ bearer: token })).apiKeys.create({ name: "k", scopes: [] });

    expect(await admin.users.revokeSessions({ userId: user.id })).toEqual({ revoked: 2 });
    await expectTRPCError((await h.as({ bearer: token })).auth.me(), "UNAUTHORIZED");
    await expectTRPCError((await h.as({ bearer: secondToken })).auth.me(), "UNAUTHORIZED");
    await (await h.as({ bearer: key })).auth.me();
    expect(await auditOf("users.revokeSessions", user.id)).toMatchObject({
      actorId: adminId,
      targetType: "user",
      details: expect.objectContaining({ outcome: "success", revoked: 2 }),
    });
    expect(await admin.users.revokeSessions({ userId: user.id })).toEqual({ revoked: 0 });
  });

  it("reports an unknown user as NOT_FOUND", async () => {
    await expectTRPCError(admin.users.revokeSessions({ userId: 2_000_000_000 }), "NOT_FOUND");
  });
});

describe("users.delete", () => {
  it("deletes the user with their content at once, keeping their audit trail under their id and name", async () => {
    const { user, token, other, articles } = await activeAuthor();
    const [trail] = await h.database.db
      .select({ id: schema.auditEvents.id })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.actorId, user.id))
      .limit(1);

    const { result, statements } = await h.recordQueries(() => admin.users.delete({ userId: user.id }));
    expect(result).toEqual({ deleted: { userId: user.id, username: user.username, articles: 2, comments: 1 } });
    const transaction = statements.slice(0, statements.indexOf("commit") + 1);
    expect(transaction[0]).toMatch(/^begin/);
    expect(transaction.filter((statement) => /count\(\*\)|^delete from "users"/.test(statement))).toHaveLength(2);

    await expectTRPCError((await h.as({ bearer: token })).auth.me(), "UNAUTHORIZED");
    await expectTRPCError(admin.users.detail({ userId: user.id }), "NOT_FOUND");
    const [left] = await h.database.db.execute<Record<string, number>>(sql`
      select (select count(*)::int from articles where id in (${articles[0]?.id}, ${articles[1]?.id})) as articles,
             (select count(*)::int from comments where author_id = ${other.id}) as "commentsOnTheirArticles",
             (select count(*)::int from sessions where user_id = ${user.id}) as sessions,
             (select count(*)::int from api_keys where user_id = ${user.id}) as keys,
             (select count(*)::int from follows where ${user.id} in (follower_id, following_id)) as follows,
             (select count(*)::int from favorites where user_id = ${user.id}) as favorites`);
    expect(left).toEqual({ articles: 0, commentsOnTheirArticles: 0, sessions: 0, keys: 0, follows: 0, favorites: 0 });
    const [kept] = await h.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.id, trail?.id ?? -1));
    expect(kept).toMatchObject({ actorId: user.id, actorUsername: user.username });
    expect(await auditOf("users.delete", user.id)).toMatchObject({
      actorId: adminId,
      targetType: "user",
      details: expect.objectContaining({ username: user.username, articles: 2, comments: 1 }),
    });
  });

  it("refuses deleting yourself, and reports unknown or already deleted users as NOT_FOUND", async () => {
    const error = await expectTRPCError(admin.users.delete({ userId: adminId }), "FORBIDDEN");
    expect(error.message).toContain("yourself");
    expect((await admin.users.detail({ userId: adminId })).user.id).toBe(adminId);

    const target = await h.createUser();
    await admin.users.delete({ userId: target.id });
    await expectTRPCError(admin.users.delete({ userId: target.id }), "NOT_FOUND");
    await expectTRPCError(admin.users.delete({ userId: 2_000_000_000 }), "NOT_FOUND");
  });
});
