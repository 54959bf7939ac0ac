import { desc, eq, inArray, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Conflict, type DomainError } from "../errors.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
let moderator: Awaited<ReturnType<Harness["signedIn"]>>;
let asModerator: Awaited<ReturnType<Harness["as"]>>;
let author: schema.User;
beforeAll(async () => {
  h = await createHarness();
  moderator = await h.signedIn("moderator");
  asModerator = await h.as({ bearer: moderator.token });
  author = await h.createUser();
});
afterAll(() => h.close());

async function insertTags(...names: string[]) {
  return h.database.db
    .insert(schema.tags)
    .values(names.map((name) => ({ name })))
    .returning();
}

async function insertTag(name: string) {
  const [tag] = await insertTags(name);
  if (!tag) throw new Error("no tag");
  return tag;
}

let articleCounter = 0;
/** An article carrying `tags`. */
async function insertTaggedArticle(...tags: { id: number }[]) {
  articleCounter++;
  const [article] = await h.database.db
    .insert(schema.articles)
    .values({ slug: `tagged-${articleCounter}`, title: "t", description: "d", body: "b", authorId: author.id })
    .returning();
  if (!article) throw new Error("no article");
  if (tags.length > 0) {
    await h.database.db
      .insert(schema.articleTags)
      .values(tags.map((tag) => ({ articleId: article.id, tagId: tag.id })));
  }
  return article;
}

/** Each article's tag ids, sorted, for the given articles. */
async function tagIdsOf(articles: { id: number }[]) {
  const links = await h.database.db
    .select()
    .from(schema.articleTags)
    .where(
      inArray(
        schema.articleTags.articleId,
        articles.map((a) => a.id),
      ),
    );
  return articles.map((article) =>
    links
      .filter((link) => link.articleId === article.id)
      .map((link) => link.tagId)
      .sort((a, b) => a - b),
  );
}

async function tagsExist(...tags: { id: number }[]) {
  const found = await h.database.db
    .select({ id: schema.tags.id })
    .from(schema.tags)
    .where(
      inArray(
        schema.tags.id,
        tags.map((tag) => tag.id),
      ),
    );
  return tags.map((tag) => found.some((row) => row.id === tag.id));
}

describe("tags.rename", () => {
  it("renames a tag, trimming the new name", async () => {
    const tag = await insertTag("typescrpit");
    expect(await asModerator.tags.rename({ id: tag.id, name: "  typescript " })).toEqual({
      id: tag.id,
      name: "typescript",
    });
    const [row] = await h.database.db.select().from(schema.tags).where(eq(schema.tags.id, tag.id));
    expect(row?.name).toBe("typescript");
  });

  it("answers CONFLICT on the name field when the name is taken", async () => {
    const [taken, renamed] = await insertTags("taken-name", "other-name");
    if (!taken || !renamed) throw new Error("no tags");
    const error = await expectTRPCError(asModerator.tags.rename({ id: renamed.id, name: "taken-name" }), "CONFLICT");
    expect(error.cause).toBeInstanceOf(Conflict);
    expect((error.cause as Conflict).fields).toEqual({ name: ["A tag with this name already exists."] });
  });

  it("answers NOT_FOUND for an unknown tag and BAD_REQUEST for an invalid name", async () => {
    const tag = await insertTag("valid-name");
    await expectTRPCError(asModerator.tags.rename({ id: 999_999, name: "anything" }), "NOT_FOUND");
    for (const name of ["   ", "a,b", "x".repeat(41)]) {
      await expectTRPCError(asModerator.tags.rename({ id: tag.id, name }), "BAD_REQUEST");
    }
  });
});

describe("tags.merge", () => {
  it("moves the sources' articles to the target without duplicates and deletes the sources", async () => {
    const [js, jsUpper, javascript, unrelated] = await insertTags("js", "JS", "javascript", "unrelated");
    if (!js || !jsUpper || !javascript || !unrelated) throw new Error("no tags");
    const bothTags = await insertTaggedArticle(js, javascript);
    const sourceOnly = await insertTaggedArticle(js, unrelated);
    const twoSources = await insertTaggedArticle(js, jsUpper);
    const targetOnly = await insertTaggedArticle(javascript);

    const result = await asModerator.tags.merge({ sourceIds: [js.id, jsUpper.id, js.id], targetId: javascript.id });

    expect(result).toEqual({ target: { id: javascript.id, name: "javascript" }, merged: 2, articlesRetagged: 2 });
    expect(await tagIdsOf([bothTags, sourceOnly, twoSources, targetOnly])).toEqual([
      [javascript.id],
      [javascript.id, unrelated.id].sort((a, b) => a - b),
      [javascript.id],
      [javascript.id],
    ]);
    expect(await tagsExist(js, jsUpper, javascript, unrelated)).toEqual([false, false, true, true]);
  });

  it("records the merged tags' names in the audit log", async () => {
    const [source, target] = await insertTags("audited-source", "audited-target");
    if (!source || !target) throw new Error("no tags");
    await asModerator.tags.merge({ sourceIds: [source.id], targetId: target.id });

    const [event] = await h.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "tags.merge"))
      .orderBy(desc(schema.auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({
      actorId: moderator.user.id,
      targetType: "tag",
      targetId: String(target.id),
      details: expect.objectContaining({ sources: [{ id: source.id, name: "audited-source" }], articlesRetagged: 0 }),
    });
  });

  it("refuses merging a tag into itself, changing nothing", async () => {
    const [source, target] = await insertTags("self-source", "self-target");
    if (!source || !target) throw new Error("no tags");
    const error = await expectTRPCError(
      asModerator.tags.merge({ sourceIds: [source.id, target.id], targetId: target.id }),
      "BAD_REQUEST",
    );
    expect((error.cause as DomainError).fields).toHaveProperty("sourceIds");
    expect(await tagsExist(source, target)).toEqual([true, true]);
  });

  it("answers NOT_FOUND for an unknown target or any unknown source, changing nothing", async () => {
    const [source, target] = await insertTags("known-source", "known-target");
    if (!source || !target) throw new Error("no tags");
    const article = await insertTaggedArticle(source);

    const noTarget = await expectTRPCError(
      asModerator.tags.merge({ sourceIds: [source.id], targetId: 999_999 }),
      "NOT_FOUND",
    );
    expect((noTarget.cause as DomainError).fields).toHaveProperty("targetId");
    const noSource = await expectTRPCError(
      asModerator.tags.merge({ sourceIds: [source.id, 999_998], targetId: target.id }),
      "NOT_FOUND",
    );
    expect(noSource.message).toContain("999998");
    expect(await tagsExist(source, target)).toEqual([true, true]);
    expect(await tagIdsOf([article])).toEqual([[source.id]]);
  });

  it("needs between 1 and 50 source tags", async () => {
    const target = await insertTag("bounds-target");
    await expectTRPCError(asModerator.tags.merge({ sourceIds: [], targetId: target.id }), "BAD_REQUEST");
    const tooMany = Array.from({ length: 51 }, (_, i) => target.id + 1 + i);
    await expectTRPCError(asModerator.tags.merge({ sourceIds: tooMany, targetId: target.id }), "BAD_REQUEST");
  });
});

describe("tags.delete", () => {
  it("deletes a tag and its links, keeping the articles, and says how many articles lost it", async () => {
    const [doomed, kept] = await insertTags("doomed", "kept");
    if (!doomed || !kept) throw new Error("no tags");
    const first = await insertTaggedArticle(doomed, kept);
    const second = await insertTaggedArticle(doomed);

    expect(await asModerator.tags.delete({ id: doomed.id })).toEqual({
      deleted: { id: doomed.id, name: "doomed" },
      articlesUntagged: 2,
    });
    expect(await tagsExist(doomed, kept)).toEqual([false, true]);
    expect(await tagIdsOf([first, second])).toEqual([[kept.id], []]);
  });

  it("answers NOT_FOUND for an unknown tag", async () => {
    await expectTRPCError(asModerator.tags.delete({ id: 999_999 }), "NOT_FOUND");
  });
});
