import { eq, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";
import { fromDatabaseError } from "../trpc.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const draft = (title: string, tagList: string[] = []) => ({
  title,
  description: "A short summary",
  body: "Body text",
  tagList,
});

async function writer() {
  const { user, token } = await h.signedIn();
  return { user, token, call: await h.as({ bearer: token }) };
}

describe("articles.create", () => {
  it("makes a readable slug from the title and returns the full article", async () => {
    const { user, call } = await writer();
    const article = await call.articles.create(draft("How to Train Your Dragon!", ["zoology", "dragons"]));
    expect(article).toMatchObject({
      slug: "how-to-train-your-dragon",
      title: "How to Train Your Dragon!",
      body: "Body text",
      tagList: ["dragons", "zoology"],
      favorited: false,
      favoritesCount: 0,
      author: { username: user.username, bio: null, image: null, following: false },
    });
    expect(article.createdAt).toBeInstanceOf(Date);
  });

  it("keeps slugs unique: a second article with the same title gets a suffix", async () => {
    const { call } = await writer();
    const first = await call.articles.create(draft("Same Title"));
    const second = await call.articles.create(draft("Same Title"));
    expect(first.slug).toBe("same-title");
    expect(second.slug).toMatch(/^same-title-[0-9a-f]{8}$/);
  });

  it("enforces the limits with field errors", async () => {
    const { call } = await writer();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "x".repeat(201) }, "title"],
      [{ title: "   " }, "title"],
      [{ description: "x".repeat(501) }, "description"],
      [{ body: "x".repeat(100_001) }, "body"],
      [{ tagList: Array.from({ length: 11 }, (_, i) => `t${i}`) }, "tagList"],
      [{ tagList: ["x".repeat(41)] }, "tagList"],
    ];
    for (const [override, field] of cases) {
      const error = await expectTRPCError(
        call.articles.create({ ...draft("Limits"), ...override } as never),
        "BAD_REQUEST",
      );
      expect((error.cause as ZodError).issues[0]?.path[0]).toBe(field);
    }
    await call.articles.create({ ...draft("x".repeat(200)), body: "x".repeat(100_000), tagList: ["x".repeat(40)] });
  });

  it("maps a slug taken in a race to CONFLICT, never a 500", async () => {
    const { user } = await writer();
    const row = { slug: "raced", title: "Raced", description: "d", body: "b", authorId: user.id };
    await h.database.db.insert(schema.articles).values(row);
    const caught = await h.database.db
      .insert(schema.articles)
      .values(row)
      .catch((error: unknown) => error);
    expect(fromDatabaseError(caught)).toMatchObject({
      code: "CONFLICT",
      message: "An article with this slug already exists.",
    });
  });
});

describe("articles.update and delete", () => {
  it("lets only the author edit; a new title gives a new slug, other edits keep it", async () => {
    const author = await writer();
    const other = await writer();
    const article = await author.call.articles.create(draft("Original Title", ["a", "b"]));

    await expectTRPCError(other.call.articles.update({ slug: article.slug, body: "hijack" }), "FORBIDDEN");

    const bodyOnly = await author.call.articles.update({ slug: article.slug, body: "New body" });
    expect(bodyOnly).toMatchObject({ slug: "original-title", body: "New body", tagList: ["a", "b"] });
    expect(bodyOnly.updatedAt.getTime()).toBeGreaterThan(article.updatedAt.getTime());

    const renamed = await author.call.articles.update({ slug: article.slug, title: "Better Title", tagList: [] });
    expect(renamed).toMatchObject({ slug: "better-title", title: "Better Title", tagList: [] });
    await expectTRPCError(author.call.articles.get({ slug: "original-title" }), "NOT_FOUND");
  });

  it("lets only the author delete", async () => {
    const author = await writer();
    const other = await writer();
    const article = await author.call.articles.create(draft("Doomed"));
    await expectTRPCError(other.call.articles.delete({ slug: article.slug }), "FORBIDDEN");
    expect(await author.call.articles.delete({ slug: article.slug })).toEqual({ deleted: article.slug });
    await expectTRPCError(author.call.articles.get({ slug: article.slug }), "NOT_FOUND");
    await expectTRPCError(author.call.articles.delete({ slug: "no-such-article" }), "NOT_FOUND");
  });
});

describe("favorites", () => {
  it("counts favorites and flags the viewer's, idempotently", async () => {
    const author = await writer();
    const fan = await writer();
    const article = await author.call.articles.create(draft("Lovable"));
    expect(await fan.call.articles.favorite({ slug: article.slug })).toMatchObject({
      favorited: true,
      favoritesCount: 1,
    });
    expect(await fan.call.articles.favorite({ slug: article.slug })).toMatchObject({ favoritesCount: 1 });
    expect(await author.call.articles.get({ slug: article.slug })).toMatchObject({
      favorited: false,
      favoritesCount: 1,
    });
    expect(await fan.call.articles.unfavorite({ slug: article.slug })).toMatchObject({
      favorited: false,
      favoritesCount: 0,
    });
  });
});

describe("articles.list and feed", () => {
  let alice: Awaited<ReturnType<typeof writer>>;
  let bob: Awaited<ReturnType<typeof writer>>;
  let reader: Awaited<ReturnType<typeof writer>>;

  beforeAll(async () => {
    alice = await writer();
    bob = await writer();
    reader = await writer();
    for (let i = 1; i <= 6; i++)
      await alice.call.articles.create(draft(`Alice ${i}`, i % 2 ? ["odd", "listed"] : ["listed"]));
    for (let i = 1; i <= 3; i++) await bob.call.articles.create(draft(`Bob ${i}`, ["listed"]));
    await reader.call.profiles.follow({ username: bob.user.username });
    await reader.call.articles.favorite({ slug: "alice-1" });
  });

  it("filters by tag, author and favorited-by, newest first, without bodies, with the total", async () => {
    const anonymous = await h.as();
    const byTag = await anonymous.articles.list({ tag: "odd" });
    expect(byTag.articles.map((a) => a.slug)).toEqual(["alice-5", "alice-3", "alice-1"]);
    expect(byTag.articlesCount).toBe(3);
    expect(byTag.articles[0]).not.toHaveProperty("body");

    const byAuthor = await anonymous.articles.list({ author: bob.user.username.toUpperCase(), tag: "listed" });
    expect(byAuthor.articles.map((a) => a.slug)).toEqual(["bob-3", "bob-2", "bob-1"]);

    const favorited = await anonymous.articles.list({ favoritedBy: reader.user.username });
    expect(favorited.articles.map((a) => a.slug)).toEqual(["alice-1"]);
    expect((await anonymous.articles.list({ author: "nobody-at-all" })).articlesCount).toBe(0);
  });

  it("computes the viewer's favorited and following flags", async () => {
    const page = await reader.call.articles.list({ tag: "listed", limit: 100 });
    const bySlug = Object.fromEntries(page.articles.map((a) => [a.slug, a]));
    expect(bySlug["alice-1"]).toMatchObject({ favorited: true, favoritesCount: 1, author: { following: false } });
    expect(bySlug["bob-1"]).toMatchObject({ favorited: false, author: { following: true } });
  });

  it("pages by offset and by cursor without skipping or repeating", async () => {
    const anonymous = await h.as();
    const byOffset = await anonymous.articles.list({ tag: "listed", limit: 4, offset: 4 });
    expect(byOffset.articles.map((a) => a.slug)).toEqual(["alice-5", "alice-4", "alice-3", "alice-2"]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await anonymous.articles.list({ tag: "listed", limit: 4, cursor });
      seen.push(...page.articles.map((a) => a.slug));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    await expectTRPCError(anonymous.articles.list({ cursor: "garbage" }), "BAD_REQUEST");
    await expectTRPCError(anonymous.articles.list({ limit: 101 }), "BAD_REQUEST");
  });

  it("feeds the authors the viewer follows, and needs a signed-in caller", async () => {
    const feed = await reader.call.articles.feed({ limit: 10 });
    expect(feed.articles.map((a) => a.slug)).toEqual(["bob-3", "bob-2", "bob-1"]);
    expect(feed.articlesCount).toBe(3);
    expect(feed.articles.every((a) => a.author.following)).toBe(true);
    await expectTRPCError((await h.as()).articles.feed({}), "UNAUTHORIZED");
  });

  it("runs the same number of statements whatever the page size", async () => {
    const count = async (limit: number) =>
      (await h.recordQueries(async () => reader.call.articles.list({ tag: "listed", limit }))).statements.length;
    const feedCount = async (limit: number) =>
      (await h.recordQueries(async () => reader.call.articles.feed({ limit }))).statements.length;
    expect(await count(2)).toBe(await count(9));
    expect(await feedCount(1)).toBe(await feedCount(3));
  });
});

describe("hidden articles", () => {
  it("vanish from lists and reads for everyone but their author and moderators", async () => {
    const author = await writer();
    const article = await author.call.articles.create(draft("Hidden Gem", ["secret"]));
    await h.database.db.update(schema.articles).set({ moderation: "hidden" }).where(eq(schema.articles.id, article.id));

    const anonymous = await h.as();
    expect((await anonymous.articles.list({ tag: "secret" })).articlesCount).toBe(0);
    await expectTRPCError(anonymous.articles.get({ slug: article.slug }), "NOT_FOUND");
    const stranger = await writer();
    await expectTRPCError(stranger.call.articles.favorite({ slug: article.slug }), "NOT_FOUND");

    expect((await author.call.articles.get({ slug: article.slug })).moderation).toBe("hidden");
    const moderator = await h.signedIn("moderator");
    await (await h.as({ bearer: moderator.token })).articles.get({ slug: article.slug });
  });
});

describe("the unfiltered total", () => {
  it("comes from the trigger-kept counter and stays exact through creates, moderation, deletes and truncation", async () => {
    const author = await writer();
    const exact = async () => {
      const [row] = await h.database.sql`select count(*)::int as n from articles where moderation = 'visible'`;
      return row?.n;
    };
    const listed = async () => (await (await h.as()).articles.list({ limit: 1 })).articlesCount;

    const created = await author.call.articles.create(draft("Counted"));
    await author.call.articles.create(draft("Counted too"));
    expect(await listed()).toBe(await exact());
    await h.database.db.update(schema.articles).set({ moderation: "hidden" }).where(eq(schema.articles.id, created.id));
    expect(await listed()).toBe(await exact());
    await h.database.db.update(schema.articles).set({ title: "Retitled" }).where(eq(schema.articles.id, created.id));
    expect(await listed()).toBe(await exact());
    await author.call.articles.delete({ slug: "counted-too" });
    expect(await listed()).toBe(await exact());

    const { statements } = await h.recordQueries(async () => (await h.as()).articles.list({ limit: 1 }));
    expect(statements.some((statement) => /^select count\(\*\) from "articles"/.test(statement))).toBe(false);

    await h.database.sql`truncate articles cascade`;
    expect(await listed()).toBe(0);
  });
});
