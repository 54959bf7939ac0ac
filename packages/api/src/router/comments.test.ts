import { eq, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function writer() {
  const { user, token } = await h.signedIn();
  return { user, call: await h.as({ bearer: token }) };
}

describe("comments", () => {
  it("adds, lists newest first with the author's profile, and deletes (author only)", async () => {
    const author = await writer();
    const commenter = await writer();
    const article = await author.call.articles.create({ title: "Discuss", description: "d", body: "b" });
    await author.call.profiles.follow({ username: commenter.user.username });

    const first = await commenter.call.comments.add({ slug: article.slug, body: "First!" });
    const second = await commenter.call.comments.add({ slug: article.slug, body: "  Second  " });
    expect(first).toMatchObject({ body: "First!", author: { username: commenter.user.username, following: false } });
    expect(second.body).toBe("Second");

    const listed = await author.call.comments.list({ slug: article.slug });
    expect(listed.comments.map((c) => c.id)).toEqual([second.id, first.id]);
    expect(listed.comments[0]?.author.following).toBe(true);
    expect(listed.comments[0]?.createdAt).toBeInstanceOf(Date);

    await expectTRPCError(author.call.comments.delete({ slug: article.slug, id: first.id }), "FORBIDDEN");
    expect(await commenter.call.comments.delete({ slug: article.slug, id: first.id })).toEqual({ deleted: first.id });
    expect((await (await h.as()).comments.list({ slug: article.slug })).comments).toHaveLength(1);
  });

  it("answers NOT_FOUND for an unknown article, or a comment on another article", async () => {
    const author = await writer();
    const one = await author.call.articles.create({ title: "One", description: "d", body: "b" });
    const two = await author.call.articles.create({ title: "Two", description: "d", body: "b" });
    const comment = await author.call.comments.add({ slug: one.slug, body: "here" });
    await expectTRPCError(author.call.comments.delete({ slug: two.slug, id: comment.id }), "NOT_FOUND");
    await expectTRPCError(author.call.comments.add({ slug: "missing", body: "x" }), "NOT_FOUND");
    await expectTRPCError((await h.as()).comments.list({ slug: "missing" }), "NOT_FOUND");
  });

  it("validates the body", async () => {
    const author = await writer();
    const article = await author.call.articles.create({ title: "Rules", description: "d", body: "b" });
    await expectTRPCError(author.call.comments.add({ slug: article.slug, body: "   " }), "BAD_REQUEST");
    await expectTRPCError(author.call.comments.add({ slug: article.slug, body: "x".repeat(10_001) }), "BAD_REQUEST");
  });

  it("hides moderated comments and the comments of hidden articles", async () => {
    const author = await writer();
    const article = await author.call.articles.create({ title: "Moderated", description: "d", body: "b" });
    const comment = await author.call.comments.add({ slug: article.slug, body: "rude" });
    await h.database.db.update(schema.comments).set({ moderation: "hidden" }).where(eq(schema.comments.id, comment.id));
    expect((await (await h.as()).comments.list({ slug: article.slug })).comments).toEqual([]);

    await h.database.db.update(schema.articles).set({ moderation: "hidden" }).where(eq(schema.articles.id, article.id));
    await expectTRPCError((await h.as()).comments.list({ slug: article.slug }), "NOT_FOUND");
  });

  it("runs the same number of statements whatever the page size", async () => {
    const author = await writer();
    const article = await author.call.articles.create({ title: "Busy", description: "d", body: "b" });
    for (let i = 0; i < 6; i++) await author.call.comments.add({ slug: article.slug, body: `c${i}` });
    const count = async (limit: number) =>
      (await h.recordQueries(() => author.call.comments.list({ slug: article.slug, limit }))).statements.length;
    expect(await count(1)).toBe(await count(6));
  });
});
