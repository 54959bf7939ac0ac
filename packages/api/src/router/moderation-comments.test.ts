import { desc, eq, inArray, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
let moderator: Awaited<ReturnType<Harness["signedIn"]>>;
let asModerator: Awaited<ReturnType<Harness["as"]>>;
let commenter: schema.User;
beforeAll(async () => {
  h = await createHarness();
  moderator = await h.signedIn("moderator");
  asModerator = await h.as({ bearer: moderator.token });
  commenter = await h.createUser();
});
afterAll(() => h.close());

let articleCounter = 0;
async function insertArticle() {
  articleCounter++;
  const [article] = await h.database.db
    .insert(schema.articles)
    .values({
      slug: `commented-${articleCounter}`,
      title: `Commented ${articleCounter}`,
      description: "d",
      body: "b",
      authorId: commenter.id,
    })
    .returning();
  if (!article) throw new Error("no article");
  return article;
}

async function insertComments(
  articleId: number,
  fields: Partial<typeof schema.comments.$inferInsert>[],
): Promise<(typeof schema.comments.$inferSelect)[]> {
  return h.database.db
    .insert(schema.comments)
    .values(fields.map((field) => ({ articleId, authorId: commenter.id, body: "A comment", ...field })))
    .returning();
}

const idsOf = (rows: { id: number }[]) => rows.map((row) => row.id);

describe("moderation.comments.list", () => {
  it("lists comments newest first (ties by id) with their article and author", async () => {
    const article = await insertArticle();
    const sameTime = new Date("2024-03-01T00:00:00Z");
    const [older, tieA, tieB] = await insertComments(article.id, [
      { createdAt: new Date("2024-01-01T00:00:00Z"), body: "older", moderation: "hidden" },
      { createdAt: sameTime },
      { createdAt: sameTime },
    ]);
    if (!older || !tieA || !tieB) throw new Error("no comments");

    const { comments, total } = await asModerator.moderation.comments.list({ articleId: article.id });

    expect(total).toBe(3);
    expect(idsOf(comments)).toEqual([tieB.id, tieA.id, older.id]);
    expect(comments[2]).toEqual({
      id: older.id,
      body: "older",
      article: { id: article.id, slug: article.slug, title: article.title },
      author: { id: commenter.id, username: commenter.username },
      moderation: "hidden",
      moderatedAt: null,
      moderatedBy: null,
      moderationReason: null,
      createdAt: older.createdAt,
    });
  });

  it("filters by state, article, author and a case-insensitive body search", async () => {
    const article = await insertArticle();
    const otherArticle = await insertArticle();
    const otherAuthor = await h.createUser();
    const [spam, hiddenSpam, byOther] = await insertComments(article.id, [
      { body: "Buy CHEAP watches" },
      { body: "cheap pills", moderation: "hidden" },
      { body: "Thoughtful reply", authorId: otherAuthor.id },
    ]);
    await insertComments(otherArticle.id, [{ body: "cheap elsewhere" }]);
    const list = async (input: Parameters<typeof asModerator.moderation.comments.list>[0]) => {
      const { comments, total } = await asModerator.moderation.comments.list(input);
      return { ids: idsOf(comments).sort((a, b) => a - b), total };
    };

    expect(await list({ articleId: article.id, search: "cheap" })).toEqual({
      ids: [spam?.id, hiddenSpam?.id],
      total: 2,
    });
    expect(await list({ articleId: article.id, state: "hidden" })).toEqual({ ids: [hiddenSpam?.id], total: 1 });
    expect(await list({ authorId: otherAuthor.id })).toEqual({ ids: [byOther?.id], total: 1 });
    expect((await list({ search: "cheap" })).total).toBe(3);
  });

  it("pages with the total of all matching rows, also on a page past the end", async () => {
    const article = await insertArticle();
    const created = await insertComments(
      article.id,
      Array.from({ length: 5 }, (_, i) => ({ createdAt: new Date(Date.UTC(2022, 0, i + 1)) })),
    );
    const newestFirst = idsOf(created).reverse();
    const page = (n: number) => asModerator.moderation.comments.list({ articleId: article.id, page: n, pageSize: 2 });

    expect(idsOf((await page(2)).comments)).toEqual(newestFirst.slice(2, 4));
    expect((await page(3)).total).toBe(5);
    expect(await page(4)).toEqual({ comments: [], total: 5 });
  });

  it("sends the same single statement whatever the page size", async () => {
    const article = await insertArticle();
    await insertComments(
      article.id,
      Array.from({ length: 60 }, () => ({})),
    );

    const small = await h.recordQueries(() => asModerator.moderation.comments.list({ pageSize: 5 }));
    const large = await h.recordQueries(() => asModerator.moderation.comments.list({ pageSize: 50 }));

    expect(small.result.comments).toHaveLength(5);
    expect(large.result.comments).toHaveLength(50);
    expect(large.statements).toHaveLength(small.statements.length);
    expect(large.statements).toHaveLength(1);
  });
});

describe("moderation.comments.hide, restore and delete", () => {
  it("hides and restores a bulk selection, skipping unknown ids and recording the moderator", async () => {
    const article = await insertArticle();
    const [first, second, untouched] = await insertComments(article.id, [{}, {}, {}]);
    if (!first || !second || !untouched) throw new Error("no comments");
    const selection = [999_999, second.id, first.id];

    expect(await asModerator.moderation.comments.hide({ ids: selection })).toEqual({
      affected: [first.id, second.id],
      actionId: expect.any(String),
    });
    const states = async () =>
      (
        await h.database.db
          .select()
          .from(schema.comments)
          .where(eq(schema.comments.articleId, article.id))
          .orderBy(schema.comments.id)
      ).map((row) => [row.moderation, row.moderatedById, row.moderatedAt !== null]);
    expect(await states()).toEqual([
      ["hidden", moderator.user.id, true],
      ["hidden", moderator.user.id, true],
      ["visible", null, false],
    ]);

    expect(await asModerator.moderation.comments.restore({ ids: [first.id, untouched.id] })).toEqual({
      affected: [first.id],
    });
    expect((await states()).map(([state]) => state)).toEqual(["visible", "hidden", "visible"]);
  });

  it("deletes a bulk selection and nothing else; the article stays", async () => {
    const article = await insertArticle();
    const [doomed, kept, alsoDoomed] = await insertComments(article.id, [{}, {}, {}]);
    if (!doomed || !kept || !alsoDoomed) throw new Error("no comments");

    expect(await asModerator.moderation.comments.delete({ ids: [alsoDoomed.id, doomed.id, 999_999] })).toEqual({
      affected: [doomed.id, alsoDoomed.id],
    });
    const remaining = await h.database.db
      .select({ id: schema.comments.id })
      .from(schema.comments)
      .where(inArray(schema.comments.id, [doomed.id, kept.id, alsoDoomed.id]));
    expect(remaining).toEqual([{ id: kept.id }]);
    expect(await h.database.db.select().from(schema.articles).where(eq(schema.articles.id, article.id))).toHaveLength(
      1,
    );
  });

  it("answers NOT_FOUND when none of the selected comments exist, and audits the failure", async () => {
    for (const action of ["hide", "restore", "delete"] as const) {
      const error = await expectTRPCError(asModerator.moderation.comments[action]({ ids: [999_999] }), "NOT_FOUND");
      expect(error.message).toBe("None of the selected comments exist.");
    }
    const [event] = await h.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "moderation.comments.delete"))
      .orderBy(desc(schema.auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({
      targetType: "comment",
      targetId: "999999",
      details: expect.objectContaining({ outcome: "failure" }),
    });
  });

  it("writes an audit event for a bulk deletion with the deleted ids", async () => {
    const article = await insertArticle();
    const [first, second] = await insertComments(article.id, [{}, {}]);
    if (!first || !second) throw new Error("no comments");

    await asModerator.moderation.comments.delete({ ids: [second.id, first.id] });

    const [event] = await h.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "moderation.comments.delete"))
      .orderBy(desc(schema.auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({
      actorId: moderator.user.id,
      targetType: "comment",
      targetId: `${second.id},${first.id}`,
      details: expect.objectContaining({ outcome: "success", ids: [first.id, second.id] }),
    });
  });
});
