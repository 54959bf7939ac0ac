import { desc, eq, inArray, schema, sql } from "@inkwell/db";
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

let counter = 0;
async function insertArticles(authorId: number, fields: Partial<schema.NewArticle>[]) {
  return h.database.db
    .insert(schema.articles)
    .values(
      fields.map((field) => {
        counter++;
        return { slug: `m-${counter}`, title: `Matching ${counter}`, description: "d", body: "b", authorId, ...field };
      }),
    )
    .returning();
}

async function tag(name: string, articleIds: number[]) {
  const [row] = await h.database.db.insert(schema.tags).values({ name }).returning();
  if (!row) throw new Error("no tag");
  await h.database.db.insert(schema.articleTags).values(articleIds.map((articleId) => ({ articleId, tagId: row.id })));
  return row;
}

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const sorted = (ids: (number | undefined)[]) => [...ids].sort((a = 0, b = 0) => a - b);

describe("moderation list filters: author, tag and date range", () => {
  it("filters articles by the author's username in any case, a tag, and an inclusive date range", async () => {
    const author = await h.createUser({ username: `Filtered_${Date.now()}` });
    const other = await h.createUser();
    const [jan, feb, mar] = await insertArticles(author.id, [
      { createdAt: day("2024-01-15") },
      { createdAt: day("2024-02-15") },
      { createdAt: day("2024-03-15") },
    ]);
    const [othersFeb] = await insertArticles(other.id, [{ createdAt: day("2024-02-15") }]);
    if (!jan || !feb || !mar || !othersFeb) throw new Error("no articles");
    const tagName = `tagged-${Date.now()}`;
    await tag(tagName, [feb.id, mar.id, othersFeb.id]);
    const ids = async (input: Parameters<typeof asModerator.moderation.articles.list>[0]) =>
      sorted((await asModerator.moderation.articles.list(input)).articles.map((a) => a.id));

    expect(await ids({ author: author.username.toUpperCase() })).toEqual([jan.id, feb.id, mar.id]);
    expect(await ids({ tag: tagName })).toEqual(sorted([feb.id, mar.id, othersFeb.id]));
    expect(await ids({ author: author.username, tag: tagName })).toEqual([feb.id, mar.id]);
    expect(
      await ids({
        author: author.username,
        createdFrom: new Date("2024-02-01T00:00:00Z"),
        createdTo: new Date("2024-03-15T12:00:00Z"),
      }),
    ).toEqual([feb.id, mar.id]);
    expect(await ids({ tag: tagName, createdTo: new Date("2024-02-15T12:00:00Z") })).toEqual(
      sorted([feb.id, othersFeb.id]),
    );
    expect(await ids({ author: "nobody-by-this-name" })).toEqual([]);
    expect(await ids({ tag: "no-such-tag" })).toEqual([]);
  });

  it("filters comments by author username, by a tag of their article, and by date", async () => {
    const author = await h.createUser();
    const commenter = await h.createUser();
    const [tagged, untagged] = await insertArticles(author.id, [{}, {}]);
    if (!tagged || !untagged) throw new Error("no articles");
    const tagName = `comment-tag-${Date.now()}`;
    await tag(tagName, [tagged.id]);
    const [onTaggedOld, onTaggedNew, onUntagged, byAuthor] = await h.database.db
      .insert(schema.comments)
      .values([
        { articleId: tagged.id, authorId: commenter.id, body: "old", createdAt: day("2023-06-01") },
        { articleId: tagged.id, authorId: commenter.id, body: "new", createdAt: day("2024-06-01") },
        { articleId: untagged.id, authorId: commenter.id, body: "elsewhere", createdAt: day("2024-06-01") },
        { articleId: tagged.id, authorId: author.id, body: "by the author", createdAt: day("2024-06-02") },
      ])
      .returning();
    const ids = async (input: Parameters<typeof asModerator.moderation.comments.list>[0]) =>
      sorted((await asModerator.moderation.comments.list(input)).comments.map((c) => c.id));

    expect(await ids({ tag: tagName })).toEqual(sorted([onTaggedOld?.id, onTaggedNew?.id, byAuthor?.id]));
    expect(await ids({ tag: tagName, author: commenter.username })).toEqual(sorted([onTaggedOld?.id, onTaggedNew?.id]));
    expect(await ids({ author: commenter.username, createdFrom: new Date("2024-01-01T00:00:00Z") })).toEqual(
      sorted([onTaggedNew?.id, onUntagged?.id]),
    );
  });

  it("sorts articles by favorites and by comments, either way, ties broken by id", async () => {
    const author = await h.createUser();
    const readers = await Promise.all([h.createUser(), h.createUser(), h.createUser()]);
    const [none, two, oneA, oneB] = await insertArticles(author.id, [{}, {}, {}, {}]);
    if (!none || !two || !oneA || !oneB) throw new Error("no articles");
    await h.database.db.insert(schema.favorites).values([
      { articleId: two.id, userId: readers[0].id },
      { articleId: two.id, userId: readers[1].id },
      { articleId: oneA.id, userId: readers[2].id },
      { articleId: oneB.id, userId: readers[2].id },
    ]);
    // Comments in the opposite order: none has three, two has none.
    await h.database.db.insert(schema.comments).values([
      { articleId: none.id, authorId: readers[0].id, body: "1" },
      { articleId: none.id, authorId: readers[0].id, body: "2" },
      { articleId: none.id, authorId: readers[0].id, body: "3", moderation: "hidden" },
      { articleId: oneA.id, authorId: readers[0].id, body: "1" },
    ]);
    const order = async (sort: "favoritesCount" | "commentsCount", direction: "asc" | "desc") =>
      (await asModerator.moderation.articles.list({ authorId: author.id, sort, direction })).articles.map((a) => a.id);

    expect(await order("favoritesCount", "desc")).toEqual([two.id, oneB.id, oneA.id, none.id]);
    expect(await order("favoritesCount", "asc")).toEqual([none.id, oneA.id, oneB.id, two.id]);
    expect(await order("commentsCount", "desc")).toEqual([none.id, oneA.id, oneB.id, two.id]);
    expect(await order("commentsCount", "asc")).toEqual([two.id, oneB.id, oneA.id, none.id]);
  });

  it("refuses hostile filter values with BAD_REQUEST, and treats quotes and wildcards as plain text", async () => {
    const hostile: Record<string, unknown>[] = [
      { tag: "t".repeat(41) },
      { author: "a".repeat(41) },
      { tag: "nul\u0000" },
      { author: ["admin"] },
      { authorId: 0 },
      { authorId: 2 ** 31 },
      { createdFrom: new Date("2024-02-01"), createdTo: new Date("2024-01-01") },
      { createdFrom: new Date(Date.UTC(10_000, 0, 1)) },
      { createdTo: new Date(Number.NaN) },
      { createdFrom: "2024-01-01" },
      { sort: "favoritesCount; drop table articles" },
    ];
    for (const input of hostile) {
      await expectTRPCError(asModerator.moderation.articles.list(input as never), "BAD_REQUEST");
      // The same filter values in an action on every match (a sort is not part of a filter).
      if (!("sort" in input)) {
        await expectTRPCError(asModerator.moderation.comments.hideMatching({ filter: input } as never), "BAD_REQUEST");
      }
    }
    const order = await expectTRPCError(
      asModerator.moderation.articles.list({ createdFrom: new Date("2024-02-01"), createdTo: new Date("2024-01-01") }),
      "BAD_REQUEST",
    );
    expect(order.message).toContain("The start of the date range must not be after its end.");

    for (const text of ["%", "_", "' or '1'='1", "admin' --", "\\"]) {
      expect(await asModerator.moderation.articles.list({ author: text })).toEqual({ articles: [], total: 0 });
      expect(await asModerator.moderation.comments.list({ tag: text })).toEqual({ comments: [], total: 0 });
    }
  });
});

describe("moderation hide, restore and delete of every match", () => {
  it("hides every article the filter matches across pages, with the reason, and one undo brings them back", async () => {
    const author = await h.createUser();
    const spared = await h.createUser();
    const created = await insertArticles(
      author.id,
      Array.from({ length: 45 }, () => ({})),
    );
    const [alreadyHidden] = await insertArticles(author.id, [{ moderation: "hidden" }]);
    const [other] = await insertArticles(spared.id, [{}]);
    if (!alreadyHidden || !other) throw new Error("no articles");

    const result = await asModerator.moderation.articles.hideMatching({
      filter: { author: author.username },
      reason: "Spam wave",
    });

    expect(result).toEqual({ matched: 46, affected: 45, actionId: expect.any(String) });
    const rows = await h.database.db
      .select({
        id: schema.articles.id,
        moderation: schema.articles.moderation,
        reason: schema.articles.moderationReason,
      })
      .from(schema.articles)
      .where(eq(schema.articles.authorId, author.id));
    expect(rows.filter((row) => row.moderation === "hidden")).toHaveLength(46);
    expect(rows.filter((row) => row.reason === "Spam wave")).toHaveLength(45);
    const [otherRow] = await h.database.db.select().from(schema.articles).where(eq(schema.articles.id, other.id));
    expect(otherRow?.moderation).toBe("visible");

    const undone = await asModerator.moderation.articles.undoHide({ actionId: result.actionId ?? "" });
    expect(undone.affected).toEqual(created.map((a) => a.id));
    const [stillHidden] = await h.database.db
      .select()
      .from(schema.articles)
      .where(eq(schema.articles.id, alreadyHidden.id));
    expect(stillHidden?.moderation).toBe("hidden");
  });

  it("records the filter and the counts in the audit event, not the ids", async () => {
    const author = await h.createUser();
    await insertArticles(
      author.id,
      Array.from({ length: 12 }, () => ({})),
    );

    await asModerator.moderation.articles.hideMatching({ filter: { author: author.username, state: "visible" } });

    const [event] = await h.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "moderation.articles.hideMatching"))
      .orderBy(desc(schema.auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({ actorId: moderator.user.id, targetType: "article", targetId: "matching" });
    expect(event?.details).toMatchObject({
      outcome: "success",
      filter: { author: author.username, state: "visible" },
      matched: 12,
      affected: 12,
    });
    expect(event?.details).not.toHaveProperty("ids");
    expect(JSON.stringify(event?.details).length).toBeLessThan(1000);
  });

  it("restores and deletes every matching comment", async () => {
    const author = await h.createUser();
    const commenter = await h.createUser();
    const [article] = await insertArticles(author.id, [{}]);
    if (!article) throw new Error("no article");
    const comments = await h.database.db
      .insert(schema.comments)
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          articleId: article.id,
          authorId: commenter.id,
          body: `c${i}`,
          moderation: "hidden" as const,
        })),
      )
      .returning();

    expect(
      await asModerator.moderation.comments.restoreMatching({ filter: { articleId: article.id, state: "hidden" } }),
    ).toEqual({ matched: 30, affected: 30, actionId: null });
    expect(await asModerator.moderation.comments.deleteMatching({ filter: { author: commenter.username } })).toEqual({
      matched: 30,
      affected: 30,
      actionId: null,
    });
    const left = await h.database.db
      .select()
      .from(schema.comments)
      .where(
        inArray(
          schema.comments.id,
          comments.map((c) => c.id),
        ),
      );
    expect(left).toEqual([]);
    await expectTRPCError(
      asModerator.moderation.comments.deleteMatching({ filter: { author: commenter.username } }),
      "NOT_FOUND",
    );
  });

  it("refuses a filter matching more than 10,000 rows as a whole, with a message saying so", async () => {
    const author = await h.createUser();
    await h.database.db.execute(sql`
      insert into articles (slug, title, description, body, author_id)
      select 'bound-' || g, 'Bound ' || g, 'd', 'b', ${author.id} from generate_series(1, 10001) g`);

    const error = await expectTRPCError(
      asModerator.moderation.articles.hideMatching({ filter: { authorId: author.id } }),
      "BAD_REQUEST",
    );
    expect(error.message).toBe(
      "This filter matches more than 10,000 articles; an action on every match takes at most 10,000. Narrow the filter.",
    );
    const [hidden] = await h.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from articles where author_id = ${author.id} and moderation = 'hidden'`,
    );
    expect(hidden?.n).toBe(0);

    // One fewer fits.
    await h.database.db.execute(sql`delete from articles where slug = 'bound-10001'`);
    expect(await asModerator.moderation.articles.hideMatching({ filter: { authorId: author.id } })).toMatchObject({
      matched: 10_000,
      affected: 10_000,
    });
  });
});
