import { desc, eq, inArray, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
let moderator: Awaited<ReturnType<Harness["signedIn"]>>;
let asModerator: Awaited<ReturnType<Harness["as"]>>;
beforeAll(async () => {
  h = await createHarness();
  moderator = await h.signedIn("moderator");
  asModerator = await h.as({ bearer: moderator.token });
});
afterAll(() => h.close());

let articleCounter = 0;
async function insertArticles(authorId: number, fields: Partial<schema.NewArticle>[]) {
  const rows = await h.database.db
    .insert(schema.articles)
    .values(
      fields.map((field) => {
        articleCounter++;
        return {
          slug: `article-${articleCounter}`,
          title: `Article ${articleCounter}`,
          description: "About something",
          body: "Body",
          authorId,
          ...field,
        };
      }),
    )
    .returning();
  return rows;
}

async function insertArticle(authorId: number, fields: Partial<schema.NewArticle> = {}) {
  const [article] = await insertArticles(authorId, [fields]);
  if (!article) throw new Error("no article");
  return article;
}

describe("moderation.articles.list", () => {
  it("lists hidden and visible articles with author, moderation state and counts", async () => {
    const author = await h.createUser();
    const reader = await h.createUser();
    const article = await insertArticle(author.id, { title: "Counted", moderation: "hidden" });
    await h.database.db.insert(schema.comments).values([
      { articleId: article.id, authorId: reader.id, body: "one" },
      { articleId: article.id, authorId: reader.id, body: "two", moderation: "hidden" },
    ]);
    await h.database.db.insert(schema.favorites).values([
      { articleId: article.id, userId: reader.id },
      { articleId: article.id, userId: author.id },
    ]);
    const uncounted = await insertArticle(author.id, { createdAt: new Date(Date.now() - 60_000) });

    const { articles, total } = await asModerator.moderation.articles.list({ authorId: author.id });

    expect(total).toBe(2);
    expect(articles).toEqual([
      {
        id: article.id,
        slug: article.slug,
        title: "Counted",
        description: article.description,
        author: { id: author.id, username: author.username },
        moderation: "hidden",
        moderatedAt: null,
        moderatedBy: null,
        moderationReason: null,
        createdAt: article.createdAt,
        updatedAt: article.updatedAt,
        commentsCount: 2,
        favoritesCount: 2,
      },
      expect.objectContaining({ id: uncounted.id, commentsCount: 0, favoritesCount: 0 }),
    ]);
  });

  it("filters by state, author and a case-insensitive title search that takes % and _ literally", async () => {
    const author = await h.createUser();
    const other = await h.createUser();
    const [rust, hiddenRust, percent, underscore] = await insertArticles(author.id, [
      { title: "Learning RUST quickly" },
      { title: "rust for operators", moderation: "hidden" },
      { title: "100% coverage" },
      { title: "snake_case names" },
    ]);
    await insertArticle(other.id, { title: "Rust elsewhere" });
    const list = (input: Parameters<typeof asModerator.moderation.articles.list>[0]) =>
      asModerator.moderation.articles.list(input).then(({ articles, total }) => ({
        ids: articles.map((a) => a.id).sort((a, b) => a - b),
        total,
      }));

    expect(await list({ authorId: author.id, search: "  rust " })).toEqual({
      ids: [rust?.id, hiddenRust?.id],
      total: 2,
    });
    expect(await list({ authorId: author.id, search: "rust", state: "hidden" })).toEqual({
      ids: [hiddenRust?.id],
      total: 1,
    });
    expect(await list({ authorId: author.id, state: "visible" })).toEqual({
      ids: [rust?.id, percent?.id, underscore?.id],
      total: 3,
    });
    expect(await list({ authorId: author.id, search: "0%" })).toEqual({ ids: [percent?.id], total: 1 });
    expect(await list({ authorId: author.id, search: "e_c" })).toEqual({ ids: [underscore?.id], total: 1 });
    expect(await list({ authorId: author.id, search: "" })).toMatchObject({ total: 4 });
  });

  it("sorts by creation time or title in either direction, ties broken by id", async () => {
    const author = await h.createUser();
    const sameTime = new Date("2024-05-01T12:00:00Z");
    const [older, tieA, tieB] = await insertArticles(author.id, [
      { title: "b", createdAt: new Date("2024-01-01T00:00:00Z") },
      { title: "a", createdAt: sameTime },
      { title: "a", createdAt: sameTime },
    ]);
    const ids = async (sort: "createdAt" | "title", direction: "asc" | "desc") =>
      (await asModerator.moderation.articles.list({ authorId: author.id, sort, direction })).articles.map((a) => a.id);

    expect(await ids("createdAt", "desc")).toEqual([tieB?.id, tieA?.id, older?.id]);
    expect(await ids("createdAt", "asc")).toEqual([older?.id, tieA?.id, tieB?.id]);
    expect(await ids("title", "asc")).toEqual([tieA?.id, tieB?.id, older?.id]);
    expect(await ids("title", "desc")).toEqual([older?.id, tieB?.id, tieA?.id]);
  });

  it("pages with the total of all matching rows, also on a page past the end", async () => {
    const author = await h.createUser();
    const created = await insertArticles(
      author.id,
      Array.from({ length: 7 }, (_, i) => ({ createdAt: new Date(Date.UTC(2023, 0, i + 1)) })),
    );
    const newestFirst = created.map((a) => a.id).reverse();
    const page = (n: number) => asModerator.moderation.articles.list({ authorId: author.id, page: n, pageSize: 3 });

    expect(await page(1)).toMatchObject({ total: 7, articles: newestFirst.slice(0, 3).map((id) => ({ id })) });
    expect(await page(3)).toMatchObject({ total: 7, articles: [{ id: newestFirst[6] }] });
    expect(await page(4)).toEqual({ total: 7, articles: [] });
    expect(await asModerator.moderation.articles.list({ authorId: 2_000_000_000 })).toEqual({
      total: 0,
      articles: [],
    });
  });

  it("sends the same single statement whatever the page size", async () => {
    const author = await h.createUser();
    const reader = await h.createUser();
    const articles = await insertArticles(
      author.id,
      Array.from({ length: 60 }, () => ({})),
    );
    await h.database.db
      .insert(schema.comments)
      .values(articles.map((a) => ({ articleId: a.id, authorId: reader.id, body: "hi" })));
    await h.database.db.insert(schema.favorites).values(articles.map((a) => ({ articleId: a.id, userId: reader.id })));

    const small = await h.recordQueries(() => asModerator.moderation.articles.list({ pageSize: 5 }));
    const large = await h.recordQueries(() => asModerator.moderation.articles.list({ pageSize: 50 }));

    expect(small.result.articles).toHaveLength(5);
    expect(large.result.articles).toHaveLength(50);
    expect(large.result.articles.every((a) => a.author.id === author.id && a.commentsCount === 1)).toBe(true);
    expect(large.statements).toHaveLength(small.statements.length);
    expect(large.statements).toHaveLength(1);
  });

  it("refuses page sizes above 100", async () => {
    await expectTRPCError(asModerator.moderation.articles.list({ pageSize: 101 }), "BAD_REQUEST");
  });
});

describe("moderation.articles.hide and restore", () => {
  it("hides a bulk selection, skipping unknown ids, and records who did it and when", async () => {
    const author = await h.createUser();
    const [first, second, untouched] = await insertArticles(author.id, [{}, {}, {}]);
    if (!first || !second || !untouched) throw new Error("no articles");
    const before = new Date();

    const { affected } = await asModerator.moderation.articles.hide({ ids: [second.id, 999_999, first.id] });

    expect(affected).toEqual([first.id, second.id]);
    const rows = await h.database.db
      .select()
      .from(schema.articles)
      .where(inArray(schema.articles.id, [first.id, second.id, untouched.id]))
      .orderBy(schema.articles.id);
    expect(rows.map((r) => [r.moderation, r.moderatedById])).toEqual([
      ["hidden", moderator.user.id],
      ["hidden", moderator.user.id],
      ["visible", null],
    ]);
    expect(rows[0]?.moderatedAt?.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(rows[0]?.updatedAt).toEqual(first.updatedAt);
  });

  it("changes only what is not already in the state, and restores with the restorer recorded", async () => {
    const author = await h.createUser();
    const other = await h.signedIn("admin");
    const hidden = await insertArticle(author.id);
    await asModerator.moderation.articles.hide({ ids: [hidden.id] });

    expect(await asModerator.moderation.articles.hide({ ids: [hidden.id] })).toEqual({ affected: [], actionId: null });
    expect(await asModerator.moderation.articles.restore({ ids: [hidden.id, 999_999] })).toEqual({
      affected: [hidden.id],
    });
    const restorer = await h.as({ bearer: other.token });
    await restorer.moderation.articles.hide({ ids: [hidden.id] });
    await restorer.moderation.articles.restore({ ids: [hidden.id] });

    const [row] = await h.database.db.select().from(schema.articles).where(eq(schema.articles.id, hidden.id));
    expect(row).toMatchObject({ moderation: "visible", moderatedById: other.user.id });
  });

  it("answers NOT_FOUND when none of the selected articles exist", async () => {
    for (const action of ["hide", "restore", "delete"] as const) {
      const error = await expectTRPCError(
        asModerator.moderation.articles[action]({ ids: [999_998, 999_999] }),
        "NOT_FOUND",
      );
      expect(error.message).toBe("None of the selected articles exist.");
    }
  });

  it("refuses an empty selection and more than 100 ids", async () => {
    await expectTRPCError(asModerator.moderation.articles.hide({ ids: [] }), "BAD_REQUEST");
    const tooMany = Array.from({ length: 101 }, (_, i) => i + 1);
    await expectTRPCError(asModerator.moderation.articles.restore({ ids: tooMany }), "BAD_REQUEST");
  });

  it("writes one audit event for a bulk action with the selection and the affected ids", async () => {
    const author = await h.createUser();
    const [first, second] = await insertArticles(author.id, [{}, {}]);
    if (!first || !second) throw new Error("no articles");
    const ids = [first.id, 999_999, second.id];

    await asModerator.moderation.articles.hide({ ids });

    const [event] = await h.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "moderation.articles.hide"))
      .orderBy(desc(schema.auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({
      actorId: moderator.user.id,
      targetType: "article",
      targetId: ids.join(","),
      details: expect.objectContaining({ outcome: "success", ids: [first.id, second.id] }),
    });
  });
});

describe("moderation.articles.delete", () => {
  it("deletes the selection with its comments, favorites and tag links, keeping the tags", async () => {
    const author = await h.createUser();
    const [doomed, alsoDoomed, kept] = await insertArticles(author.id, [{}, {}, {}]);
    if (!doomed || !alsoDoomed || !kept) throw new Error("no articles");
    const [tag] = await h.database.db.insert(schema.tags).values({ name: "doomed-tag" }).returning();
    if (!tag) throw new Error("no tag");
    for (const article of [doomed, kept]) {
      await h.database.db.insert(schema.comments).values({ articleId: article.id, authorId: author.id, body: "c" });
      await h.database.db.insert(schema.favorites).values({ articleId: article.id, userId: author.id });
      await h.database.db.insert(schema.articleTags).values({ articleId: article.id, tagId: tag.id });
    }

    const { affected } = await asModerator.moderation.articles.delete({ ids: [alsoDoomed.id, 999_999, doomed.id] });

    expect(affected).toEqual([doomed.id, alsoDoomed.id]);
    const remaining = async (table: typeof schema.comments | typeof schema.favorites | typeof schema.articleTags) =>
      (await h.database.db.select({ articleId: table.articleId }).from(table)).filter((row) =>
        [doomed.id, kept.id].includes(row.articleId),
      );
    expect(await remaining(schema.comments)).toEqual([{ articleId: kept.id }]);
    expect(await remaining(schema.favorites)).toEqual([{ articleId: kept.id }]);
    expect(await remaining(schema.articleTags)).toEqual([{ articleId: kept.id }]);
    const articles = await h.database.db
      .select({ id: schema.articles.id })
      .from(schema.articles)
      .where(inArray(schema.articles.id, [doomed.id, alsoDoomed.id, kept.id]));
    expect(articles).toEqual([{ id: kept.id }]);
    expect(await h.database.db.select().from(schema.tags).where(eq(schema.tags.id, tag.id))).toHaveLength(1);
  });
});
