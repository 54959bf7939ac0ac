import { schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;
let adminId: number;
let author: schema.User;
let reader: schema.User;

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  h = await createHarness();
  const signedIn = await h.signedIn("admin");
  adminId = signedIn.user.id;
  admin = await h.as({ bearer: signedIn.token });
  author = await h.createUser({ username: "author" });
  reader = await h.createUser({ username: "reader" });
  await h.database.db.insert(schema.auditEvents).values([
    {
      action: "articles.create",
      actorId: author.id,
      targetType: "article",
      targetId: "1",
      createdAt: at("2024-03-01T10:00:00Z"),
    },
    {
      action: "articles.update",
      actorId: author.id,
      targetType: "article",
      targetId: "1",
      createdAt: at("2024-03-02T10:00:00Z"),
    },
    {
      action: "comments.create",
      actorId: reader.id,
      targetType: "article",
      targetId: "1",
      createdAt: at("2024-03-03T10:00:00Z"),
    },
    {
      action: "articles.create",
      actorId: reader.id,
      targetType: "article",
      targetId: "2",
      createdAt: at("2024-03-04T10:00:00Z"),
    },
    {
      action: "system.cleanup",
      actorId: null,
      targetType: null,
      targetId: null,
      createdAt: at("2024-03-05T10:00:00Z"),
    },
  ]);
});
afterAll(() => h.close());

const actions = (events: { action: string }[]) => events.map((event) => event.action);

describe("audit.list", () => {
  it("lists events newest first with their actor, or null when there was none", async () => {
    const { events } = await admin.audit.list({ to: at("2024-12-31T00:00:00Z") });
    expect(actions(events)).toEqual([
      "system.cleanup",
      "articles.create",
      "comments.create",
      "articles.update",
      "articles.create",
    ]);
    expect(events[0]?.actor).toBeNull();
    expect(events[1]).toMatchObject({
      // Written before events kept a name of their own: the actor's current name stands in.
      actor: { id: reader.id, username: "reader", deleted: false },
      actorApiKeyId: null,
      targetType: "article",
      targetId: "2",
      details: {},
    });
    expect(events[1]?.createdAt).toEqual(at("2024-03-04T10:00:00Z"));
  });

  it("filters by actor, action, target and an inclusive time range", async () => {
    const byActor = await admin.audit.list({ actorId: author.id });
    expect(actions(byActor.events)).toEqual(["articles.update", "articles.create"]);

    const byAction = await admin.audit.list({ action: "articles.create" });
    expect(byAction.events.map((event) => event.actor?.username)).toEqual(["reader", "author"]);
    // Part of the name, in any case; `%` and `_` are taken literally.
    const partial = await admin.audit.list({ action: "ARTICLES", to: at("2024-12-31T00:00:00Z") });
    expect(actions(partial.events)).toEqual(["articles.create", "articles.update", "articles.create"]);
    expect((await admin.audit.list({ action: "articles%" })).events).toEqual([]);
    expect((await admin.audit.list({ action: "articles_create" })).events).toEqual([]);

    // By part of the actor's username, the one they had then or, for older events, the one they have now.
    const byName = await admin.audit.list({ actor: "UTHO", to: at("2024-12-31T00:00:00Z") });
    expect(actions(byName.events)).toEqual(["articles.update", "articles.create"]);
    expect((await admin.audit.list({ actor: "nobody-is-called-this" })).events).toEqual([]);

    const byTarget = await admin.audit.list({ targetType: "article", targetId: "1" });
    expect(actions(byTarget.events)).toEqual(["comments.create", "articles.update", "articles.create"]);

    const byTime = await admin.audit.list({ from: at("2024-03-02T10:00:00Z"), to: at("2024-03-04T10:00:00Z") });
    expect(actions(byTime.events)).toEqual(["articles.create", "comments.create", "articles.update"]);
  });

  it("records mutations that then show up under their action", async () => {
    const target = await h.createUser();
    await admin.users.suspend({ userId: target.id });
    const { events } = await admin.audit.list({ action: "users.suspend", targetId: String(target.id) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { id: adminId },
      targetType: "user",
      ip: "192.0.2.1",
      userAgent: "vitest",
      details: { outcome: "success" },
    });
    expect(events[0]?.requestId).toEqual(expect.any(String));
  });

  it("keeps a deleted user's events under their id and the name they had, and still finds them by that id", async () => {
    const { user, token } = await h.signedIn();
    const own = await h.as({ bearer: token });
    await own.articles.create({ title: "Before I go", description: "d", body: "b" });
    await own.auth.updateProfile({ username: `${user.username}-renamed` });
    await admin.users.delete({ userId: user.id });

    const { events } = await admin.audit.list({ actorId: user.id });
    expect(actions(events)).toEqual(["auth.updateProfile", "articles.create", "auth.signIn"]);
    // Each under the name they had when it happened (the rename is recorded under the old one); the account is gone.
    expect(events.map((event) => event.actor)).toEqual([
      { id: user.id, username: user.username, deleted: true },
      { id: user.id, username: user.username, deleted: true },
      { id: user.id, username: user.username, deleted: true },
    ]);
    // The operator's deletion names them as they were then.
    const [deletion] = (await admin.audit.list({ action: "users.delete", targetId: String(user.id) })).events;
    expect(deletion).toMatchObject({
      actor: { id: adminId, deleted: false },
      details: { username: `${user.username}-renamed` },
    });
  });

  it("shows the name an actor had at the time, not the one they have now", async () => {
    const { user, token } = await h.signedIn();
    const own = await h.as({ bearer: token });
    await own.auth.updateProfile({ username: `${user.username}-new` });
    await (await h.as({ bearer: token })).articles.create({ title: "After", description: "d", body: "b" });
    const { events } = await admin.audit.list({ actorId: user.id });
    expect(events.map((event) => [event.action, event.actor?.username, event.actor?.deleted])).toEqual([
      ["articles.create", `${user.username}-new`, false],
      ["auth.updateProfile", user.username, false],
      ["auth.signIn", user.username, false],
    ]);
  });

  it("pages by keyset through simultaneous events, each exactly once and in order", async () => {
    // 23 events over 8 instants: pages end in the middle of simultaneous events.
    await h.database.sql`
      insert into audit_events (action, created_at)
      select 'test.paging', timestamptz '2024-05-01 12:00:00Z' + (i % 8) * interval '1 millisecond'
      from generate_series(0, 22) as i`;
    const expected = await h.database.sql<{ id: string }[]>`
      select id from audit_events where action = 'test.paging' order by created_at desc, id desc`;

    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await admin.audit.list({ action: "test.paging", limit: 5, cursor });
      seen.push(...page.events.map((event) => event.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toEqual(expected.map((row) => Number(row.id)));
  });

  it("sends one statement per page whatever its size", async () => {
    const small = await h.recordQueries(() => admin.audit.list({ limit: 5 }));
    const large = await h.recordQueries(() => admin.audit.list({ limit: 50 }));
    expect(small.result.events).toHaveLength(5);
    expect(large.result.events.length).toBeGreaterThan(5);
    expect(small.statements).toHaveLength(1);
    expect(large.statements).toHaveLength(1);
  });

  it("returns no next cursor on the last page", async () => {
    const { events, nextCursor } = await admin.audit.list({ actorId: author.id, limit: 2 });
    expect(events).toHaveLength(2);
    expect(nextCursor).toBeNull();
  });

  it("refuses malformed cursors, a range that ends before it starts, and oversized pages", async () => {
    const malformed = ["not a cursor", "[1,2]", '["yesterday",1]'].map((text) =>
      text === "not a cursor" ? text : Buffer.from(text).toString("base64url"),
    );
    for (const cursor of malformed) {
      const error = await expectTRPCError(admin.audit.list({ cursor }), "BAD_REQUEST");
      expect(error.message).toContain("Invalid cursor");
    }
    await expectTRPCError(
      admin.audit.list({ from: at("2024-03-02T00:00:00Z"), to: at("2024-03-01T00:00:00Z") }),
      "BAD_REQUEST",
    );
    await expectTRPCError(admin.audit.list({ limit: 101 }), "BAD_REQUEST");
    await expectTRPCError(admin.audit.list({ action: "a".repeat(101) }), "BAD_REQUEST");
  });
});

describe("audit.vocabulary", () => {
  it("lists every action and target type the log holds, once each, sorted", async () => {
    await h.database.db.insert(schema.auditEvents).values([
      { action: "zz.vocabulary.probe", targetType: "probeType" },
      { action: "zz.vocabulary.probe", targetType: "probeType" },
    ]);
    const { actions: logged, targetTypes } = await admin.audit.vocabulary();
    const expected = await h.database.sql<
      { action: string }[]
    >`select distinct action from audit_events order by action`;
    expect(logged).toEqual(expected.map((row) => row.action));
    expect(logged).toContain("articles.create");
    expect(logged).toContain("zz.vocabulary.probe");
    expect(targetTypes).toContain("article");
    expect(targetTypes).toContain("probeType");
    expect(new Set(targetTypes).size).toBe(targetTypes.length);
  });

  it("is for audit readers only", async () => {
    const moderator = await h.signedIn("moderator");
    await expectTRPCError((await h.as({ bearer: moderator.token })).audit.vocabulary(), "FORBIDDEN");
    await expectTRPCError((await h.as()).audit.vocabulary(), "UNAUTHORIZED");
  });
});

describe("audit.targets", () => {
  it("says which targets still exist, with their names and parents; unknown kinds and junk ids are left out", async () => {
    const owner = await h.signedIn();
    const asOwner = await h.as({ bearer: owner.token });
    const article = await asOwner.articles.create({ title: "Linked title", description: "d", body: "b" });
    const key = await asOwner.apiKeys.create({ name: "linked key", scopes: [] });
    const gone = await h.createUser();
    await admin.users.delete({ userId: gone.id });

    const { targets } = await admin.audit.targets({
      refs: [
        `user:${owner.user.id}`,
        `user:${gone.id}`,
        `article:${article.id}`,
        `apiKey:${key.id}`,
        "session:abc",
        "user:1,2,3",
        "user:99999999999",
        "user:-1",
      ],
    });
    expect(targets).toEqual(
      expect.arrayContaining([
        { type: "user", id: String(owner.user.id), exists: true, label: owner.user.username, parentId: null },
        { type: "user", id: String(gone.id), exists: false, label: null, parentId: null },
        { type: "article", id: String(article.id), exists: true, label: "Linked title", parentId: null },
        { type: "apiKey", id: String(key.id), exists: true, label: "linked key", parentId: owner.user.id },
      ]),
    );
    expect(targets).toHaveLength(4);
  });

  it("answers crafted refs with nothing rather than a wrong record or a 500: prototype names, odd numerals, duplicates", async () => {
    const { user } = await h.signedIn();
    const { targets } = await admin.audit.targets({
      refs: [
        "constructor:1",
        "hasOwnProperty:1",
        "toString:1",
        `user:0${user.id}`,
        `user:${user.id}.0`,
        `user:+${user.id}`,
        `user:${user.id} `,
        "user:1e3",
        "user:0x10",
        "user:0",
        "user:2147483648",
        "user:\u0661",
        `User:${user.id}`,
        "user:' or 1=1 --",
        `user:${user.id}`,
        `user:${user.id}`,
      ],
    });
    // The one plain ref, once however often it is asked for.
    expect(targets).toEqual([
      { type: "user", id: String(user.id), exists: true, label: user.username, parentId: null },
    ]);
    // A NUL byte cannot be stored, so it cannot name a target: refused like any input holding one.
    await expectTRPCError(admin.audit.targets({ refs: [`user:${user.id}\u0000`] }), "BAD_REQUEST");
    await expectTRPCError(admin.audit.targets({ refs: ["__proto__:1"] }), "BAD_REQUEST");
  });

  it("refuses too many refs, and callers without the audit permission", async () => {
    const refs = Array.from({ length: 201 }, (_, i) => `user:${i + 1}`);
    await expectTRPCError(admin.audit.targets({ refs }), "BAD_REQUEST");
    for (const ref of ["user", ":1", "user:", "a:b:c", `user:${"1".repeat(101)}`]) {
      await expectTRPCError(admin.audit.targets({ refs: [ref] }), "BAD_REQUEST");
    }
    const moderator = await h.signedIn("moderator");
    await expectTRPCError((await h.as({ bearer: moderator.token })).audit.targets({ refs: [] }), "FORBIDDEN");
  });
});
